"""Print the turns where rule suggestions and a coded set disagree, theme by theme (sub-codes rolled up).

For reading the errors of a *development* set: once a set's errors are read it no longer
measures how the suggestions do on unseen transcripts, so never run this on a sealed set
(see tests/test_suggest_heldout.py for which sets are sealed).

    python scripts/suggestion_errors.py tests/data/heldout/hoogland [--theme agressie_geweld] [--kind FN]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mivcode.core.codebook import top_level_of  # noqa: E402
from mivcode.core.project import Project  # noqa: E402
from mivcode.core.suggest.service import coded_corpus, engine_for, import_codings  # noqa: E402

SEALED = {"kustlijn", "heuvelrug", "lingewaard", "peelland", "wadden"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="a set folder with manifest.csv and reference_codings.csv")
    ap.add_argument("--theme", help="only this theme")
    ap.add_argument("--kind", choices=["FN", "FP"], help="only misses (FN) or false alarms (FP)")
    args = ap.parse_args()
    if args.folder.name in SEALED:
        sys.exit(f"{args.folder}: a sealed set; its errors are not to be read")
    with tempfile.TemporaryDirectory() as tmp, Project.create(Path(tmp) / "p.miv") as p:
        p.import_files([], manifest=args.folder / "manifest.csv")
        import_codings(p, args.folder / "reference_codings.csv", "ref")
        by_id = {c.id: c for c in p.codes()}
        engine = engine_for(p, with_model=False, with_feedback=False, learned=False)
        corpus = coded_corpus(p, engine, "ref")
        for a, gold in zip(corpus.analyses, corpus.gold):
            t = a.transcript
            pred: dict[int, dict[str, str]] = {}
            for s in engine.suggest(a):
                pred.setdefault(s.turn, {})[top_level_of(by_id, s.code)] = "; ".join(e.rule for e in s.evidence[:2])
            for u in t.turns:
                g = {top_level_of(by_id, c) for c in gold[u.index]}
                got = pred.get(u.index, {})
                for theme in sorted(g | set(got)):
                    if args.theme and theme != args.theme:
                        continue
                    kind = "TP" if theme in g and theme in got else ("FN" if theme in g else "FP")
                    if kind == "TP" or (args.kind and kind != args.kind):
                        continue
                    why = f"  [{got[theme]}]" if theme in got else ""
                    print(f"{kind} {theme:28s} {t.name} {u.index:3d} {u.speaker}: {t.turn_text(u)}{why}")


if __name__ == "__main__":
    main()
