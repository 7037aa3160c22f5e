"""What the learned model reads per (turn, theme): everything the rules already know, as numbers.

One row per turn and top-level theme, because reports count themes per turn and
because a team's conventions are about themes ("we code the moderator's
question", "reporting is not accepted unsafety"). The columns: the turn's own
rule evidence (strength, number of distinct words, per kind of hit), markers and
the composite of accepted unsafety, the same theme's own evidence in the turns
around it, what the moderator last asked, the rules' topic and final score,
speaker role and question flags, length, position, and the segment features of
`discourse`. Interactions with "the moderator speaks" double the columns, so a
team that codes moderator questions can learn to, and one that does not learns
that too. The order is part of a trained model: `FEATURE_NAMES` is stored with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mivcode.core.conventions import DEFAULT as DEFAULT_CONVENTIONS
from mivcode.core.conventions import Conventions
from mivcode.core.suggest.discourse import SEGMENT_FEATURES, segment_features
from mivcode.core.suggest.dutch import is_question
from mivcode.core.suggest.scoring import RULE_THRESHOLD, _substantive

KINDS = ("trefwoord", "lemma", "woordvorm", "patroon", "samenstelling", "spelling")
_TURN_FEATURES = (
    ("own", "own_n", "own_mod") + tuple(f"k_{k}" for k in KINDS)
    + ("marker", "composite", "p1", "p2", "p3", "n1", "n2", "mod_asks", "topic", "final",
       "is_mod", "question", "logw", "backch", "intro", "other_own", "pos", "own_strong", "fires",
       "conv_mod_q", "conv_mod_asks"))
BASE_FEATURES = _TURN_FEATURES + SEGMENT_FEATURES + ("bias",)
# Every column but the bias once more, multiplied by "the moderator speaks".
FEATURE_NAMES = BASE_FEATURES + tuple(f"mod*{f}" for f in BASE_FEATURES[:-1])
_F = {name: i for i, name in enumerate(BASE_FEATURES)}
STRONG = 0.8  # a direct keyword or lemma hit: a step the model can weigh on its own, not only a slope
MOD_ASKS_WITHIN = 6  # turns after a moderator's question that still answer it
TEXT_DIM = 2 ** 13          # hashed uni- and bigram buckets per theme
_BIGRAM = np.uint64(1_000_003)
_MODERATOR_BUCKET = TEXT_DIM - 1  # "the moderator speaks", as one more n-gram


def turn_grams(arr: np.ndarray, turn_ids: list[int], spans: list[tuple[int, int]], moderator: list[bool]
               ) -> tuple[np.ndarray, np.ndarray]:
    """(turn, bucket) pairs, each once, of the uni- and bigrams of one chunk's match keys.

    Read straight from the Doc's NORM hashes (what the rules match on, so 'pesters', 'gepest' and 'pesten'
    are one feature): spaCy's string hashes are the same in every process, so are the buckets. `arr` is
    `doc.to_array([NORM, IS_PUNCT, IS_SPACE, IDX])`; bigrams never cross a turn.
    """
    if not len(arr):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    keep = (arr[:, 1] == 0) & (arr[:, 2] == 0)
    norms, idx = arr[keep, 0], arr[keep, 3].astype(np.int64)
    ends = np.array([b for _a, b in spans], dtype=np.int64)
    which = np.searchsorted(ends, idx, side="right")      # chunk-local turn of each token
    ok = which < len(turn_ids)
    norms, which = norms[ok], which[ok]
    uni = (norms % np.uint64(TEXT_DIM)).astype(np.int64)
    same = which[1:] == which[:-1]
    bi = (((norms[:-1] * _BIGRAM) ^ norms[1:]) % np.uint64(TEXT_DIM)).astype(np.int64)[same]
    turns = np.asarray(turn_ids, dtype=np.int64)
    rows = np.concatenate([turns[which], turns[which[1:][same]], turns[np.asarray(moderator, dtype=bool)]])
    cols = np.concatenate([uni, bi, np.full(int(np.sum(moderator)), _MODERATOR_BUCKET, dtype=np.int64)])
    key = np.unique(rows * TEXT_DIM + cols)
    return key // TEXT_DIM, key % TEXT_DIM


@dataclass(slots=True)
class ThemeFrame:
    """One transcript's features: `X[i, k]` for turn i and theme k, and `own` (its own rule evidence)."""

    themes: list[str]
    X: np.ndarray            # (n, T, len(BASE_FEATURES)) float32; the moderator interactions are `full()`
    own: np.ndarray          # (n, T) the turn's own rule evidence per theme
    asked: list[dict[int, float]]
    moderator: list[bool]
    texts: list[str]         # the turns as said (segments, questions)
    grams: tuple[np.ndarray, np.ndarray]  # (turn, bucket) of its hashed n-grams of match keys
    mod: np.ndarray          # (n,) 1.0 where the moderator speaks

    def hashed(self):
        """(n turns, TEXT_DIM) 0/1 sparse matrix of the n-grams."""
        from scipy import sparse

        rows, cols = self.grams
        return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                 shape=(len(self.texts), TEXT_DIM))

    def full(self) -> np.ndarray:
        """(n, T, len(FEATURE_NAMES)): the columns and their products with "the moderator speaks" (training)."""
        return np.concatenate([self.X, self.X[:, :, :-1] * self.mod[:, None, None]], axis=2)

    def row(self, i: int, k: int) -> np.ndarray:
        """One (turn, theme) row of `full()`, for explaining a decision."""
        x = self.X[i, k]
        return np.concatenate([x, x[:-1] * self.mod[i]])


