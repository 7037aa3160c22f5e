"""Benchmark: the agreement table and a merge, on project files built through the store.

Prints figures only (no pass/fail), each with a ratio to a baseline measured
in the same run, so the figure stays meaningful on a slower or faster
machine:

* agreement: `agreement_table` (turn level, every code and `_all`) on 5
  coders x 20,000 turns x 30 codes (~450,000 codings; target < 2 s).
  Baseline: one plain SELECT of the same codings plus one numpy bincount
  over them -- the least work any agreement figure from a project file needs.
* merge: `merge_projects` of a 50,000-coding project into a copy of its
  starting project (target < 5 s), and the same merge again (idempotent: adds
  nothing). Baseline: reading the 50,000 codings and inserting them with
  one executemany in one transaction, with no checks, ids or event log.

Run: python benchmarks/bench_team.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mivcode.core.codebook import Codebook  # noqa: E402
from mivcode.core.model import Code, Transcript, Turn  # noqa: E402
from mivcode.core.project import Project  # noqa: E402
from mivcode.core.store import team as team_rows  # noqa: E402
from mivcode.core.store import transcripts as transcript_rows  # noqa: E402
from mivcode.core.team.agreement import agreement_table  # noqa: E402
from mivcode.core.team.merge import merge_projects  # noqa: E402

CODERS, TURNS, CODES, PER_TRANSCRIPT = 5, 20_000, 30, 400
TURN_TEXT = "Ja, op het plein wordt soms gevochten, maar dat hoort er wel een beetje bij. "


def codebook() -> Codebook:
    codes = [Code(id=f"thema_{i // 5}", label=f"Thema {i // 5}") if i % 5 == 0 else
             Code(id=f"code_{i}", label=f"Code {i}", parent=f"thema_{i // 5}") for i in range(CODES)]
    return Codebook(name="bench", codes=codes)


def make_project(path: Path, turns: int, seed: int = 0) -> list[int]:
    """A project with `turns` turns in transcripts of 400; returns the transcript ids."""
    rng = np.random.default_rng(seed)
    with Project.create(path, codebook()) as p, p.store.tx():
        tids = []
        for k in range(turns // PER_TRANSCRIPT):
            text = "".join(f"Student {j % 7}: {TURN_TEXT}\n" for j in range(PER_TRANSCRIPT))
            pos, out = 0, []
            for j in range(PER_TRANSCRIPT):
                line = f"Student {j % 7}: {TURN_TEXT}\n"
                out.append(Turn(j, f"Student {j % 7}", pos, pos + len(line) - 1))
                pos += len(line)
            t = Transcript(f"fg_{k:03d}", text, out, content_hash=f"{seed:04d}{k:060d}")
            tids.append(transcript_rows.insert_transcript(p.store, t))
    rng.random()
    return tids


def coded_rows(tids: list[int], coders: int, seed: int = 0, skip: int = 5) -> list[tuple]:
    """Codings as in benchmarks/bench_agreement.py: rare and common codes, 5 % flips, skipped transcripts."""
    rng = np.random.default_rng(seed)
    turns = len(tids) * PER_TRANSCRIPT
    prevalence = rng.uniform(0.005, 0.3, size=CODES)
    truth = rng.random((turns, CODES)) < prevalence
    line = len(f"Student 0: {TURN_TEXT}\n")
    rows = []
    for coder in range(coders):
        data = truth ^ (rng.random((turns, CODES)) < 0.05)
        skipped = set(rng.choice(len(tids), size=min(skip, len(tids) - 1), replace=False).tolist()) if skip else set()
        for turn, code in zip(*np.nonzero(data)):
            k, j = divmod(int(turn), PER_TRANSCRIPT)
            if k in skipped:
                continue
            start = j * line
            rows.append((tids[k], start, start + line - 1, f"thema_{code // 5}" if code % 5 == 0 else f"code_{code}",
                         f"coder{coder + 1}", "manual"))
    return rows


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_agreement(folder: Path, repeat: int) -> None:
    path = folder / "agreement.miv"
    tids = make_project(path, TURNS)
    rows = coded_rows(tids, CODERS)
    with Project.open(path) as p, p.store.tx():
        team_rows.bulk_insert_codings(p.store, rows)
    with Project.open(path, readonly=True) as p:
        def baseline() -> None:
            got = p.store.conn.execute('SELECT transcript_id, start, "end", code_id, coder_id FROM codings').fetchall()
            tid, _, _, _, coder = zip(*got)
            np.bincount(np.asarray(tid) * 8 + np.asarray(coder))

        table = agreement_table(p)
        base = best_of(repeat, baseline)
        full = best_of(repeat, lambda: agreement_table(p))
        themes = best_of(repeat, lambda: agreement_table(p, rollup=True))
    all_ = table[-1]
    print(f"agreement: {CODERS} coders x {TURNS:,} turns x {CODES} codes, {len(rows):,} codings")
    print(f"  baseline (SELECT codings + bincount)   {base * 1000:8.1f} ms")
    print(f"  agreement_table, turn level, {len(table)} rows {full * 1000:8.1f} ms   ratio {full / base:5.1f}x"
          f"   target < 2000 ms")
    print(f"  agreement_table --rollup               {themes * 1000:8.1f} ms   ratio {themes / base:5.1f}x")
    print(f"  (_all: units {all_['units']:,}, kappa {all_['fleiss_kappa']}, alpha {all_['krippendorff_alpha']})")


def bench_merge(folder: Path, repeat: int) -> None:
    start = folder / "start.miv"
    tids = make_project(start, 50 * PER_TRANSCRIPT, seed=1)
    other = folder / "other.miv"
    shutil.copy(start, other)
    rows = coded_rows(tids, 1, seed=2, skip=0)
    rows = rows[:50_000]
    with Project.open(other) as p, p.store.tx():
        n = team_rows.bulk_insert_codings(p.store, rows)
    timings, again, base = [], [], []
    for i in range(repeat):
        target = folder / f"target{i}.miv"
        shutil.copy(start, target)
        with Project.open(target) as p:
            t0 = time.perf_counter()
            report = merge_projects(p, [other], coder="bench")
            timings.append(time.perf_counter() - t0)
            assert report.codings_added == n
            t0 = time.perf_counter()
            merge_projects(p, [other], coder="bench")
            again.append(time.perf_counter() - t0)
        scratch = folder / f"scratch{i}.miv"
        shutil.copy(start, scratch)
        t0 = time.perf_counter()
        src = sqlite3.connect(other)
        data = src.execute('SELECT transcript_id, start, "end", code_id, coder_id, origin, created_at FROM codings'
                           ).fetchall()
        src.close()
        dst = sqlite3.connect(scratch, isolation_level=None)
        dst.execute("BEGIN")
        dst.execute("INSERT INTO coders (id, name, created_at) VALUES (1, 'x', '')")
        dst.executemany('INSERT INTO codings (transcript_id, start, "end", code_id, coder_id, origin, created_at)'
                        " VALUES (?,?,?,?,?,?,?)", data)
        dst.execute("COMMIT")
        dst.close()
        base.append(time.perf_counter() - t0)
    b, m, a = min(base), min(timings), min(again)
    print(f"merge: a project with {n:,} codings into a copy of its starting project ({len(tids)} transcripts)")
    print(f"  baseline (SELECT + executemany, no checks) {b * 1000:8.1f} ms")
    print(f"  merge_projects                            {m * 1000:8.1f} ms   ratio {m / b:5.1f}x   target < 5000 ms")
    print(f"  the same merge again (adds nothing)       {a * 1000:8.1f} ms   ratio {a / b:5.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mivcode-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        bench_agreement(folder, args.repeat)
        bench_merge(folder, args.repeat)
        print(f"(fixtures and runs: {time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
