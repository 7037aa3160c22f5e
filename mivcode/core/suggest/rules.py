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

import re
from collections import defaultdict
from itertools import product
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz.distance import OSA
from bisect import bisect_right

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, LEMMA, LENGTH, LOWER, NORM
from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from mivcode.core.model import Code
from mivcode.core.suggest.dutch import SEPARABLE, match_key, participle_stem, strip_accents
from mivcode.core.suggest.pipeline import lexicon

# How much one piece of evidence says on its own (before combining and turn factors).
WEIGHTS = {
    "patroon": 0.9, "trefwoord": 0.85, "lemma": 0.85, "woordvorm": 0.8,
    "samenstelling": 0.7, "spelling": 0.6,
}
MIN_FUZZY_LEN = 6
# Verbs that only help (a phrase "geaccepteerd worden" is about its first word, not about "worden").
AUXILIARIES = {"worden", "zijn", "hebben", "kunnen", "moeten", "willen", "mogen", "zullen", "gaan", "komen",
               "blijven", "laten", "doen", "maken", "krijgen", "geven",
               "vinden", "zien", "weten", "zeggen"}  # and verbs of opinion: "ik vind stage leuk"
# A split separable verb: the particle within this many tokens of the verb, last in its clause.
SEPARABLE_REACH = 8
CLAUSE_WORDS = ("en", "maar", "want", "omdat", "als", "dus", "of", "toen", "dan", "terwijl", "wanneer", "zodat",
                "enzo", "ofzo", "hoor", "gewoon",
                # a prepositional phrase may follow the particle: "ze schelden je uit op het plein"
                "bij", "op", "in", "tijdens", "met", "naar", "voor", "achter", "onder", "na", "door", "zonder")
LINKS = ("s", "e", "en")
# Inseparable prefixes make a new verb, not a compound: verpesten is not pesten.
NOT_MODIFIERS = {"ver", "ont", "her", "mis", "be", "ge", "er"}


