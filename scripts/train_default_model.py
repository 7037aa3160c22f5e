"""Train the prior that ships with mivcode (mivcode/core/suggest/data/default_model.npz).

The prior is the learned layer's cold start and the point every team's training
starts from. It is trained on the development sets only: the bundled examples
and the unseen sets whose errors we have read. The sealed evaluation sets
(kustlijn, heuvelrug, lingewaard, peelland, wadden) are refused, so that their
figures stay first looks.

Thresholds per theme come from leave-one-set-out predictions (each set scored by
a prior that never saw it): F1-optimal for trained models, and for the cold
start the highest recall whose precision stays at `--min-precision`.

    python scripts/train_default_model.py            # writes the package's default_model.npz
    python scripts/train_default_model.py --check    # figures only, writes nothing
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mivcode.core.clock import now_iso  # noqa: E402
from mivcode.core.conventions import Conventions  # noqa: E402
from mivcode.core.exchange.codings_csv import import_codings  # noqa: E402
from mivcode.core.project import Project  # noqa: E402
from mivcode.core.suggest.service import coded_corpus, engine_for  # noqa: E402
from mivcode.core.suggest.theme_model import PRIOR_PENALTIES, best_threshold, fit, save_default_model  # noqa: E402

SEALED = frozenset({"kustlijn", "heuvelrug", "lingewaard", "peelland", "wadden"})
# Each development set's written conventions (its CONVENTIONS.md), as its team would put them in the codebook:
# the prior learns what a setting means from the teams that chose it.
SET_CONVENTIONS = {
    "waterweg": Conventions(moderator_questions=True, not_coded=("melden_en_steun",)),
}
DEV = ("examples", "rivierland", "noorderpoort", "zuidwest", "amstelveld", "delta", "oostveld", "hoogland",
       "waterweg")
OUT = ROOT / "mivcode" / "core" / "suggest" / "data" / "default_model.npz"


def set_folder(name: str) -> Path:
    return ROOT / "transcripts_example" if name == "examples" else ROOT / "tests" / "data" / "heldout" / name


def load_corpus(name: str, cache: Path):
    """A coded set as the engine reads it (project built once per run in `cache`)."""
    if name in SEALED:
        raise SystemExit(f"{name}: a sealed evaluation set; the prior is never trained on it")
    folder = set_folder(name)
    path = cache / f"{name}.miv"
    if not path.exists():
        with Project.create(path) as p:
            p.import_files([], manifest=folder / "manifest.csv")
            import_codings(p, folder / "reference_codings.csv", "ref")
    with Project.open(path) as p:
        p.set_conventions(SET_CONVENTIONS.get(name, Conventions()), None)
        engine = engine_for(p, with_model=False, with_feedback=False, learned=False)
        return coded_corpus(p, engine, "ref")


def prf(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    P = R = F = 0.0
    k = 0
    for j in range(gold.shape[1]):
        g, p = gold[:, j] > 0, pred[:, j] > 0
        if not g.any():
            continue
        tp = (g & p).sum()
        pr = tp / p.sum() if p.sum() else 0.0
        rc = tp / g.sum()
        P, R, F, k = P + pr, R + rc, F + (2 * pr * rc / (pr + rc) if pr + rc else 0.0), k + 1
    return P / k, R / k, F / k


def train(sets: list[str], cache: Path, min_precision: float):
    corpora = {s: load_corpus(s, cache) for s in sets}
    themes = next(iter(corpora.values())).themes
    oof_p, oof_g = [], []
    per_set = {}
    for s in sets:
        others = [t for t in sets if t != s]
        frames = [a.frame for t in others for a in corpora[t].analyses]
        gold = [g for t in others for g in corpora[t].gold]
        model = fit(frames, gold, themes, penalties=PRIOR_PENALTIES)
        p = np.concatenate([model.probabilities(a.frame) for a in corpora[s].analyses])
        g = np.concatenate(corpora[s].gold)
        oof_p.append(p)
        oof_g.append(g)
        per_set[s] = (p, g)
    P, G = np.concatenate(oof_p), np.concatenate(oof_g)
    f1_th = {t: best_threshold(P[:, k], G[:, k]) for k, t in enumerate(themes)}
    cold_th = {t: best_threshold(P[:, k], G[:, k], min_precision=min_precision) for k, t in enumerate(themes)}
    print(f"{'set':14s} {'prior, F1 thresholds':>22s} {'prior, cold start':>22s}   (leave one set out)")
    for s, (p, g) in per_set.items():
        a = prf(g, p >= np.array([f1_th[t] for t in themes]))
        b = prf(g, p >= np.array([cold_th[t] for t in themes]))
        print(f"{s:14s} {a[0]:.3f}/{a[1]:.3f}/{a[2]:.3f}    {b[0]:.3f}/{b[1]:.3f}/{b[2]:.3f}")
    frames = [a.frame for s in sets for a in corpora[s].analyses]
    gold = [g for s in sets for g in corpora[s].gold]
    model = fit(frames, gold, themes, penalties=PRIOR_PENALTIES)
    model.threshold, model.cold_threshold = f1_th, cold_th
    model.meta = {"created_at": now_iso(), "sets": sets, "turns": int(sum(len(g) for g in gold)),
                  "min_precision": min_precision}
    return model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", nargs="+", default=list(DEV))
    ap.add_argument("--min-precision", type=float, default=0.58)
    ap.add_argument("--cache", type=Path, help="folder for the sets' projects (default: a temporary one)")
    ap.add_argument("--check", action="store_true", help="print the figures, write nothing")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = a.cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        model = train(a.sets, cache, a.min_precision)
    print("thresholds (F1):", {k: round(v, 3) for k, v in model.threshold.items()})
    print("thresholds (cold):", {k: round(v, 3) for k, v in model.cold_threshold.items()})
    if not a.check:
        save_default_model(model, a.out)
        print(f"wrote {a.out} ({a.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
