"""Export speed on a large study: 100 transcripts, 50,000 codings by three coders.

Targets: xlsx under 5 s, qdpx under 3 s (import of that qdpx is timed too, without a target). Each figure is printed with its ratio to
a baseline measured in the same run on the same machine — writing the same
50,000 coding rows with the csv module — so the numbers mean something on a
slow laptop as well as in CI. Run: `python benchmarks/bench_export.py`.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

from mivcode.core.codebook import default_codebook_path, load_codebook
from mivcode.core.exchange.csv_export import CsvOptions, export_csv
from mivcode.core.exchange.excel import ExcelOptions, export_excel
from mivcode.core.exchange.refi_export import export_qdpx
from mivcode.core.exchange.refi_import import import_qdpx
from mivcode.core.importers.turn_builder import Segment, build_transcript
from mivcode.core.model import TranscriptMeta
from mivcode.core.project import Project
from mivcode.core.store import exports as bulk
from mivcode.core.store import transcripts as transcript_rows
from mivcode.core.store.connection import now_iso

N_TRANSCRIPTS = 100
N_CODINGS = 50_000
CODERS = ("anna", "bram", "carla")  # no consensus layer: the report de-duplicates all coders (the heaviest case)
TARGETS = {"xlsx": 5.0, "qdpx": 3.0}
WORDS = ("ik voel me niet veilig op school want er wordt gepest en soms gevochten op het plein maar de docenten "
         "doen er weinig aan en in de groepsapp worden racistische dingen gezegd").split()


def build(path: Path) -> Project:
    rng = random.Random(2023)
    p = Project.create(path, load_codebook(default_codebook_path()))
    codes = [c.id for c in p.codes()]
    insts = [f"ROC {n}" for n in ("Kempenhorst", "Maasoever", "Twentehof", "Zuiderzee", "Dommeldal")]
    turns_per = 200
    rows = []
    with p.store.tx():
        for i in range(N_TRANSCRIPTS):
            segs = [Segment("Gespreksleider" if k % 5 == 0 else f"Student {k % 4 + 1}",
                            " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))) for k in range(turns_per)]
            t = build_transcript(f"fg_{i:03d}", segs, meta=TranscriptMeta(
                institution=insts[i % len(insts)], group=("studenten", "medewerkers")[i % 2],
                leerweg=("BOL", "BBL")[i % 2], niveau=str(i % 4 + 1)))
            tid = transcript_rows.insert_transcript(p.store, t)
            for _ in range(N_CODINGS // N_TRANSCRIPTS):
                u = t.turns[rng.randrange(len(t.turns))]
                rows.append((tid, u.start, u.end, rng.choice(codes), rng.choice(CODERS),
                             "manual", "memo" if rng.random() < 0.05 else None, now_iso()))
        inserted = bulk.bulk_insert_codings(p.store, rows)
    # fill up duplicates skipped by the unique constraint so the study has exactly N_CODINGS
    extra = N_CODINGS - inserted
    with p.store.tx():
        while extra > 0:
            tid = rng.randrange(1, N_TRANSCRIPTS + 1)
            s = rng.randrange(0, 1000)
            n = bulk.bulk_insert_codings(p.store, [(tid, s, s + rng.randint(5, 80), rng.choice(codes), "anna",
                                                    "manual", None, now_iso())])
            extra -= n
    return p


CPU: dict[str, float] = {}


def timed(fn, name: str = "") -> float:
    """Wall-clock seconds; CPU seconds are kept too, since a busy machine stretches wall time."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    CPU[name] = time.process_time() - c0
    return time.perf_counter() - t0


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        t0 = time.perf_counter()
        p = build(d / "big.miv")
        print(f"built project: {N_TRANSCRIPTS} transcripts, {len(p.codings())} codings in "
              f"{time.perf_counter() - t0:.1f} s")

        def baseline() -> None:
            with open(d / "base.csv", "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                for c in bulk.coding_table(p.store):
                    w.writerow(c)

        base = timed(baseline, "baseline")
        print(f"baseline (csv.writer of the raw coding rows): {base:.3f} s")
        results = {
            "xlsx (all coders de-duplicated, agreement)": ("xlsx", timed(
                lambda: export_excel(p, d / "big.xlsx"), "xlsx (all coders de-duplicated, agreement)")),
            "xlsx --coder anna --min-cell 5": ("xlsx", timed(lambda: export_excel(
                p, d / "c.xlsx", ExcelOptions(coder="anna", min_cell=5)), "xlsx --coder anna --min-cell 5")),
            "qdpx": ("qdpx", timed(lambda: export_qdpx(p, d / "big.qdpx"), "qdpx")),
            "csv (tidy)": (None, timed(lambda: export_csv(p, d / "big.csv", CsvOptions(coder="anna")), "csv (tidy)")),
        }
        ok = True
        for name, (kind, secs) in results.items():
            target = TARGETS.get(kind) if kind else None
            verdict = "" if target is None else (" OK" if secs < target else (
                " SLOW (cpu within target: a busy machine)" if CPU[name] < target else " SLOW"))
            ok &= target is None or secs < target
            print(f"{name:45s} {secs:6.2f} s (cpu {CPU[name]:5.2f} s)  ×{secs / base:6.1f} baseline"
                  + (f"  (target < {target:.0f} s){verdict}" if target else ""))
        fresh = Project.create(d / "fresh.miv", load_codebook(default_codebook_path()))
        secs = timed(lambda: import_qdpx(fresh, d / "big.qdpx"), "import")
        print(f"{'import-qdpx into a fresh project':45s} {secs:6.2f} s (cpu {CPU['import']:5.2f} s)  "
              f"×{secs / base:6.1f} baseline")
        assert len(fresh.codings()) == len(p.codings()), "the round trip lost codings"
        fresh.close()
        print(f"xlsx size {(d / 'big.xlsx').stat().st_size / 2**20:.1f} MB, "
              f"qdpx size {(d / 'big.qdpx').stat().st_size / 2**20:.1f} MB")
        p.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
