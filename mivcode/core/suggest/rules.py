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

from rapidfuzz import process
from rapidfuzz.distance import OSA
from bisect import bisect_right

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, LEMMA, LENGTH, LOWER, NORM
from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from mivcode.core.model import Code
from mivcode.core.suggest.dutch import IDIOMS, SEPARABLE, match_key, participle_stem, strip_accents
from mivcode.core.suggest.pipeline import FORMS_KEY, lexicon

# How much one piece of evidence says on its own (before combining and turn factors).
WEIGHTS = {
    "patroon": 0.9, "trefwoord": 0.85, "lemma": 0.85, "woordvorm": 0.8,
    "samenstelling": 0.7, "spelling": 0.6,
}
MIN_FUZZY_LEN = 6
# The head after a keyword as modifier has at least 4 letters: racisme|grap, pest|filmpje; three-letter
# tails are mostly a longer word's ending (comment|aar is commentaar, not a comment).
MIN_HEAD = 4
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
# A word right after one of these is a noun, not the verb of a split separable verb ("de hele dag uit" is no
# "uitdagen"). Not "dat"/"die": they front the object in "dat trek ik me niet aan".
NOUN_MARKERS = ("de", "het", "een", "deze", "elke", "iedere", "hele", "heel", "mijn", "m'n", "zijn", "z'n", "haar",
                "onze", "ons", "hun", "jouw", "uw")
# Inseparable prefixes make a new verb, not a compound: verpesten is not pesten.
NOT_MODIFIERS = {"ver", "ont", "her", "mis", "be", "ge", "er"}


LOWER_COL, LEMMA_COL, NORM_COL = 0, 1, 2
# Which rule wins when several find the same code on the same words (the evidence names one).
PRIO_PATTERN_LOWER, PRIO_PATTERN_LEMMA, PRIO_LOWER, PRIO_LEMMA, PRIO_NORM, PRIO_SEPARABLE, PRIO_MATCHER = range(7)
KIND = {PRIO_PATTERN_LOWER: "patroon", PRIO_PATTERN_LEMMA: "patroon", PRIO_LOWER: "trefwoord", PRIO_LEMMA: "lemma",
        PRIO_NORM: "woordvorm", PRIO_SEPARABLE: "woordvorm", PRIO_MATCHER: "patroon"}


_UNSEEN = object()


