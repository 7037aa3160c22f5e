"""The codebook's words as spaCy matchers, plus compounds and typos.

Keywords and markers are run through the same pipeline as the transcripts,
so a keyword and a word in a turn meet on three attributes:

* LOWER  (PhraseMatcher)  the word as written            → rule `trefwoord`
* LEMMA  (PhraseMatcher)  the lookup/model lemma          → rule `lemma`
* NORM   (PhraseMatcher)  the Dutch key of dutch.match_key → rule `woordvorm`
  (plurals, participles, derivations: pesters, leraren, geslagen, intimidatie)

The codebook's `patterns` go to a spaCy `Matcher` (rule `patroon`).

Two checks spaCy has no component for are written by hand, per distinct word
form and cached, so they cost one dict lookup per token after the first
time a form is seen:

* compounds (`samenstelling`): Dutch writes compounds as one word
  (stagediscriminatie, racismegrap, pestfilmpje, zakmes). A keyword of ≥ 4
  letters (≥ 3 for the head) at the start or end of a longer word matches
  when the rest is itself a Dutch word (optionally after a linking s/e), which
  keeps `grappig` from matching `grap`.
* typos (`spelling`): words of ≥ 6 letters the Dutch lexicon does not know,
  against keywords with the same first letter and about the same length,
  with a bounded edit distance (1, or 2 from 9 letters) via rapidfuzz.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz.distance import OSA
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from mivcode.core.model import Code
from mivcode.core.suggest.dutch import match_key, strip_accents
from mivcode.core.suggest.pipeline import lexicon

# How much one piece of evidence says on its own (before combining and turn factors).
WEIGHTS = {
    "patroon": 0.9, "trefwoord": 0.85, "lemma": 0.85, "woordvorm": 0.8,
    "samenstelling": 0.7, "spelling": 0.6,
}
MIN_FUZZY_LEN = 6
LINKS = ("s", "e", "en")


@dataclass(frozen=True, slots=True)
class Hit:
    """One matched stretch of a turn: character offsets relative to the turn text."""

    code: str
    start: int
    end: int
    text: str
    kind: str        # trefwoord | lemma | woordvorm | patroon | samenstelling | spelling
    keyword: str     # the codebook entry that matched
    marker: bool     # a `markers` phrase (only counts together with a `requires` theme)

    @property
    def weight(self) -> float:
        return WEIGHTS.get(self.kind, 0.6)


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    keyword: str
    marker: bool


class RuleSet:
    """Compiled from the codebook once; `match(doc)` gives the hits of one turn."""

    def __init__(self, nlp: Language, codes: list[Code]):
        self.vocab = nlp.vocab
        self.lex = lexicon()
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.norm = PhraseMatcher(nlp.vocab, attr="NORM")
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.entries: dict[int, _Entry] = {}
        self.prefixes: dict[str, list[_Entry]] = defaultdict(list)
        self.suffixes: dict[str, list[_Entry]] = defaultdict(list)
        self.fuzzy: dict[tuple[str, int], list[tuple[str, _Entry]]] = defaultdict(list)
        self._extra_cache: dict[int, tuple[tuple[str, str, _Entry], ...]] = {}
        phrases: list[tuple[str, _Entry]] = []
        for code in codes:
            phrases += [(kw, _Entry(code.id, kw, False)) for kw in code.keywords if kw.strip()]
            phrases += [(m, _Entry(code.id, m, True)) for m in code.markers if m.strip()]
            for i, pattern in enumerate(code.patterns):
                key = f"{code.id}|patroon|{i}"
                self.entries[self.vocab.strings.add(key)] = _Entry(code.id, _describe(pattern), False)
                try:
                    self.matcher.add(key, [pattern])
                except (ValueError, KeyError, TypeError) as exc:  # a bad pattern must not stop the others
                    from mivcode.core.errors import InputError

                    raise InputError(f"code '{code.id}': pattern {i + 1} is not a valid spaCy pattern ({exc})") from None
        docs = list(nlp.pipe([p for p, _ in phrases], batch_size=256))
        for (phrase, entry), doc in zip(phrases, docs):
            if not len(doc):
                continue
            key = f"{entry.code}|{'m' if entry.marker else 'k'}|{phrase}"
            self.entries[self.vocab.strings.add(key)] = entry
            for m in (self.lower, self.lemma, self.norm):
                m.add(key, [doc])
            if len(doc) == 1 and not entry.marker:
                self._index_word(doc[0].lower_, doc[0].norm_, entry)

    def _index_word(self, lower: str, key: str, entry: _Entry) -> None:
        lower = strip_accents(lower)
        for form in {lower, key}:
            if len(form) >= 4:
                self.prefixes[form].append(entry)
                self.suffixes[form].append(entry)
        if len(lower) == 3:
            self.suffixes[lower].append(entry)  # heads like mes (zakmes)
        for form in {lower, key}:
            if len(form) >= MIN_FUZZY_LEN - 1:
                self.fuzzy[(form[0], len(form))].append((form, entry))

    # -- matching --------------------------------------------------------------

    def match(self, doc: Doc) -> list[Hit]:
        strings = self.vocab.strings
        best: dict[tuple[str, int, int, bool], Hit] = {}
        rank = {"patroon": 0, "trefwoord": 1, "lemma": 2, "woordvorm": 3}
        covered: set[int] = set()
        for kind, matcher in (("trefwoord", self.lower), ("lemma", self.lemma), ("woordvorm", self.norm),
                              ("patroon", self.matcher)):
            if not len(matcher):
                continue
            for match_id, s, e in matcher(doc):
                entry = self.entries.get(match_id)
                if entry is None:
                    continue
                span = doc[s:e]
                hit = Hit(entry.code, span.start_char, span.end_char, span.text, kind, entry.keyword, entry.marker)
                k = (entry.code, s, e, entry.marker)
                old = best.get(k)
                if old is None or rank[kind] < rank[old.kind]:
                    best[k] = hit
                covered.update(range(s, e))
        hits = list(best.values())
        cache = self._extra_cache
        # per token only an int and a dict lookup: Token objects are made for new forms and hits alone
        for i, h in enumerate(doc.to_array(LOWER).tolist()):
            found = cache.get(h)
            if found is None:
                token = doc[i]
                found = self._extra(token.lower_, strings[token.norm] if token.norm else token.lower_)
                cache[h] = found
            if found and i not in covered:
                token = doc[i]
                for kind, keyword, entry in found:
                    hits.append(Hit(entry.code, token.idx, token.idx + len(token), token.text, kind, keyword, False))
        return hits

    def _extra(self, lower: str, key: str) -> tuple[tuple[str, str, _Entry], ...]:
        """Compound and typo hits of one word form (computed once per form)."""
        w = strip_accents(lower)
        n = len(w)
        if n < 6 or not w.isalpha():
            return ()
        known = self.lex.known
        out: dict[str, tuple[str, str, _Entry]] = {}
        # keyword as modifier: racisme|grap, pest|filmpje
        for size in range(n - 3, 3, -1):
            entries = self.prefixes.get(w[:size])
            if entries and _is_word(w[size:], known):
                for e in entries:
                    out.setdefault(e.code, ("samenstelling", e.keyword, e))
                break
        # keyword as head: stage|discriminatie, zak|mes, school|pest(ers)
        for form in (w, key) if key != w else (w,):
            for size in range(len(form) - 3, 2, -1):
                entries = self.suffixes.get(form[-size:])
                if entries and _is_word(form[:-size], known, modifier=True):
                    for e in entries:
                        out.setdefault(e.code, ("samenstelling", e.keyword, e))
                    break
        if out or w in known or n < MIN_FUZZY_LEN:
            return tuple(out.values())
        for probe in {w, key}:
            limit = 1 if len(probe) <= 8 else 2
            for length in range(len(probe) - limit, len(probe) + limit + 1):
                for form, e in self.fuzzy.get((probe[0], length), ()):
                    if e.code not in out and OSA.distance(probe, form, score_cutoff=limit) <= limit:
                        out[e.code] = ("spelling", e.keyword, e)
        return tuple(out.values())


def _is_word(part: str, known: frozenset[str], modifier: bool = False) -> bool:
    """Is the rest of a compound a Dutch word (modifiers may end in a linking s/e/en)?"""
    if len(part) < 3:
        return False
    if part in known:
        return True
    if modifier:
        for link in LINKS:
            if part.endswith(link) and len(part) - len(link) >= 3 and part[: -len(link)] in known:
                return True
    else:
        stemmed = match_key(part)
        return stemmed in known
    return False


def _describe(pattern: list[dict]) -> str:
    """A short readable form of a Matcher pattern for the evidence list."""
    parts = []
    for tok in pattern:
        (attr, val), *_ = tok.items() if tok else (("", "*"),)
        if isinstance(val, dict) and "IN" in val:
            val = "/".join(map(str, val["IN"][:3])) + ("/…" if len(val["IN"]) > 3 else "")
        parts.append(str(val))
    return " ".join(parts)