def theme_frame(rule: list[dict], detail: dict, texts: list[str], grams: tuple, themes: list[str],
                theme_of: dict[str, str], conventions: Conventions = DEFAULT_CONVENTIONS) -> ThemeFrame:
    """Features of one transcript from the rules' scores (`rule`) and their intermediate evidence (`detail`).

    Columns that every turn has are filled for the whole transcript at once; only the (few) turns with
    rule candidates are visited one by one.
    """
    ti = {t: k for k, t in enumerate(themes)}
    n, n_themes = len(texts), len(themes)
    raw, markers, topics, context = detail["raw"], detail["markers"], detail["topics"], detail["context"]
    moderator = [bool(m) for m in detail["moderator"]]
    introducing = detail["introducing"]
    X = np.zeros((n, n_themes, len(BASE_FEATURES)), dtype=np.float32)
    own = np.zeros((n, n_themes), dtype=np.float32)
    kept = np.zeros((n, n_themes), dtype=np.float32)  # own evidence as the rules kept it (see below)
    F_own_n, F_final, F_comp, F_marker, F_topic = _F["own_n"], _F["final"], _F["composite"], _F["marker"], _F["topic"]
    kinds = {k: _F["k_" + k] for k in KINDS}
    for i in range(n):
        if raw[i]:
            for code, c in raw[i].items():
                k = ti.get(theme_of.get(code, ""))
                if k is None:
                    continue
                if c.score > own[i, k]:
                    own[i, k] = c.score
                hits = c.hits or ()
                X[i, k, F_own_n] = max(X[i, k, F_own_n], math.log1p(len({h.text.lower() for h in hits})))
                for h in hits:
                    kk = kinds.get(h.kind)
                    if kk is not None and h.weight > X[i, k, kk]:
                        X[i, k, kk] = h.weight
        for code, hs in markers[i].items():
            k = ti.get(theme_of.get(code, ""))
            if k is not None:
                X[i, k, F_marker] = max(h.weight for h in hs)
        if rule[i]:
            skip = i in introducing
            for code, c in rule[i].items():
                k = ti.get(theme_of.get(code, ""))
                if k is None:
                    continue
                X[i, k, F_final] = max(X[i, k, F_final], min(1.0, c.score))
                if not c.hits and c.via is None and markers[i].get(code):
                    X[i, k, F_comp] = max(X[i, k, F_comp], c.score)
                # What a turn hands on to its segment: a candidate the rules suppressed (by "one behaviour,
                # one code", in a round of introductions) is not carried.
                if not skip and c.via is None and code in raw[i] and raw[i][code].score > kept[i, k]:
                    kept[i, k] = raw[i][code].score
        for theme, (strength, _j, _cand) in topics[i].items():
            k = ti.get(theme)
            if k is not None:
                X[i, k, F_topic] = max(X[i, k, F_topic], strength)
    # what the moderator's last turn before each turn asked (within MOD_ASKS_WITHIN turns)
    last = -1
    F_asks = _F["mod_asks"]
    for i in range(n):
        if last >= 0 and i - last <= MOD_ASKS_WITHIN and context[last]:
            for theme, c in context[last].items():
                k = ti.get(theme)
                if k is not None:
                    X[i, k, F_asks] = max(X[i, k, F_asks], c.score)
        if moderator[i]:
            last = i
    mod = np.array(moderator, dtype=np.float32)
    X[:, :, _F["own"]] = own
    X[:, :, _F["own_mod"]] = own * mod[:, None]
    for off, name in ((1, "p1"), (2, "p2"), (3, "p3")):
        if n > off:
            X[off:, :, _F[name]] = own[:-off]
    for off, name in ((1, "n1"), (2, "n2")):
        if n > off:
            X[:-off, :, _F[name]] = own[off:]
    if n_themes > 1 and n:
        s = np.sort(own, axis=1)
        X[:, :, _F["other_own"]] = np.where(own >= s[:, -1:], s[:, -2:-1], s[:, -1:])
    question = np.array([is_question(t) for t in texts], dtype=np.float32)
    X[:, :, _F["is_mod"]] = mod[:, None]
    X[:, :, _F["question"]] = question[:, None]
    X[:, :, _F["logw"]] = (np.log1p(np.array([len(t.split()) for t in texts], dtype=np.float32)) / 5)[:, None]
    X[:, :, _F["backch"]] = np.array([not _substantive(t) for t in texts], dtype=np.float32)[:, None]
    if introducing:
        X[sorted(introducing), :, _F["intro"]] = 1.0
    X[:, :, _F["pos"]] = (np.arange(n, dtype=np.float32) / max(1, n - 1))[:, None]
    X[:, :, _F["own_strong"]] = own >= STRONG
    X[:, :, _F["fires"]] = X[:, :, F_final] >= RULE_THRESHOLD
    if conventions.moderator_questions:  # the team codes a moderator's question on a theme
        for i in np.nonzero(mod)[0]:
            X[i, :, _F["conv_mod_q"]] = question[i]
            for theme, c in context[i].items():
                k = ti.get(theme)
                if k is not None:
                    X[i, k, _F["conv_mod_asks"]] = max(X[i, k, _F["conv_mod_asks"]], c.score)
    X[:, :, _F["bias"]] = 1.0
    asked = [{ti[t]: c.score for t, c in context[j].items() if t in ti} if moderator[j] else {} for j in range(n)]
    seg = segment_features(texts, kept, asked, moderator)
    start = len(_TURN_FEATURES)
    X[:, :, start:start + len(SEGMENT_FEATURES)] = seg
    return ThemeFrame(themes, X, own, asked, moderator, texts, grams, mod)