class Hit(NamedTuple):
    """One matched stretch of a turn: character offsets relative to the turn text.

    A NamedTuple rather than a frozen dataclass: a long transcript makes tens of
    thousands of these, and frozen dataclasses are several times slower to build.
    """

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
        # Patterns that are only fixed words and optional tokens are expanded into phrases: spaCy's
        # PhraseMatcher is ~50× faster than its Matcher on IN-predicates over a long transcript.
        self.pattern_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.pattern_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.entries: dict[int, _Entry] = {}
        self.prefixes: dict[str, list[_Entry]] = defaultdict(list)
        self.suffixes: dict[str, list[_Entry]] = defaultdict(list)
        self.forms: dict[str, list[_Entry]] = defaultdict(list)  # one-word keywords as written (participles)
        self.fuzzy: dict[tuple[str, int], list[tuple[str, _Entry]]] = defaultdict(list)
        self._extra_cache: dict[int, tuple[tuple[str, str, _Entry], ...]] = {}
        # separable verbs (uitschelden: "ze schelden hem uit") and noun + verb phrases in verb-second order
        # ("hou je mond"): verb lemma / match key → (particle or noun, match id, particle must end the clause)
        self.separable_lemma: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
        self.separable_norm: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
        self._clause_end = {self.vocab.strings.add(w) for w in CLAUSE_WORDS}
        # The Matcher is slow on common-word predicates; it runs only on turns that hold a word of every
        # required token of some pattern, which skips only turns where nothing can match.
        self.required: list[list[set[int]]] = []
        self._always_match = False
        phrases: list[tuple[str, _Entry]] = []
        for code in codes:
            phrases += [(kw, _Entry(code.id, kw, False)) for kw in code.keywords if kw.strip()]
            phrases += [(m, _Entry(code.id, m, True)) for m in code.markers if m.strip()]
            for i, pattern in enumerate(code.patterns):
                key = f"{code.id}|patroon|{i}"
                try:  # validate first: describing an invalid pattern can fail too ({IN: 5})
                    Matcher(nlp.vocab, validate=True).add(key, [pattern])
                except (ValueError, KeyError, TypeError, re.error) as exc:  # re.error: a bad REGEX value
                    from mivcode.core.errors import InputError

                    why = " ".join(str(exc).split())
                    raise InputError(f"code '{code.id}': pattern {i + 1} is not a valid spaCy pattern ({why})") from None
                self.entries[self.vocab.strings.add(key)] = _Entry(code.id, _describe(pattern), False)
                expanded = _expand(pattern)
                if expanded is not None:
                    attr, sequences = expanded
                    target = self.pattern_lower if attr == "LOWER" else self.pattern_lemma
                    target.add(key, [Doc(self.vocab, words=list(seq), lemmas=list(seq)) for seq in sequences])
                    continue
                required = _required_words(pattern)
                if required is None:
                    self._always_match = True
                else:
                    self.required.append([{self.vocab.strings.add(w) for w in words} for words in required])
                self.matcher.add(key, [pattern])
        # each Matcher pattern's anchor: its required token with the fewest alternatives
        self._anchor_array = np.asarray(
            sorted({h for req in self.required for h in min(req, key=_set_rarity)}), dtype=np.uint64)
        docs = list(nlp.pipe([p for p, _ in phrases], batch_size=256))
        for (phrase, entry), doc in zip(phrases, docs):
            if not len(doc):
                continue
            key = f"{entry.code}|{'m' if entry.marker else 'k'}|{phrase}"
            self.entries[self.vocab.strings.add(key)] = entry
            self.lower.add(key, [doc])
            self.lemma.add(key, [doc])
            # a keyword whose reduced form is a function word ("watje" → "wat") would match everywhere
            if not all(t.norm_ in STOP_WORDS and t.norm_ != t.lower_ for t in doc):
                self.norm.add(key, [doc])
            if len(doc) == 1 and not entry.marker:
                self._index_word(doc[0].lower_, doc[0].norm_, entry)
                self._index_separable(doc[0].lower_, entry)
            elif len(doc) == 2 and not entry.marker:
                self._index_verb_second(doc, phrase, entry)
        self._sep_lemma_array = np.asarray(sorted(self.separable_lemma), dtype=np.uint64)
        self._sep_norm_array = np.asarray(sorted(self.separable_norm), dtype=np.uint64)

    def _index_separable(self, keyword: str, entry: _Entry) -> None:
        """A keyword that is a separable verb (uit|schelden, na|fluiten, aan|raken) also matches split up."""
        w = strip_accents(keyword)
        if not w.endswith("en") or w != self.lex.lemma(w) and self.lex.lemma(w) != keyword:
            return
        for particle in sorted(SEPARABLE, key=len, reverse=True):
            verb = w[len(particle):]
            if w.startswith(particle) and len(verb) >= 5 and not verb.startswith("ge") and verb in self.lex.lemma_set:
                strings = self.vocab.strings
                key = f"{entry.code}|scheidbaar|{keyword}"
                match_id = strings.add(key)
                self.entries[match_id] = _Entry(entry.code, keyword, False)
                p = strings.add(particle)
                norm = match_key(verb, self.lex.lemma(verb), self.lex.nouns, self.lex.lemma_set)
                self.separable_lemma[strings.add(verb)].append((p, match_id, True))
                self.separable_norm[strings.add(norm)].append((p, match_id, True))
                return

    def _index_verb_second(self, doc: Doc, phrase: str, entry: _Entry) -> None:
        """A phrase 'noun + infinitive' (mond houden, erbij horen, stage zoeken) also matches in main-clause
        order, the verb first: "hou je mond", "je hoort er gewoon bij" is not, "ik zoek al weken een stage"."""
        head, verb = doc[0], doc[1]
        x, v = strip_accents(head.lower_), strip_accents(verb.lower_)
        if (v not in self.lex.lemma_set or v in AUXILIARIES or v in self.lex.nouns or x in STOP_WORDS or len(x) < 3
                or x in self.lex.lemma_set or not (x in self.lex.nouns or x.startswith("er"))):
            return
        strings = self.vocab.strings
        match_id = strings.add(f"{entry.code}|v2|{phrase}")
        self.entries[match_id] = _Entry(entry.code, phrase, False)
        norm = match_key(v, self.lex.lemma(v), self.lex.nouns, self.lex.lemma_set)
        for target in (head.lower, head.norm):
            self.separable_lemma[strings.add(v)].append((target, match_id, False))
            self.separable_norm[strings.add(norm)].append((target, match_id, False))

    def _separable_hits(self, doc: Doc, lowers: list[int], starts: list[int], ends: list[int]
                        ) -> list[tuple[int, int, int]]:
        """(match id, first token, end token) of split separable verbs: the verb, then within the same clause
        its particle as the clause's last word ("ze lachten hem de hele dag uit.") or before a conjunction or
        a prepositional phrase ("uit op het plein"), so that a preposition ("ik wacht op de bus") does not
        count."""
        if not len(self._sep_lemma_array):
            return []
        arr = doc.to_array([LEMMA, NORM, IS_PUNCT])
        cand = np.flatnonzero(np.isin(arr[:, 0], self._sep_lemma_array) | np.isin(arr[:, 1], self._sep_norm_array))
        if not len(cand):
            return []
        punct = arr[:, 2]
        out: list[tuple[int, int, int]] = []
        norms = arr[:, 1]
        for i in cand.tolist():
            wanted: dict[int, list[tuple[int, bool]]] = {}
            for p, m, final in (*self.separable_lemma.get(int(arr[i, 0]), ()),
                                *self.separable_norm.get(int(arr[i, 1]), ())):
                wanted.setdefault(p, []).append((m, final))
            seg = bisect_right(starts, i) - 1
            end = ends[seg] if seg >= 0 else len(lowers)
            done: set[int] = set()
            for j in range(i + 1, min(end, i + 1 + SEPARABLE_REACH)):
                if punct[j]:
                    break
                for m, final in (*wanted.get(lowers[j], ()), *wanted.get(int(norms[j]), ())):
                    if m in done:
                        continue
                    if not final or j + 1 >= end or punct[j + 1] or lowers[j + 1] in self._clause_end:
                        out.append((m, i, j + 1))
                        done.add(m)
        return out

    def _index_word(self, lower: str, key: str, entry: _Entry) -> None:
        lower = strip_accents(lower)
        self.forms[lower].append(entry)
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
        """Hits of a doc that is one turn (offsets relative to the doc)."""
        text = doc.text
        return self.match_segments(doc, [(0, len(text))], text)[0]

    def match_segments(self, doc: Doc, segments: list[tuple[int, int]], text: str | None = None) -> list[list[Hit]]:
        """Hits per segment (turn) of a doc holding many turns; offsets relative to each segment's start.

        Reading a whole transcript as one Doc instead of one Doc per turn saves
        the per-Doc overhead of the tokenizer and the three PhraseMatchers,
        which dominated the time for short turns. Turns are joined by one space
        (a newline makes spaCy's tokenizer 3-4× slower); a phrase match that
        would run into the next turn is dropped here.
        """
        strings = self.vocab.strings
        arr = doc.to_array([LOWER, IDX, LENGTH])
        lowers = arr[:, 0].tolist()
        idx = arr[:, 1]
        tok_start = idx.tolist()
        tok_end = (arr[:, 1] + arr[:, 2]).tolist()
        text = doc.text if text is None else text  # doc.text rebuilds the string token by token
        starts = np.searchsorted(idx, [a for a, _ in segments], side="left").tolist()
        ends = np.searchsorted(idx, [b for _, b in segments], side="left").tolist()
        out: list[list[Hit]] = [[] for _ in segments]
        seen: set[tuple[str, int, int, bool]] = set()
        covered: set[int] = set()

        entries = self.entries
        n_seg = len(segments)

        def add(kind: str, matches) -> None:
            # matchers run best rule first, so the first hit of (code, span) is the one to keep
            for match_id, s, e in matches:
                entry = entries.get(match_id)
                if entry is None:
                    continue
                k = (entry.code, s, e, entry.marker)
                if k in seen:
                    continue
                seen.add(k)
                seg = bisect_right(starts, s) - 1
                if seg < 0 or e > ends[seg]:
                    continue
                a, b = tok_start[s], tok_end[e - 1]
                base = segments[seg][0]
                out[seg].append(Hit(entry.code, a - base, b - base, text[a:b], kind, entry.keyword, entry.marker))
                if e - s == 1:
                    covered.add(s)
                else:
                    covered.update(range(s, e))

        for kind, matcher in (("patroon", self.pattern_lower), ("patroon", self.pattern_lemma),
                              ("trefwoord", self.lower), ("lemma", self.lemma), ("woordvorm", self.norm)):
            if len(matcher):
                add(kind, matcher(doc))
        add("woordvorm", self._separable_hits(doc, lowers, starts, ends))
        if len(self.matcher):
            if self._always_match:
                candidates = range(len(segments))
            else:  # only turns holding a word of every required token of some pattern
                hit_pos = np.flatnonzero(np.isin(arr[:, 0], self._anchor_array))
                candidates = sorted({bisect_right(starts, int(i)) - 1 for i in hit_pos})
            for seg in candidates:
                a, b = starts[seg], ends[seg]
                if b > a and (self._always_match or self._may_match(set(lowers[a:b]))):
                    add("patroon", [(match_id, a + s, a + e) for match_id, s, e in self.matcher(doc[a:b])])
        cache = self._extra_cache
        # per distinct form only (numpy): a Token object is made for a new form (its first occurrence, whose
        # NORM the cache keeps) and for the hits alone; the hits come out in token order as before
        uniq, first = np.unique(arr[:, 0], return_index=True)
        hit_forms = []
        for h, i in zip(uniq.tolist(), first.tolist()):
            found = cache.get(h)
            if found is None:
                token = doc[i]
                found = self._extra(token.lower_, strings[token.norm] if token.norm else token.lower_)
                cache[h] = found
            if found:
                hit_forms.append(h)
        if not hit_forms:
            return out
        seg = 0
        for i in np.flatnonzero(np.isin(arr[:, 0], np.asarray(hit_forms, dtype=np.uint64))).tolist():
            if i in covered:
                continue
            while seg + 1 < n_seg and starts[seg + 1] <= i:
                seg += 1
            if not starts[seg] <= i < ends[seg]:
                continue
            token = doc[i]
            base = segments[seg][0]
            for kind, keyword, entry in cache[lowers[i]]:
                out[seg].append(Hit(entry.code, token.idx - base, token.idx - base + len(token), token.text, kind,
                                    keyword, False))
        return out

    def _may_match(self, lowers: set[int]) -> bool:
        """Could any pattern match: does the turn hold a word of every required token of some pattern?"""
        return any(all(not words.isdisjoint(lowers) for words in req) for req in self.required)

    def _extra(self, lower: str, key: str) -> tuple[tuple[str, str, _Entry], ...]:
        """Compound and typo hits of one word form (computed once per form)."""
        w = strip_accents(lower)
        n = len(w)
        if n < 6 or not w.isalpha():
            return ()
        known = self.lex.known
        out: dict[str, tuple[str, str, _Entry]] = {}
        # a participle made from a keyword (loanwords the lexicon lacks): gescreenshot, geappt, gehackt
        if w.startswith("ge") and n >= 6:
            core = w[2:]
            for probe in (core, core[:-1] if core[-1] in "dt" else ""):
                entries = self.forms.get(probe) if len(probe) >= 3 else None
                if entries:
                    for e in entries:
                        out.setdefault(e.code, ("woordvorm", e.keyword, e))
                    return tuple(out.values())
        # keyword as modifier: racisme|grap, pest|filmpje
        for size in range(n - 3, 3, -1):
            entries = self.prefixes.get(w[:size])
            if entries and _is_word(w[size:], known):
                for e in entries:
                    out.setdefault(e.code, ("samenstelling", e.keyword, e))
                break
        # keyword as head: stage|discriminatie, zak|mes, school|pest(ers) -- not a participle (ge|regel|d ≠ geld)
        participle = w.startswith("ge") and participle_stem(w, self.lex.lemma_set) is not None
        for form in ((w, key) if key != w else (w,)) if not participle else ():
            for size in range(len(form) - 3, 2, -1):
                entries = self.suffixes.get(form[-size:])
                if entries and _is_word(form[:-size], known, modifier=True):
                    for e in entries:
                        out.setdefault(e.code, ("samenstelling", e.keyword, e))
                    break
        if out or w in known or n < MIN_FUZZY_LEN:
            return tuple(out.values())
        # the word, then its stem: a fixed order, so the rule named in the evidence (and the fingerprint that
        # keeps a rejection) does not depend on the hash seed of the process
        for probe, is_stem in ((w, False), (key, True)):
            if is_stem and (key == w or len(key) < 8):
                continue  # short stems are too close to each other (klein ~ kleiner)
            limit = 1 if len(probe) <= 8 else 2
            for length in range(len(probe) - limit, len(probe) + limit + 1):
                for form, e in self.fuzzy.get((probe[0], length), ()):
                    if e.code not in out and OSA.distance(probe, form, score_cutoff=limit) <= limit:
                        out[e.code] = ("spelling", e.keyword, e)
        return tuple(out.values())


