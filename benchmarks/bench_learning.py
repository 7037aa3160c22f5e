"""Suggestion quality the way a team meets it: cold start, then after coding k transcripts.

For each coded set: the codebook's rules alone, the prior with its cold-start
thresholds, the team's model by leave one transcript out, and the learning curve
(trained on the first k transcripts, tested on the rest). Turn level, the eight
themes, macro P/R/F1, with the number of test turns behind each figure; the
rules are the baseline measured in the same run, and the gain is printed beside.

For a development set the prior is retrained without that set (its figures are
then out of sample); a sealed set is scored with the shipped prior, which never
saw it. Sealed sets are for milestones only: `--sealed` must be given.

    python benchmarks/bench_learning.py                   # the development sets
    python benchmarks/bench_learning.py --sets kustlijn --sealed
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_default_model import DEV, SEALED, load_corpus, set_folder  # noqa: E402

from mivcode.core.exchange.codings_csv import import_codings  # noqa: E402
from mivcode.core.project import Project  # noqa: E402
from mivcode.core.suggest.service import evaluate  # noqa: E402
from mivcode.core.suggest.theme_model import PRIOR_PENALTIES, default_model, fit  # noqa: E402


def prior_without(name: str, cache: Path):
    """The shipped prior's recipe, trained on the development sets other than `name`."""
    shipped = default_model()
    sets = [s for s in DEV if s != name]
    corpora = [load_corpus(s, cache) for s in sets]
    model = fit([a.frame for c in corpora for a in c.analyses], [g for c in corpora for g in c.gold],
                corpora[0].themes, penalties=PRIOR_PENALTIES)
    model.threshold, model.cold_threshold = dict(shipped.threshold), dict(shipped.cold_threshold)
    return model


def project_for(name: str, cache: Path) -> Path:
    path = cache / f"{name}.miv"
    if not path.exists():
        folder = set_folder(name)
        with Project.create(path) as p:
            p.import_files([], manifest=folder / "manifest.csv")
            import_codings(p, folder / "reference_codings.csv", "ref")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", nargs="+", default=list(DEV))
    ap.add_argument("--sealed", action="store_true", help="allow sealed sets (milestones only)")
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    for s in a.sets:
        if s in SEALED and not a.sealed:
            raise SystemExit(f"{s}: a sealed set; measure it at a milestone with --sealed")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = a.cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        for s in a.sets:
            t0 = time.perf_counter()
            prior = default_model() if s in SEALED else prior_without(s, cache)
            with Project.open(project_for(s, cache), readonly=True) as p:
                scores = evaluate(p, "ref", learning_curve=True, prior=prior)
            macro = {(x.method, x.k): x for x in scores if x.code == "macro"}
            for (method, k), x in macro.items():
                if method == "rules" and k is not None:
                    continue  # the baseline of a curve point: printed as its gain
                rules = macro[("rules", k)]  # the rules on the same test turns
                rows.append({"set": s, "method": method if k is None else f"team k={k}", "p": round(x.precision, 3),
                             "r": round(x.recall, 3), "f1": round(x.f1, 3), "turns": x.turns,
                             "gain_f1": round(x.f1 - rules.f1, 3)})
            print(f"# {s}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    if a.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    print(f"{'set':13s} {'method':11s} {'P':>6s} {'R':>6s} {'F1':>6s} {'vs rules':>9s} {'turns':>6s}")
    for r in rows:
        print(f"{r['set']:13s} {r['method']:11s} {r['p']:6.3f} {r['r']:6.3f} {r['f1']:6.3f} {r['gain_f1']:+9.3f} "
              f"{r['turns']:6d}")


if __name__ == "__main__":
    main()
