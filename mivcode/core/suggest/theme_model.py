"""The learned layer over the rules: one pooled logistic model over (turn, theme) rows.

Why this shape (measured on nine coded development sets, leave one set out, and
leave one transcript out within a team; see README "Suggestions that learn"):

- *Pooled with per-theme deviations.* Weights shared by all themes (own keyword
  evidence, what the moderator asked, the segment's context, ...) plus, per theme,
  a deviation and hashed lemma n-grams. A team with three coded transcripts has
  a few dozen positives of a theme; shared weights let those few say how this
  team differs instead of learning each theme from scratch. Per-theme classifiers
  (spaCy's textcat per code, as before) were worse on every set.
- *A prior, fine-tuned toward.* `default_model.npz` is trained on the development
  sets (never on the sealed evaluation sets) and ships with mivcode: it is the
  cold start. Training on a team's codings minimises the log loss plus an L2
  penalty toward the prior, so three transcripts move it where the team
  differs (moderator questions coded, reporting not counted as accepted unsafety)
  and leave it alone elsewhere. The penalty strengths were chosen by leave one
  transcript out on the development sets (three strengths tried per block; the
  figures barely move between them, the prior carries most of the weight).
- *scipy's L-BFGS*, not spaCy's textcat or scikit-learn: the prior penalty
  `(w - w0)` and the block structure are two lines here, scipy is already
  installed with spaCy's stack, and a fit on 10,000 turns takes seconds.

Thresholds per theme come with the prior: F1-optimal on its out-of-set
predictions for a trained model, recall-oriented (highest recall at a precision
floor) for the cold start, when a researcher would rather reject than miss.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

from mivcode.core.suggest.features import BASE_FEATURES, FEATURE_NAMES, TEXT_DIM, ThemeFrame

BIAS = BASE_FEATURES.index("bias")
DEFAULT_MODEL = "default_model.npz"


@dataclass(frozen=True, slots=True)
class Penalties:
    """L2 strengths per block of weights (toward the prior when fine-tuning, toward 0 for the prior)."""

    shared: float = 1.0
    deviation: float = 10.0
    text: float = 10.0


PRIOR_PENALTIES = Penalties(shared=1.0, deviation=3.0, text=10.0)
TEAM_PENALTIES = Penalties(shared=3.0, deviation=3.0, text=3.0)


@dataclass(slots=True)
class ThemeModel:
    themes: list[str]                      # the themes it has deviations and text weights for
    shared: np.ndarray                     # (d,)
    deviation: np.ndarray                  # (T, d)
    text: np.ndarray                       # (T, TEXT_DIM)
    threshold: dict[str, float] = field(default_factory=dict)        # per theme, for a trained model
    cold_threshold: dict[str, float] = field(default_factory=dict)   # per theme, recall-oriented
    default_threshold: float = 0.4
    meta: dict = field(default_factory=dict)

    # -- predicting ------------------------------------------------------------------------

    def probabilities(self, frame: ThemeFrame) -> np.ndarray:
        """(n, T) probability that the team codes theme k on turn i, for the frame's themes.

        The moderator interactions are never materialised: z = X·w + mod·(X'·w'), which halves the
        memory and the time of a long transcript.
        """
        X, mod = frame.X, frame.mod
        n, n_themes, d0 = X.shape
        if d0 + d0 - 1 != len(FEATURE_NAMES):
            raise ValueError("features of another version")

        def linear(w: np.ndarray) -> np.ndarray:  # w: (d,) or (K, d) for X (n, K, d0)
            if w.ndim == 1:
                return X @ w[:d0] + mod[:, None] * (X[:, :, :-1] @ w[d0:])
            return np.einsum("nkd,kd->nk", X, w[:, :d0]) + mod[:, None] * np.einsum("nkd,kd->nk", X[:, :, :-1], w[:, d0:])

        z = linear(self.shared)
        index = {t: m for m, t in enumerate(self.themes)}
        known = [(k, index[t]) for k, t in enumerate(frame.themes) if t in index]
        if known:
            ks, ms = (list(x) for x in zip(*known))
            dev = self.deviation[ms]
            z[:, ks] += np.einsum("nkd,kd->nk", X[:, ks, :], dev[:, :d0]) \
                + mod[:, None] * np.einsum("nkd,kd->nk", X[:, ks, :-1], dev[:, d0:])
            H = frame.hashed()
            z[:, ks] += np.asarray(H @ self.text[ms].T)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def thresholds(self, themes: Sequence[str], *, cold: bool) -> np.ndarray:
        table = self.cold_threshold if cold else self.threshold
        return np.array([table.get(t, self.default_threshold) for t in themes])

    # -- storing -----------------------------------------------------------------------------

    def to_bytes(self) -> tuple[bytes, dict]:
        buf = io.BytesIO()
        np.savez_compressed(buf, shared=self.shared, deviation=self.deviation, text=self.text.astype(np.float32))
        meta = {**self.meta, "kind": "theme_model", "themes": self.themes, "features": list(FEATURE_NAMES),
                "text_dim": TEXT_DIM, "threshold": self.threshold, "cold_threshold": self.cold_threshold,
                "default_threshold": self.default_threshold}
        return buf.getvalue(), meta

    @classmethod
    def from_bytes(cls, data: bytes, meta: dict) -> "ThemeModel":
        """A stored model; ValueError when it was made for other features (then the prior takes over)."""
        if meta.get("kind") != "theme_model" or meta.get("features") != list(FEATURE_NAMES) \
                or meta.get("text_dim") != TEXT_DIM:
            raise ValueError("a model for other features")
        arrays = np.load(io.BytesIO(data), allow_pickle=False)
        return cls(list(meta["themes"]), arrays["shared"], arrays["deviation"], arrays["text"],
                   {k: float(v) for k, v in meta.get("threshold", {}).items()},
                   {k: float(v) for k, v in meta.get("cold_threshold", {}).items()},
                   float(meta.get("default_threshold", 0.4)), dict(meta))


def default_model() -> ThemeModel | None:
    """The prior that ships with mivcode (trained by scripts/train_default_model.py), if present."""
    try:
        ref = resources.files("mivcode.core.suggest").joinpath("data", DEFAULT_MODEL)
        raw = ref.read_bytes()
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return None
    with np.load(io.BytesIO(raw), allow_pickle=False) as z:
        import json

        meta = json.loads(bytes(z["meta"]).decode("utf-8"))
        buf = io.BytesIO()
        np.savez(buf, shared=z["shared"], deviation=z["deviation"], text=z["text"])
    try:
        return ThemeModel.from_bytes(buf.getvalue(), meta)
    except ValueError:
        return None


def save_default_model(model: ThemeModel, path) -> None:
    """Write the prior as one .npz with its meta as JSON inside (package data)."""
    import json

    _, meta = model.to_bytes()
    np.savez_compressed(path, shared=model.shared.astype(np.float32), deviation=model.deviation.astype(np.float32),
                        text=model.text.astype(np.float16).astype(np.float32),
                        meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8))


# -- fitting ---------------------------------------------------------------------------------


def _design(frames: Sequence[ThemeFrame], themes: list[str]) -> tuple[sparse.csr_matrix, int]:
    """Rows (turn, theme) of every frame; columns shared | per-theme deviation | per-theme text."""
    d = len(FEATURE_NAMES)
    T = len(themes)
    index = {t: m for m, t in enumerate(themes)}
    blocks = []
    for f in frames:
        full = f.full()
        n, ft, _ = full.shape
        rows = full.reshape(n * ft, d)
        theme_idx = np.array([index.get(t, -1) for t in f.themes])
        tile = np.tile(theme_idx, n)
        keep = tile >= 0
        shared = sparse.csr_matrix(rows)
        r, c = np.nonzero(rows * keep[:, None])
        dev = sparse.csr_matrix((rows[r, c], (r, tile[r] * d + c)), shape=(n * ft, T * d))
        H = f.hashed().tocoo()
        rr, cc = [], []
        for k in range(ft):
            m = theme_idx[k]
            if m < 0:
                continue
            rr.append(H.row * ft + k)
            cc.append(m * TEXT_DIM + H.col)
        if rr:
            rr_a, cc_a = np.concatenate(rr), np.concatenate(cc)
        else:
            rr_a = cc_a = np.zeros(0, dtype=int)
        text = sparse.csr_matrix((np.ones(len(rr_a), dtype=np.float32), (rr_a, cc_a)), shape=(n * ft, T * TEXT_DIM))
        blocks.append(sparse.hstack([shared, dev, text]).tocsr())
    return sparse.vstack(blocks).tocsr(), d


def _penalty(d: int, T: int, pen: Penalties) -> np.ndarray:
    p = np.concatenate([np.full(d, pen.shared), np.full(T * d, pen.deviation), np.full(T * TEXT_DIM, pen.text)])
    p[BIAS] = 1e-4  # the shared bias is not pulled anywhere
    return p


def _pack(model: ThemeModel) -> np.ndarray:
    return np.concatenate([model.shared, model.deviation.ravel(), model.text.ravel()])


def fit(frames: Sequence[ThemeFrame], gold: Sequence[np.ndarray], themes: list[str], *,
        prior: ThemeModel | None = None, penalties: Penalties = TEAM_PENALTIES, max_iter: int = 300) -> ThemeModel:
    """A model for `themes` from frames and their gold (n, T) 0/1 matrices (in the frame's theme order)."""
    Z, d = _design(frames, themes)
    T = len(themes)
    index = {t: m for m, t in enumerate(themes)}
    y = np.concatenate([np.asarray(g, dtype=np.float64).reshape(-1) for g in gold]) if gold else np.zeros(0)
    w0 = np.zeros(Z.shape[1])
    if prior is not None:
        w0[:d] = prior.shared
        pi = {t: m for m, t in enumerate(prior.themes)}
        for t, m in index.items():
            if t in pi:
                w0[d + m * d:d + (m + 1) * d] = prior.deviation[pi[t]]
                off = d + T * d
                w0[off + m * TEXT_DIM:off + (m + 1) * TEXT_DIM] = prior.text[pi[t]]
    pen = _penalty(d, T, penalties)
    Zt = Z.T.tocsr()

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = Z @ w
        # log(1 + e^-yz) written stably for y in {0, 1}
        m = np.where(y > 0, -z, z)
        ll = np.where(m > 30, m, np.log1p(np.exp(np.minimum(m, 30)))).sum()
        diff = w - w0
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        grad = Zt @ (p - y) + pen * diff
        return float(ll + 0.5 * (pen * diff * diff).sum()), np.asarray(grad).ravel()

    result = minimize(loss, w0.copy(), jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    w = result.x
    shared = w[:d].copy()
    deviation = w[d:d + T * d].reshape(T, d).copy()
    text = w[d + T * d:].reshape(T, TEXT_DIM).astype(np.float32)
    model = ThemeModel(list(themes), shared, deviation, text)
    if prior is not None:
        model.threshold = dict(prior.threshold)
        model.cold_threshold = dict(prior.cold_threshold)
        model.default_threshold = prior.default_threshold
    return model


def best_threshold(p: np.ndarray, g: np.ndarray, *, min_precision: float | None = None) -> float:
    """F1-optimal threshold, or (with `min_precision`) the lowest threshold whose precision reaches it."""
    grid = np.arange(0.05, 0.9, 0.025)
    best, chosen = -1.0, 0.5
    g = g > 0
    for th in grid:
        pred = p >= th
        tp = int((pred & g).sum())
        if min_precision is not None:
            prec = tp / pred.sum() if pred.sum() else 0.0
            rec = tp / g.sum() if g.sum() else 0.0
            if prec >= min_precision and rec > best + 1e-9:
                best, chosen = rec, float(th)
            continue
        f = 2 * tp / (pred.sum() + g.sum()) if tp else 0.0
        if f > best + 1e-9:
            best, chosen = f, float(th)
    if min_precision is not None and best < 0:
        return best_threshold(p, g)
    return chosen