def _prio(found: tuple) -> int:
    return found[0]


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
    """Compiled from the codebook once; `match(doc)` gives the hits of one turn.

    Single words, which are most of the codebook, are looked up per token in
    three hash tables (LOWER, LEMMA, NORM): that is all a PhraseMatcher does
    for a one-token phrase, without walking its trie over every token of the
    transcript. Phrases of two or more tokens go to spaCy's PhraseMatcher,
    patterns that are not plain word sequences to its Matcher.
    """

    def __init__(self, nlp: Language, codes: list[Code]):
        self.vocab = nlp.vocab
        self.lex = lexicon()
        # contextual lemmas (a trained pipeline) are not a function of the word form: check every column
        normalizer = nlp.get_pipe("miv_normalizer") if "miv_normalizer" in nlp.pipe_names else None
        self.contextual_lemmas = bool(getattr(normalizer, "use_model_lemmas", True))
        # phrases of two or more tokens; patterns and keywords share a matcher per attribute, the entry says which
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.norm = PhraseMatcher(nlp.vocab, attr="NORM")
        self.matcher = Matcher(nlp.vocab, validate=True)
        # one-token phrases: attribute value -> (priority, kind, entry), best rule first
        self.single: tuple[dict[int, list[tuple[int, str, _Entry]]], ...] = ({}, {}, {})
        self.entries: dict[int, _Entry] = {}
        self.pattern_prio: dict[int, int] = {}  # match id of an expanded pattern -> its priority
        self.prefixes: dict[str, list[_Entry]] = defaultdict(list)
        self.suffixes: dict[str, list[_Entry]] = defaultdict(list)
        self.forms: dict[str, list[_Entry]] = defaultdict(list)  # one-word keywords as written (participles)
        self.fuzzy: dict[tuple[str, int], list[tuple[str, _Entry]]] = defaultdict(list)
        self._extra_cache: dict[int, tuple[tuple[str, str, _Entry], ...]] = {}
        self._form_infos: dict[int, tuple | None] = {}
        self._wanted: dict[tuple[int, int], dict[int, list[tuple[int, bool]]]] = {}  # verb → its particles
        self._rank: dict[tuple[int, int, _Entry], int] = {}
        # separable verbs (uitschelden: "ze schelden hem uit") and noun + verb phrases in verb-second order
        # ("hou je mond"): verb lemma / match key → (particle or noun, match id, particle must end the clause)
        self.separable_lemma: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
        self.separable_norm: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
        self._clause_end = {self.vocab.strings.add(w) for w in CLAUSE_WORDS}
        self._noun_markers = {self.vocab.strings.add(w) for w in NOUN_MARKERS}
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
                entry = _Entry(code.id, _describe(pattern), False)
                match_id = self.vocab.strings.add(key)
                self.entries[match_id] = entry
                # Patterns of fixed words and optional tokens are expanded into phrases: spaCy's PhraseMatcher
                # is ~50× faster than its Matcher on IN-predicates over a long transcript.
                expanded = _expand(pattern)
                if expanded is not None:
                    attr, sequences = expanded
                    col, prio = (LOWER_COL, PRIO_PATTERN_LOWER) if attr == "LOWER" else (LEMMA_COL, PRIO_PATTERN_LEMMA)
                    self.pattern_prio[match_id] = prio
                    multi = []
                    for seq in sequences:
                        if len(seq) == 1:
                            self._add_single(col, self.vocab.strings.add(seq[0]), prio, entry)
                        else:
                            multi.append(Doc(self.vocab, words=list(seq), lemmas=list(seq)))
                    if multi:
                        (self.lower if col == LOWER_COL else self.lemma).add(key, multi)
                    continue
                required = _required_words(pattern)
                if required is None:
                    self._always_match = True
                else:
                    self.required.append([{self.vocab.strings.add(w) for w in words} for words in required])
                self.matcher.add(key, [pattern])
        # each Matcher pattern's anchor: its required token least likely to occur (see _set_rarity)
        self._anchors = frozenset(h for req in self.required for h in min(req, key=self._set_rarity))
        # fixed expressions that are no evidence (dutch.IDIOMS): an entry without a code
        for i, pattern in enumerate(IDIOMS):
            expanded = _expand(pattern)
            if expanded is None or expanded[0] != "LOWER":
                raise ValueError(f"dutch.IDIOMS[{i}] must be fixed LOWER words with optional tokens")
            key = f"|idioom|{i}"
            self.entries[self.vocab.strings.add(key)] = _Entry("", _describe(pattern), False)
            self.lower.add(key, [Doc(self.vocab, words=list(seq)) for seq in expanded[1]])
        docs = list(nlp.pipe([p for p, _ in phrases], batch_size=256))
        for (phrase, entry), doc in zip(phrases, docs):
            if not len(doc):
                continue
            # a keyword whose reduced form is a function word ("watje" → "wat") would match everywhere
            by_norm = not all(t.norm_ in STOP_WORDS and t.norm_ != t.lower_ for t in doc)
            if len(doc) == 1:
                tok = doc[0]
                base = tok.lower == tok.lemma
                self._add_single(LOWER_COL, tok.lower, PRIO_LOWER, entry, base)
                self._add_single(LEMMA_COL, tok.lemma, PRIO_LEMMA, entry, base)
                if by_norm:
                    self._add_single(NORM_COL, tok.norm, PRIO_NORM, entry, base)
                if not entry.marker:  # a marker is a phrase as said: no compounds or typos of it
                    self._index_word(tok.lower_, tok.norm_, entry)
                # split separable verbs, markers too: "je lacht het maar weg", "trek het je niet aan"
                self._index_separable(tok.lower_, entry)
                continue
            key = f"{entry.code}|{'m' if entry.marker else 'k'}|{phrase}"
            match_id = self.vocab.strings.add(key)
            self.entries[match_id] = entry
            self.lower.add(key, [doc])
            self.lemma.add(key, [doc])
            if by_norm:
                self.norm.add(key, [doc])
            if len(doc) == 2 and not entry.marker:
                self._index_verb_second(doc, phrase, entry)
        for table in self.single:
            for found in table.values():
                found.sort(key=_prio)
        by_letter: dict[str, tuple[list[str], list[_Entry]]] = {}
        for (letter, _), items in sorted(self.fuzzy.items()):
            forms, entries = by_letter.setdefault(letter, ([], []))
            forms.extend(f for f, _ in items)
            entries.extend(e for _, e in items)
        self._fuzzy_lists = by_letter
        self._prefix_sizes = sorted({len(k) for k in self.prefixes if len(k) >= 4}, reverse=True)
        self._suffix_sizes = sorted({len(k) for k in self.suffixes if len(k) >= 3}, reverse=True)
        del self._rank

    def _set_rarity(self, words: set[int]) -> tuple[int, int]:
        """How often a pattern token is likely to occur, to pick each pattern's anchor: a set holding a
        function word (wat, geen, heeft) comes up in most turns; then fewer alternatives = rarer."""
        strings = self.vocab.strings
        return (sum(strings[h] in STOP_WORDS for h in words), len(words))

    def _add_single(self, col: int, value: int, prio: int, entry: _Entry, base_form: bool = True) -> None:
        """One code is named once per rule and word: by its keyword that *is* this form, else by one in its
        base form (pesten rather than gepest for pesters), else by its first keyword in the codebook."""
        kind = KIND[prio]
        rank = 2 if entry.keyword.lower() == self.vocab.strings[value] else int(base_form)
        found = self.single[col].setdefault(value, [])
        for n, (p, _, e) in enumerate(found):
            if e.code == entry.code and e.marker == entry.marker and p == prio:
                if rank > self._rank.get((col, value, e), 0):
                    found[n] = (prio, kind, entry)
                    self._rank[(col, value, entry)] = rank
                return
        self._rank[(col, value, entry)] = rank
        found.append((prio, kind, entry))

    def _index_separable(self, keyword: str, entry: _Entry) -> None:
        """A keyword that is a separable verb (uit|schelden, na|fluiten, aan|raken) also matches split up."""
        w = strip_accents(keyword)
        if not w.endswith("en") or w != self.lex.lemma(w) and self.lex.lemma(w) != keyword:
            return
        for particle in sorted(SEPARABLE, key=len, reverse=True):
            verb = w[len(particle):]
            if w.startswith(particle) and len(verb) >= 5 and not verb.startswith("ge") and verb in self.lex.lemma_set:
                strings = self.vocab.strings
                key = f"{entry.code}|scheidbaar|{'m' if entry.marker else 'k'}|{keyword}"
                match_id = strings.add(key)
                self.entries[match_id] = _Entry(entry.code, keyword, entry.marker)
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
        if (v not in self.lex.lemma_set or v in AUXILIARIES or x in STOP_WORDS or len(x) < 3
                or x in self.lex.lemma_set or not (x in self.lex.nouns or x.startswith("er"))):
            return
        strings = self.vocab.strings
        match_id = strings.add(f"{entry.code}|v2|{phrase}")
        self.entries[match_id] = _Entry(entry.code, phrase, False)
        norm = match_key(v, self.lex.lemma(v), self.lex.nouns, self.lex.lemma_set)
        for target in (head.lower, head.norm):
            self.separable_lemma[strings.add(v)].append((target, match_id, False))
            self.separable_norm[strings.add(norm)].append((target, match_id, False))

    def _index_word(self, lower: str, key: str, entry: _Entry) -> None:
        lower = strip_accents(lower)
        self.forms[lower].append(entry)
        # a verb's stem leads a compound (pest|filmpje) but does not end one: as a head it is mostly the tail
        # of an unrelated word (kwar|tier ≠ tieren); the infinitive still does (cyber|pesten)
        verb = key != lower and (lower in self.lex.lemma_set or self.lex.lemma(lower) in self.lex.lemma_set
                                 or participle_stem(lower, self.lex.lemma_set) is not None)
        for form in {lower, key}:
            if len(form) >= 4:
                self.prefixes[form].append(entry)
                if not (verb and form == key):
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
        the per-Doc overhead of the tokenizer and the matchers, which dominated
        the time for short turns. Turns are joined by one space (a newline makes
        spaCy's tokenizer 3-4× slower); a match that would run into the next
        turn is dropped here.

        Python touches only the tokens that can start a hit: which word forms
        can is decided once per distinct form (numpy's unique over the doc),
        and most tokens of a transcript are words no rule knows.
        """
        arr = doc.to_array([LOWER, LEMMA, NORM, IDX, LENGTH, IS_PUNCT])
        out: list[list[Hit]] = [[] for _ in segments]
        if not len(arr):
            return out
        text = doc.text if text is None else text  # doc.text rebuilds the string token by token
        idx = arr[:, 3]
        starts = np.searchsorted(idx, [a for a, _ in segments], side="left").tolist()
        ends = np.searchsorted(idx, [b for _, b in segments], side="left").tolist()
        positions, infos = self._candidates(doc, arr)
        n_seg = len(segments)
        covered: set[int] = set()
        multi: list[tuple[int, int, int, int]] = []  # (start, priority, end, match id) of multi-token matches
        pattern_segs: set[int] = set()
        extra: list[tuple[int, int, int, int, int]] = []
        # numbers of the candidate tokens only: converting whole columns to lists cost more than the loop
        sub = arr[positions]
        seg = 0
        for i, lh, mh, nh, a, length in zip(positions.tolist(), *sub[:, :5].T.tolist()):
            while seg + 1 < n_seg and starts[seg + 1] <= i:
                seg += 1
            if not starts[seg] <= i < ends[seg]:
                continue
            found, separable, anchor, has_extra = infos[lh] if infos is not None else self._token_info(lh, mh, nh)
            if found:
                base = segments[seg][0]
                word = text[a:a + length]
                hits = out[seg]
                for kind, code, keyword, marker in found:
                    hits.append(Hit(code, a - base, a + length - base, word, kind, keyword, marker))
                covered.add(i)
            if separable:
                self._separable(i, ends[seg], arr, multi)
            if anchor:
                pattern_segs.add(seg)
            if has_extra:
                extra.append((i, seg, lh, a, length))
        pattern_prio = self.pattern_prio
        for matcher, prio in ((self.lower, PRIO_LOWER), (self.lemma, PRIO_LEMMA), (self.norm, PRIO_NORM)):
            if len(matcher):
                for match_id, s, e in matcher(doc):
                    multi.append((s, pattern_prio.get(match_id, prio), e, match_id))
        if len(self.matcher):
            for seg in range(n_seg) if self._always_match else sorted(pattern_segs):
                a, b = starts[seg], ends[seg]
                if b > a and (self._always_match or self._may_match(set(arr[a:b, 0].tolist()))):
                    multi.extend((a + s, PRIO_MATCHER, a + e, match_id) for match_id, s, e in self.matcher(doc[a:b]))
        if multi:
            self._add_multi(multi, segments, starts, ends, arr, text, out, covered)
        extra_cache = self._extra_cache
        for i, seg, lh, a, length in extra:
            if i in covered:
                continue
            base = segments[seg][0]
            word = text[a:a + length]
            for kind, keyword, entry in extra_cache[lh]:
                out[seg].append(Hit(entry.code, a - base, a + length - base, word, kind, keyword, False))
        return out

    def _candidates(self, doc: Doc, arr: np.ndarray) -> tuple[np.ndarray, dict[int, tuple] | None]:
        """Positions of the tokens that may start a hit, in order, deciding once per distinct form; and, when
        the lemmas are the lookup table's (a function of the form), what each such form finds."""
        forms = doc.user_data.get(FORMS_KEY)
        if forms is None or len(forms[2]) != len(arr):
            forms = np.unique(arr[:, 0], return_index=True, return_inverse=True)
        uniq, first, inverse = forms
        infos = self._form_infos
        flags = []
        for h, i in zip(uniq.tolist(), first.tolist()):
            info = infos.get(h, _UNSEEN)
            if info is _UNSEEN:
                info = infos[h] = self._form_info(doc[i])
            flags.append(info is not None)
        mask = np.asarray(flags, dtype=bool)[inverse.reshape(-1)]
        if not self.contextual_lemmas:
            return np.flatnonzero(mask), infos
        # the lemma and key of a form may differ per sentence: check those columns too
        for col, tables in ((1, (self.single[LEMMA_COL], self.separable_lemma)),
                            (2, (self.single[NORM_COL], self.separable_norm))):
            u, inv = np.unique(arr[:, col], return_inverse=True)
            keep = np.asarray([any(h in t for t in tables) for h in u.tolist()], dtype=bool)
            mask |= keep[inv.reshape(-1)]
        return np.flatnonzero(mask), None

    def _form_info(self, token) -> tuple | None:
        """What one word form finds (None: nothing); with lookup lemmas the same wherever it occurs."""
        lower = token.lower
        extra = self._extra_cache.get(lower)
        if extra is None:
            extra = self._extra_cache[lower] = self._extra(token.lower_, token.norm_ if token.norm else token.lower_)
        info = self._token_info(lower, token.lemma, token.norm)
        return info if any(info) else None

    def _token_info(self, lower: int, lemma: int, norm: int) -> tuple:
        """(single-word hits as (kind, code, keyword, marker), a verb to split?, a pattern anchor?, compound or
        typo?) of one token; the best rule per code, as the evidence names one rule."""
        found = [*self.single[LOWER_COL].get(lower, ()), *self.single[LEMMA_COL].get(lemma, ()),
                 *self.single[NORM_COL].get(norm, ())]
        found.sort(key=_prio)
        seen: set[tuple[str, bool]] = set()
        hits = []
        for _, kind, e in found:
            if (e.code, e.marker) not in seen:
                seen.add((e.code, e.marker))
                hits.append((kind, e.code, e.keyword, e.marker))
        separable = lemma in self.separable_lemma or norm in self.separable_norm
        return (tuple(hits), separable, lower in self._anchors, bool(self._extra_cache.get(lower)))

    def _separable(self, i: int, end: int, arr: np.ndarray, multi: list[tuple[int, int, int, int]]) -> None:
        """A split separable verb: the verb, then within the same clause its particle as the clause's last
        word ("ze lachten hem de hele dag uit.") or before a conjunction or a prepositional phrase ("uit op
        het plein"), so that a preposition ("ik wacht op de bus") does not count."""
        if i and arr[i - 1, 0] in self._noun_markers:
            return
        key = (int(arr[i, 1]), int(arr[i, 2]))
        wanted = self._wanted.get(key)
        if wanted is None:
            wanted = self._wanted[key] = {}
            for p, m, final in (*self.separable_lemma.get(key[0], ()), *self.separable_norm.get(key[1], ())):
                wanted.setdefault(p, []).append((m, final))
        stop = min(end, i + 1 + SEPARABLE_REACH)
        window = arr[i + 1:min(stop + 1, end), :].tolist()  # one token past the reach: what follows the particle
        done: set[int] = set()
        for k, row in enumerate(window[:stop - i - 1]):
            if row[5]:
                break
            j = i + 1 + k
            for m, final in (*wanted.get(row[0], ()), *wanted.get(row[2], ())):
                if m in done:
                    continue
                if not final or j + 1 >= end or window[k + 1][5] or window[k + 1][0] in self._clause_end:
                    multi.append((i, PRIO_SEPARABLE, j + 1, m))
                    done.add(m)

    def _idioms_first(self, m: tuple[int, int, int, int]) -> tuple[bool, int, int, int, int]:
        entry = self.entries.get(m[3])
        return (entry is None or bool(entry.code), *m)

    def _add_multi(self, multi, segments, starts, ends, arr, text, out, covered) -> None:
        """Multi-token matches, best rule first per (code, span); a match that runs into the next turn is dropped."""
        entries = self.entries
        seen: set[tuple[str, int, int, bool]] = set()
        idioms: list[tuple[int, int, int]] = []
        for s, prio, e, match_id in sorted(multi, key=self._idioms_first):
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
            a, b = int(arr[s, 3]), int(arr[e - 1, 3] + arr[e - 1, 4])
            base = segments[seg][0]
            covered.update(range(s, e))
            if not entry.code:  # an idiom: its words are nobody's evidence
                out[seg][:] = [h for h in out[seg] if not (a - base <= h.start and h.end <= b - base)]
                idioms.append((seg, a - base, b - base))
                continue
            if any(sg == seg and ia <= a - base and b - base <= ib for sg, ia, ib in idioms):
                continue
            if prio == PRIO_SEPARABLE and not entry.marker:
                # the verb of a split separable verb is that verb, not a marker of its own ("ze lachten hem
                # uit" is uitlachen, not the normalising "lachen")
                verb_end = int(arr[s, 3] + arr[s, 4]) - base
                out[seg][:] = [h for h in out[seg] if not (h.marker and h.start == a - base and h.end == verb_end)]
            out[seg].append(Hit(entry.code, a - base, b - base, text[a:b], KIND[prio], entry.keyword, entry.marker))

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
        for size in self._prefix_sizes:  # longest first, only lengths some keyword has
            if size > n - MIN_HEAD:
                continue
            entries = self.prefixes.get(w[:size])
            if entries and _is_word(w[size:], known):
                for e in entries:
                    out.setdefault(e.code, ("samenstelling", e.keyword, e))
                break
        # keyword as head: stage|discriminatie, zak|mes, school|pest(ers) -- not a participle (ge|regel|d ≠ geld)
        participle = w.startswith("ge") and participle_stem(w, self.lex.lemma_set) is not None
        for form in ((w, key) if key != w else (w,)) if not participle else ():
            for size in self._suffix_sizes:
                if size > len(form) - 3:
                    continue
                entries = self.suffixes.get(form[-size:])
                if entries and _is_word(form[:-size], known, modifier=True):
                    for e in entries:
                        out.setdefault(e.code, ("samenstelling", e.keyword, e))
                    break
        if out or w in known or n < MIN_FUZZY_LEN:
            return tuple(out.values())
        # a compound of two known words (stage|kleding) is a typo only one letter away from a keyword
        # (trie|teren is treiteren); two letters away it is that compound (stagekled ~ stageplek)
        compound = _is_compound(w, known)
        # the word, then its stem: a fixed order, so the rule named in the evidence (and the fingerprint that
        # keeps a rejection) does not depend on the hash seed of the process
        for probe, is_stem in ((w, False), (key, True)):
            if is_stem and (key == w or len(key) < 8):
                continue  # short stems are too close to each other (klein ~ kleiner)
            limit = 1 if len(probe) <= 8 or compound else 2
            forms, entries = self._fuzzy_lists.get(probe[0], ((), ()))
            # one call into rapidfuzz's C loop per word, nearest keyword first
            for _, _, k in process.extract(probe, forms, scorer=OSA.distance, score_cutoff=limit, limit=None):
                e = entries[k]
                if e.code not in out:
                    out[e.code] = ("spelling", e.keyword, e)
        return tuple(out.values())


def _is_compound(w: str, known: frozenset[str]) -> bool:
    """Two known Dutch words, the first optionally with a linking s/e/en: stagekleding, kledingkast."""
    return any(_is_word(w[:k], known, modifier=True) and w[k:] in known for k in range(3, len(w) - 2))


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
