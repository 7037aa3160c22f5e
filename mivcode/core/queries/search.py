"""Project-wide fuzzy search over turn texts (no Textual here: runs in a worker thread).

Researchers search for how participants say things ("uitgescholden",
"stagebegeleider") and tolerate typos and inflections, so an exact grep is not
enough: rapidfuzz's partial ratio finds the best matching stretch of each turn
and its alignment gives the exact span to highlight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from mivcode.core.project import Project


@dataclass(slots=True)
class TurnRecord:
    transcript: str
    turn: int
    text: str


@dataclass(slots=True)
class SearchHit:
    """A hit with its span relative to the turn's utterance (the screen makes it absolute)."""

    transcript: str
    turn: int
    start: int
    end: int
    score: float
    text: str


def load_corpus(project: Project) -> list[TurnRecord]:
    """Every turn of every transcript, through the core API (one query per transcript)."""
    return [TurnRecord(name, idx, text) for name in project.transcript_names() for idx, text in project.turn_texts(name)]


def search(corpus: list[TurnRecord], query: str, *, limit: int = 200, cutoff: float = 80.0) -> list[SearchHit]:
    """Best fuzzy hits, in transcript order within equal scores; exact substrings always qualify."""
    q = query.strip().lower()
    if len(q) < 2:
        return []
    lowered = [r.text.lower() for r in corpus]
    if len(q) < 4:  # fuzzy matching of two or three letters finds everything; short queries are exact
        found = [(None, 100.0, i) for i, text in enumerate(lowered) if q in text][:limit]
    else:
        found = process.extract(q, lowered, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=cutoff)
    word_start = re.compile(r"\b" + re.escape(q))
    hits = []
    for _, score, i in found:
        rec = corpus[i]
        m = word_start.search(lowered[i])
        pos = m.start() if m else lowered[i].find(q)
        if pos >= 0:
            start, end, score = pos, pos + len(q), 100.0
        else:
            al = fuzz.partial_ratio_alignment(q, lowered[i])
            start, end = (al.dest_start, al.dest_end) if al else (0, 0)
            start, end = _snap_to_words(lowered[i], start, end)
        hits.append(SearchHit(rec.transcript, rec.turn, start, end, float(score), rec.text))
    hits.sort(key=lambda h: (-h.score, h.transcript, h.turn))
    return hits


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy alignment to whole words so the highlight reads naturally."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace() and text[end].isalnum():
        end += 1
    return start, end


def snippet(text: str, start: int, end: int, width: int = 70) -> tuple[str, int, int]:
    """A window of `text` around the hit; returns it with the hit's position inside it."""
    if len(text) <= width:
        return text, start, end
    left = max(0, min(start - width // 3, len(text) - width))
    piece = text[left : left + width]
    prefix = "…" if left > 0 else ""
    return prefix + piece, start - left + len(prefix), min(end, left + width) - left + len(prefix)