def _is_word(part: str, known: frozenset[str], modifier: bool = False) -> bool:
    """Is the rest of a compound a Dutch word (modifiers may end in a linking s/e/en)?"""
    if len(part) < 3 or (modifier and part in NOT_MODIFIERS):
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


MAX_EXPANSION = 5000


def _set_rarity(words: set[int]) -> int:
    """Fewer alternatives = rarer token; used to pick each pattern's anchor set."""
    return len(words)


def _expand(pattern: list[dict]) -> tuple[str, list[tuple[str, ...]]] | None:
    """All word sequences a pattern of fixed words (one attribute, optional `?` tokens) matches, else None."""
    attr: str | None = None
    options: list[list[str | None]] = []
    for tok in pattern:
        op = tok.get("OP")
        keys = [k for k in tok if k != "OP"]
        if op not in (None, "?") or len(keys) != 1:
            return None
        key = "LOWER" if keys[0] in ("LOWER", "ORTH", "TEXT") else keys[0]
        if key not in ("LOWER", "LEMMA") or (attr is not None and key != attr):
            return None
        attr = key
        val = tok[keys[0]]
        words = [val] if isinstance(val, str) else val.get("IN") if isinstance(val, dict) and set(val) == {"IN"} else None
        if not words or not all(isinstance(w, str) and w and " " not in w for w in words):
            return None
        words = [w.lower() for w in words]
        options.append(words + ([None] if op == "?" else []))
    total = 1
    for o in options:
        total *= len(o)
    if attr is None or total > MAX_EXPANSION:
        return None
    sequences: set[tuple[str, ...]] = set()
    for combo in product(*options):
        seq = tuple(w for w in combo if w is not None)
        if seq:
            sequences.add(seq)
    return attr, sorted(sequences)


def _required_words(pattern: list[dict]) -> list[set[str]] | None:
    """For each required token that pins its words down (LOWER/ORTH/TEXT), those words, lower-cased.

    None when no token does (then the Matcher always runs). Used only to skip
    turns where the pattern cannot match, so it never changes what matches.
    """
    out: list[set[str]] = []
    for tok in pattern:
        if tok.get("OP") in ("?", "*", "!"):
            continue
        for attr in ("LOWER", "ORTH", "TEXT"):
            val = tok.get(attr)
            words = {val} if isinstance(val, str) else set(val.get("IN", [])) if isinstance(val, dict) else set()
            if words and all(isinstance(w, str) for w in words):
                out.append({w.lower() for w in words})
                break
    return out or None


def _describe(pattern: list[dict]) -> str:
    """A short readable form of a Matcher pattern for the evidence list."""
    parts = []
    for tok in pattern:
        (attr, val), *_ = tok.items() if tok else (("", "*"),)
        if isinstance(val, dict) and "IN" in val:
            val = "/".join(map(str, val["IN"][:3])) + ("/…" if len(val["IN"]) > 3 else "")
        parts.append(str(val))
    return " ".join(parts)
