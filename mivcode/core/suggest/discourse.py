"""Where the talk moves on: segments of a focus group, and what each turn inherits from its segment.

Distance-decay carry-over (scoring's `_carry_over`) flows into turns that have
moved on and into short reactions; measured on unseen sets it caused more than
half of all false alarms. Here a conversation is cut into *segments*: a new one
starts at a moderator turn that asks about a theme or announces a new subject
("dan gaan we naar ..."). Within a segment a turn sees the themes evidenced so
far (strongest, most recent with its distance, what the moderator asked), how
much its content words overlap with the words said under each theme, and the
next participant turn's own evidence. These are features for the learned model
(`theme_model`), which decides how much the context counts for this team:
nothing is carried across a boundary, and a suppressed candidate is never a
source, because only a turn's *own* evidence (`raw` scores) feeds the segment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

# A moderator announcing a new subject: the next turns are about that, not about the story before.
TRANSITION = re.compile(
    r"\b(ander onderwerp|iets anders|(wil|willen|gaan|ga)( het)?( nu| nog| ook| even| graag)* (hebben|praten|door) over"
    r"|laatste vraag|volgende (vraag|onderwerp|thema)|we gaan (nu )?(door )?naar|dan (gaan we|wil ik)|rondje over"
    r"|verder met|overstappen|nu over naar)", re.I)
# Function words and fillers left out of lexical cohesion (what a turn is about is in its content words).
_STOP = frozenset(
    "de het een en of maar dat die dit is was zijn ik je jij we wij ze zij hij hem haar ons jullie er daar hier niet "
    "wel ook nog al dan als om op in aan van voor met bij naar uit zo toen nu heel echt gewoon ja nee nou hoor wat "
    "wie hoe waar".split())
_CONTENT = re.compile(r"[a-zà-ÿ]{3,}")
CARRY = 0.85          # what a turn's own evidence is worth to the next turn of its segment, per turn after it
ASKED = 0.85          # what a moderator's question about a theme is worth to the turns that answer it
MAX_DISTANCE = 50

SEGMENT_FEATURES = ("s_max", "s_last", "s_mod", "s_next", "s_pos", "s_other", "overlap", "s_any", "coh")


def content_words(text: str) -> set[str]:
    """Content words cut to five letters, so 'gepest' and 'gepeste' count as one."""
    return {w[:5] for w in _CONTENT.findall(text.lower()) if w not in _STOP}


def starts_segment(text: str, asked: dict[int, float]) -> bool:
    """A moderator turn opens a segment when it asks about a theme or announces another subject."""
    return bool(asked) or bool(TRANSITION.search(text))


def segment_features(texts: Sequence[str], own: np.ndarray, asked: Sequence[dict[int, float]],
                     moderator: Sequence[bool]) -> np.ndarray:
    """(n turns, T themes, len(SEGMENT_FEATURES)) for one transcript; moderator turns get zeros.

    `own[i, k]`: turn i's own rule evidence for theme k (no carry-over); `asked[i]`: for a moderator
    turn, the themes its question asks about with their strength. Plain Python over the few themes
    (numpy's per-call cost on arrays of eight is most of the work otherwise).
    """
    n, n_themes = own.shape
    out = np.zeros((n, n_themes, len(SEGMENT_FEATURES)), dtype=np.float32)
    own_l = own.tolist()
    themes = range(n_themes)
    decay = [CARRY ** d for d in range(MAX_DISTANCE + 1)]
    last = [0.0] * n_themes
    since = [MAX_DISTANCE] * n_themes
    strongest = [0.0] * n_themes
    mod_asked = [0.0] * n_themes
    words: list[set[str]] = [set() for _ in themes]
    prev: set[str] = set()
    said = 0
    opens = [moderator[i] and starts_segment(texts[i], asked[i]) for i in range(n)]
    next_part = [-1] * n  # the next participant turn of the same segment
    nxt = -1
    for i in range(n - 1, -1, -1):
        next_part[i] = nxt
        if not moderator[i]:
            nxt = i
        elif opens[i]:
            nxt = -1
    for i in range(n):
        text = texts[i]
        if moderator[i]:
            if opens[i]:
                last = [0.0] * n_themes
                since = [MAX_DISTANCE] * n_themes
                strongest = [0.0] * n_themes
                mod_asked = [0.0] * n_themes
                said = 0
                words = [set() for _ in themes]
                if asked[i]:
                    c = content_words(text)
                    for k, score in asked[i].items():
                        words[k] |= c
                        mod_asked[k] = score
                        last[k] = max(last[k], ASKED)
                        since[k] = 0
                        strongest[k] = max(strongest[k], ASKED)
            continue
        c = content_words(text)
        recent = [last[k] * decay[min(since[k], MAX_DISTANCE)] for k in themes]
        top = max(recent) if recent else 0.0
        second = sorted(recent)[-2] if n_themes > 1 else 0.0
        overlap = len(c & prev) / max(1, len(c | prev)) if c else 0.0
        any_theme = 1.0 if max(strongest) > 0 else 0.0
        position = np.log1p(said) / 3
        j = next_part[i]
        ahead = own_l[j] if j >= 0 else None
        rows = []
        for k in themes:
            coh = min(1.0, len(c & words[k]) / 3) if c and words[k] else 0.0
            rows.append((strongest[k], recent[k], mod_asked[k], ahead[k] if ahead else 0.0, position,
                         second if recent[k] >= top else top, overlap, any_theme, coh))
        out[i] = rows
        since = [d + 1 for d in since]
        mine = own_l[i]
        for k in themes:
            if mine[k] > 0:
                last[k] = max(mine[k], recent[k])
                since[k] = 0
                strongest[k] = max(strongest[k], mine[k])
                words[k] |= c
        prev = c
        said += 1
    return out


def segment_source(i: int, k: int, own: np.ndarray, moderator: Sequence[bool], texts: Sequence[str],
                   asked: Sequence[dict[int, float]]) -> int | None:
    """The turn whose own evidence (or question) gave turn i its context for theme k, within i's segment."""
    for j in range(i - 1, -1, -1):
        if moderator[j]:
            if k in asked[j]:
                return j
            if starts_segment(texts[j], asked[j]):
                return None
            continue
        if own[j, k] > 0:
            return j
    return None
