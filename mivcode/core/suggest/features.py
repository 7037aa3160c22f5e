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

from mivcode.core.suggest.discourse import SEGMENT_FEATURES, segment_features
from mivcode.core.suggest.dutch import is_question
from mivcode.core.suggest.scoring import RULE_THRESHOLD, _substantive

KINDS = ("trefwoord", "lemma", "woordvorm", "patroon", "samenstelling", "spelling")
_TURN_FEATURES = (
    ("own", "own_n", "own_mod") + tuple(f"k_{k}" for k in KINDS)
    + ("marker", "composite", "p1", "p2", "p3", "n1", "n2", "mod_asks", "topic", "final",
       "is_mod", "question", "logw", "backch", "intro", "other_own", "pos", "own_strong", "fires"))
BASE_FEATURES = _TURN_FEATURES + SEGMENT_FEATURES + ("bias",)
# Every column but the bias once more, multiplied by "the moderator speaks".
FEATURE_NAMES = BASE_FEATURES + tuple(f"mod*{f}" for f in BASE_FEATURES[:-1])
_F = {name: i for i, name in enumerate(BASE_FEATURES)}
STRONG = 0.8  # a direct keyword or lemma hit: a step the model can weigh on its own, not only a slope
MOD_ASKS_WITHIN = 6  # turns after a moderator's question that still answer it
MODERATOR_TOKEN = "__gespreksleider__"


def model_text(norms, moderator: bool) -> str:
    """A turn as the hashed n-grams read it: its match keys (the NORM the rules use, so 'pesters',
    'gepest' and 'pesten' are one feature), and a token saying the moderator speaks."""
    return (MODERATOR_TOKEN + " " if moderator else "") + " ".join(norms)


@dataclass(slots=True)
class ThemeFrame:
    """One transcript's features: `X[i, k]` for turn i and theme k, and `own` (its own rule evidence)."""

    themes: list[str]
    X: np.ndarray            # (n, T, len(FEATURE_NAMES)) float32
    own: np.ndarray          # (n, T) the turn's own rule evidence per theme
    asked: list[dict[int, float]]
    moderator: list[bool]
    texts: list[str]         # the turns as said (segments, questions)
    model_texts: list[str]   # the turns as match keys (hashed n-grams)


def theme_frame(rule: list[dict], detail: dict, texts: list[str], model_texts: list[str], themes: list[str],
                theme_of: dict[str, str]) -> ThemeFrame:
    """Features of one transcript from the rules' scores (`rule`) and their intermediate evidence (`detail`)."""
    ti = {t: k for k, t in enumerate(themes)}
    n, n_themes = len(texts), len(themes)
    raw, markers, topics, context = detail["raw"], detail["markers"], detail["topics"], detail["context"]
    moderator = [bool(m) for m in detail["moderator"]]
    introducing = detail["introducing"]
    X = np.zeros((n, n_themes, len(BASE_FEATURES)), dtype=np.float32)
    own = np.zeros((n, n_themes), dtype=np.float32)
    for i in range(n):
        for code, c in raw[i].items():
            k = ti.get(theme_of.get(code, ""))
            if k is not None:
                own[i, k] = max(own[i, k], c.score)
    for i in range(n):
        text = texts[i]
        row = X[i]
        for code, c in raw[i].items():
            k = ti.get(theme_of.get(code, ""))
            if k is None:
                continue
            hits = c.hits or ()
            row[k, _F["own_n"]] = max(row[k, _F["own_n"]], math.log1p(len({h.text.lower() for h in hits})))
            for h in hits:
                kk = _F["k_" + h.kind] if ("k_" + h.kind) in _F else None
                if kk is not None:
                    row[k, kk] = max(row[k, kk], h.weight)
        for code, hs in markers[i].items():
            k = ti.get(theme_of.get(code, ""))
            if k is not None:
                row[k, _F["marker"]] = max(h.weight for h in hs)
        for code, c in rule[i].items():
            k = ti.get(theme_of.get(code, ""))
            if k is None:
                continue
            row[k, _F["final"]] = max(row[k, _F["final"]], min(1.0, c.score))
            if not c.hits and c.via is None and markers[i].get(code):
                row[k, _F["composite"]] = max(row[k, _F["composite"]], c.score)
        for theme, (strength, _j, _cand) in topics[i].items():
            k = ti.get(theme)
            if k is not None:
                row[k, _F["topic"]] = max(row[k, _F["topic"]], strength)
        j = i - 1  # the moderator's last turn before this one, and what it asked
        while j >= 0 and not moderator[j]:
            j -= 1
        if j >= 0 and i - j <= MOD_ASKS_WITHIN:
            for theme, c in context[j].items():
                k = ti.get(theme)
                if k is not None:
                    row[k, _F["mod_asks"]] = max(row[k, _F["mod_asks"]], c.score)
        row[:, _F["own"]] = own[i]
        row[:, _F["own_mod"]] = own[i] * moderator[i]
        for off, name in ((1, "p1"), (2, "p2"), (3, "p3")):
            if i - off >= 0:
                row[:, _F[name]] = own[i - off]
        for off, name in ((1, "n1"), (2, "n2")):
            if i + off < n:
                row[:, _F[name]] = own[i + off]
        if n_themes > 1:
            top2 = np.sort(own[i])[-2:]
            row[:, _F["other_own"]] = np.where(own[i] >= top2[-1], top2[0], top2[-1])
        row[:, _F["is_mod"]] = moderator[i]
        row[:, _F["question"]] = is_question(text)
        row[:, _F["logw"]] = math.log1p(len(text.split())) / 5
        row[:, _F["backch"]] = not _substantive(text)
        row[:, _F["intro"]] = i in introducing
        row[:, _F["pos"]] = i / max(1, n - 1)
        row[:, _F["own_strong"]] = own[i] >= STRONG
        row[:, _F["fires"]] = row[:, _F["final"]] >= RULE_THRESHOLD
        row[:, _F["bias"]] = 1.0
    asked = [{ti[t]: c.score for t, c in context[j].items() if t in ti} if moderator[j] else {} for j in range(n)]
    # What a turn hands on to its segment: its own evidence as the rules kept it (a candidate the rules
    # suppressed, by "one behaviour, one code" or in a round of introductions, is not carried).
    kept = np.zeros_like(own)
    for i in range(n):
        if i in introducing:
            continue
        for code, c in rule[i].items():
            k = ti.get(theme_of.get(code, ""))
            if k is not None and c.via is None and code in raw[i]:
                kept[i, k] = max(kept[i, k], raw[i][code].score)
    seg = segment_features(texts, kept, asked, moderator)
    start = len(_TURN_FEATURES)
    X[:, :, start:start + len(SEGMENT_FEATURES)] = seg
    mod = X[:, :, _F["is_mod"]:_F["is_mod"] + 1]
    full = np.concatenate([X, X[:, :, :-1] * mod], axis=2)
    return ThemeFrame(themes, full, own, asked, moderator, texts, model_texts)
