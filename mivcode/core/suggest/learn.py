"""Learning from the team's own codings: spaCy textcat_multilabel plus calibration.

The classifier is spaCy's bag-of-words `TextCatBOW` (uni- and bigrams): with
a few hundred coded turns it learns faster and more reliably than a CNN or
transformer, trains in seconds on a laptop core, and its bytes fit in the
project file. It reads the turn as its Dutch match keys (the NORM the rules
use), so "pesters", "gepest" and "pesten" are one feature and a small team's
codings go further.

Rules and model are combined per code as `s = w·rule + (1−w)·model`,
mapped to a probability by Platt scaling, with `w` and the threshold chosen
on held-out folds over *transcripts* (never a transcript both trained and
tested on). Codes with too few examples keep the rules alone.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import minibatch
from thinc.api import Config

from mivcode.core import i18n

MODEL_NAME = "textcat"
MIN_POSITIVES = 4
# Where no rule fired, the model alone must be this sure (calibrated probability): with a few coded transcripts it otherwise
# adds a theme to every turn that merely sounds like one (measured on the bundled examples).
MODEL_ALONE = 0.8
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
MODERATOR_TOKEN = "__gespreksleider__"
Progress = Callable[[str, float], None]


@dataclass(slots=True)
class CodeParams:
    """How rules and model combine for one code, chosen on held-out folds."""

    w: float = 1.0
    a: float = 1.0
    b: float = 0.0
    threshold: float = 0.5
    rules_only: bool = True

    def combine(self, rule: float, prob: float) -> float:
        if self.rules_only:
            return rule
        value = _sigmoid(self.a * (self.w * rule + (1.0 - self.w) * prob) + self.b)
        if rule <= 0.0 and value < MODEL_ALONE:
            return 0.0  # without any rule evidence the (calibrated) model must be sure on its own
        return value


@dataclass(slots=True)
class TrainedModel:
    nlp: Language
    labels: list[str]
    params: dict[str, CodeParams] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [dict(doc.cats) for doc in self.nlp.pipe(texts, batch_size=256)]

    def to_bytes(self) -> tuple[bytes, dict]:
        meta = {**self.meta, "labels": self.labels, "config": self.nlp.config.to_str(),
                "params": {k: asdict(v) for k, v in self.params.items()}}
        return self.nlp.to_bytes(), meta

    @classmethod
    def from_bytes(cls, data: bytes, meta: dict) -> "TrainedModel":
        config = Config().from_str(meta["config"])
        nlp = spacy.util.get_lang_class("nl").from_config(config)
        nlp.from_bytes(data)
        params = {k: CodeParams(**v) for k, v in meta.get("params", {}).items()}
        return cls(nlp, list(meta["labels"]), params, meta)


def model_text(norms: Sequence[str], moderator: bool) -> str:
    """What the classifier reads: the match keys, and a token saying the moderator speaks."""
    return (MODERATOR_TOKEN + " " if moderator else "") + " ".join(norms)


def fit(texts: Sequence[str], labels_per_text: Sequence[set[str]], labels: Sequence[str], *,
        epochs: int = 12, seed: int = 0, progress: Progress | None = None, share: tuple[float, float] = (0.0, 1.0)
        ) -> Language:
    """Train a textcat_multilabel on the turns (heavy; runs outside any DB transaction)."""
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("nl")
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
        "no_output_layer": False, "length": 2 ** 15,  # hashed n-gram buckets: small model, fast updates
    }})
    for label in labels:
        textcat.add_label(label)
    examples = [
        Example.from_dict(nlp.make_doc(t), {"cats": {l: float(l in ls) for l in labels}})
        for t, ls in zip(texts, labels_per_text)
    ]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.1)
        if progress:
            lo, hi = share
            progress(i18n.t("progress.train"), lo + (hi - lo) * (epoch + 1) / epochs)
    return nlp


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, x))))


def platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Logistic fit of y on one score (Platt scaling), a few Newton steps with a weak prior."""
    pos, neg = y.sum(), len(y) - y.sum()
    target = np.where(y > 0, (pos + 1) / (pos + 2), 1 / (neg + 2))  # Platt's smoothed targets
    a, b = 4.0, -2.0
    for _ in range(50):
        z = np.clip(a * scores + b, -40, 40)
        p = 1 / (1 + np.exp(-z))
        g = p - target
        wgt = p * (1 - p) + 1e-6
        h11 = (wgt * scores * scores).sum() + 1e-3
        h12 = (wgt * scores).sum()
        h22 = wgt.sum() + 1e-3
        g1, g2 = (g * scores).sum() + 1e-3 * a, g.sum()
        det = h11 * h22 - h12 * h12
        if det <= 0:
            break
        da, db = (h22 * g1 - h12 * g2) / det, (h11 * g2 - h12 * g1) / det
        a, b = a - da, b - db
        if abs(da) + abs(db) < 1e-6:
            break
    return float(a), float(b)


def f1(pred: np.ndarray, y: np.ndarray) -> float:
    tp = float((pred & (y > 0)).sum())
    fp = float((pred & (y == 0)).sum())
    fn = float((~pred & (y > 0)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def recall(pred: np.ndarray, y: np.ndarray) -> float:
    """Share of the coded turns (y > 0) that `pred` suggests."""
    pos = float((y > 0).sum())
    return float((pred & (y > 0)).sum()) / pos if pos else 0.0


MIN_HELD_OUT_POSITIVES = 8
MIN_GAIN = 0.03


def choose_params(rule: np.ndarray, prob: np.ndarray, y: np.ndarray, rule_threshold: float) -> CodeParams:
    """Per code: the mix, calibration and threshold with the best F1 on held-out turns.

    The model replaces the rules alone only with enough held-out examples, a
    clear gain, and no loss of recall: with a handful of coded transcripts, a
    threshold picked on a few turns is noise, and the codebook's rules are the
    safer default. Suggestions exist so that a researcher misses less; a mix
    that wins F1 by suggesting less moved recall down on transcripts it had not
    seen (16 coded transcripts, 5-fold: R 0.830 -> 0.763 without this condition,
    0.808 with it).
    """
    if y.sum() < MIN_HELD_OUT_POSITIVES:
        return CodeParams()
    best = CodeParams()
    rules_pred = rule >= rule_threshold
    best_f1 = f1(rules_pred, y) + MIN_GAIN
    min_recall = recall(rules_pred, y)
    for w in WEIGHTS:
        s = w * rule + (1 - w) * prob
        a, b = platt(s, y)
        cal = 1 / (1 + np.exp(-np.clip(a * s + b, -40, 40)))
        cal = np.where((rule <= 0.0) & (cal < MODEL_ALONE), 0.0, cal)
        for t in np.arange(0.15, 0.8, 0.05):
            pred = cal >= t
            if recall(pred, y) < min_recall:
                continue
            score = f1(pred, y)
            if score > best_f1 + 1e-9:
                best_f1, best = score, CodeParams(w, a, b, float(round(t, 2)), False)
    return best
