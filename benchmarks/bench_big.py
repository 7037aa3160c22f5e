"""Benchmark: big but real projects — time and peak memory of every stage.

Two projects are built from generated Dutch focus-group text:

* **big**: one transcript of 100,000 turns (~9 MB of text);
* **many**: 500 transcripts of 200 turns each (100,000 turns in all), with codings
  by two coders on every tenth turn.

Each stage runs in its own fresh Python process, so its peak RSS
(`resource.getrusage(...).ru_maxrss`) is its own and not the sum of the
stages before it: import, suggest (rules + lexicon pipeline), opening the
coding screen headless (Textual `run_test`: open the transcript, jump to the
end, code a turn, page around), and the exports (CSV, Excel, REFI-QDA).

Prints figures only (no pass/fail), next to a baseline measured in the same
run: a process that imports mivcode and does the least work the stage's data
needs (reading the files and storing their raw text in one SQLite
transaction; reading every turn back). The ratio stage/baseline stays
meaningful on a faster or slower machine. The memory goal is a peak RSS under
500 MB for every stage.

Run: python benchmarks/bench_big.py [--scale 1.0] [--keep DIR]
(--scale 0.1 gives a quick run at a tenth of the sizes.)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MEMORY_GOAL_MB = 500
SPEAKERS = ["Gespreksleider", "Student 1", "Student 2", "Student 3", "Fatma", "Jeroen", "Docent"]
FILLER = ("ik voel me meestal wel veilig op school maar soms ook niet en dat vind ik lastig want je weet het "
          "nooit zeker zeg maar de docent zei er niks van toen we dat bespraken in de klas met de mentor op "
          "stage bij het bedrijf in de kantine op het plein na de les thuis met vrienden").split()
# words the MIV codebook reacts to: about one turn in six mentions one, as in real focus groups
TOPICAL = ("racisme discriminatie pesten uitgescholden geslagen bedreigd mes vooroordelen hoofddoek afkomst "
           "homo transgender gevochten onveilig melden").split()


def _turn(rng: random.Random, i: int) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(6, 24))]
    if rng.random() < 0.17:
        words.insert(rng.randrange(len(words)), rng.choice(TOPICAL))
    return f"{SPEAKERS[i % len(SPEAKERS)]}: " + " ".join(words) + "."


def make_files(folder: Path, scale: float) -> dict:
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    big_turns = max(100, int(100_000 * scale))
    big = folder / "groot_transcript.txt"
    with open(big, "w", encoding="utf-8") as fh:
        for i in range(big_turns):
            fh.write(_turn(rng, i) + "\n")
    many_dir = folder / "vijfhonderd"
    many_dir.mkdir(exist_ok=True)
    n_files = max(5, int(500 * scale))
    for k in range(n_files):
        with open(many_dir / f"fg_{k:03d}.txt", "w", encoding="utf-8") as fh:
            fh.write(f"Focusgroep {k}\n")
            for i in range(200):
                fh.write(_turn(rng, i + k) + "\n")
    return {"big": str(big), "big_turns": big_turns, "many": sorted(str(p) for p in many_dir.glob("*.txt")),
            "many_turns": n_files * 200}


# -- stages (each runs in a child process) ---------------------------------------------------------------


def stage_baseline_import(files: list[str], out: str) -> dict:
    """The floor for an import: decode every file and store its raw text in one SQLite transaction."""
    import sqlite3

    import mivcode.core.project  # noqa: F401  (the same imports as the real stage)

    conn = sqlite3.connect(out, isolation_level=None)
    conn.execute("CREATE TABLE t (name TEXT, text TEXT)")
    conn.execute("BEGIN")
    n = 0
    for f in files:
        text = Path(f).read_bytes().decode("utf-8")
        n += text.count("\n")
        conn.execute("INSERT INTO t VALUES (?, ?)", (f, text))
    conn.execute("COMMIT")
    conn.close()
    return {"lines": n}


def stage_import(files: list[str], project: str) -> dict:
    from mivcode.core.codebook import default_codebook_path
    from mivcode.core.project import Project

    with Project.create(project, default_codebook_path()) as p:
        report = p.import_files(files)
        return {"transcripts": len(report.imported), "turns": sum(s.turns for s in p.transcripts())}


def stage_code(project: str) -> dict:
    """Codings by two coders on every tenth turn (so exports and the UI have something to show)."""
    from mivcode.core.model import Coding
    from mivcode.core.ops import AddCoding
    from mivcode.core.project import Project
    from mivcode.core.store.connection import now_iso

    rng = random.Random(3)
    n = 0
    with Project.open(project) as p:
        codes = [c.id for c in p.codes()]
        with p.transaction():  # one commit for all of them, each still its own undoable action
            for name in p.transcript_names():
                t = p.transcript(name)
                for u in t.turns[::10]:
                    for coder in ("anna", "bram"):
                        c = Coding(name, u.start, max(u.end, u.start + 1), rng.choice(codes[:8]), coder, "manual",
                                   None, now_iso())
                        p.apply(AddCoding(c), coder)
                        n += 1
    return {"codings": n}


def stage_baseline_read(project: str) -> dict:
    """The floor for anything that reads a project: open it and read every transcript and turn once."""
    from mivcode.core.project import Project

    with Project.open(project, readonly=True) as p:
        n = sum(len(p.transcript(name).turns) for name in p.transcript_names())
    return {"turns": n}


def stage_suggest(project: str) -> dict:
    from mivcode.core.project import Project
    from mivcode.core.suggest.service import refresh_suggestions

    with Project.open(project) as p:
        report = refresh_suggestions(p)
        return {"recomputed": len(report.recomputed), "suggestions": len(p.suggestions()), "source": report.source}


def stage_ui(project: str, transcript: str | None) -> dict:
    import asyncio

    from mivcode.core.config import Settings
    from mivcode.core.project import Project
    from mivcode.tui.app import MivApp
    from mivcode.tui.screens.coding import CodingScreen

    async def run() -> dict:
        with Project.open(project) as p:
            name = transcript or p.transcript_names()[-1]
            app = MivApp(p, "benchmarker", settings=Settings())
            t0 = time.perf_counter()
            async with app.run_test(size=(120, 40)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause()
                home = time.perf_counter() - t0
                app.open_transcript(name)
                for _ in range(3):
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                assert isinstance(app.screen, CodingScreen)
                opened = time.perf_counter() - t0
                await pilot.press("G")  # the last turn
                await pilot.pause()
                await pilot.press("1")  # code it
                await pilot.pause()
                for _ in range(20):
                    await pilot.press("pageup")
                await pilot.press("g", "j", "1")
                await pilot.pause()
                done = time.perf_counter() - t0
            coded = len(p.codings(coder="benchmarker"))
        return {"home_s": round(home, 2), "open_s": round(opened, 2), "session_s": round(done, 2), "coded": coded}

    return asyncio.run(run())


def stage_export(project: str, out_dir: str) -> dict:
    from mivcode.core.exchange.csv_export import export_csv
    from mivcode.core.exchange.excel import export_excel
    from mivcode.core.exchange.refi_export import export_qdpx
    from mivcode.core.project import Project

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    times = {}
    with Project.open(project, readonly=True) as p:
        for name, fn, target in (("csv", export_csv, out / "codings.csv"), ("xlsx", export_excel, out / "rapport.xlsx"),
                                 ("qdpx", export_qdpx, out / "project.qdpx")):
            t0 = time.perf_counter()
            fn(p, target)
            times[f"{name}_s"] = round(time.perf_counter() - t0, 2)
            times[f"{name}_MB"] = round(target.stat().st_size / 2**20, 1)
    return times


STAGES = {
    "baseline_import": stage_baseline_import, "import": stage_import, "code": stage_code,
    "baseline_read": stage_baseline_read, "suggest": stage_suggest, "ui": stage_ui, "export": stage_export,
}


def child(stage: str, args: list) -> None:
    t0 = time.perf_counter()
    result = STAGES[stage](*args)
    seconds = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print("RESULT " + json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, **result}), flush=True)


def run_stage(stage: str, *args, config_dir: str) -> dict:
    env = dict(os.environ)
    env.setdefault("MIVCODE_CONFIG_DIR", config_dir)  # the developer's own settings stay out of the figures
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", stage, json.dumps(list(args))],
                       capture_output=True, text=True, env=env)
    line = next((x for x in r.stdout.splitlines() if x.startswith("RESULT ")), None)
    if r.returncode != 0 or line is None:
        return {"error": (r.stderr.strip().splitlines() or ["?"])[-1], "seconds": float("nan"), "peak_mb": float("nan")}
    return json.loads(line[len("RESULT "):])


def main() -> int:
    ap = argparse.ArgumentParser(description="time and peak memory of big projects")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="?", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, json.loads(a.args))
        return 0
    work = a.keep or Path(tempfile.mkdtemp(prefix="mivcode-bench-"))
    if a.keep and work.exists():
        shutil.rmtree(work)
    t0 = time.perf_counter()
    files = make_files(work / "files", a.scale)
    print(f"generated: 1 transcript of {files['big_turns']:,} turns "
          f"({Path(files['big']).stat().st_size / 2**20:.1f} MB), {len(files['many'])} transcripts of 200 turns "
          f"({files['many_turns']:,} turns) in {time.perf_counter() - t0:.1f} s", flush=True)
    rows = []

    def report(label: str, res: dict, base: dict | None = None) -> None:
        ratio = f"{res['seconds'] / base['seconds']:8.1f}x" if base and base.get("seconds") else "        -"
        extra = {k: v for k, v in res.items() if k not in ("seconds", "peak_mb")}
        ok = "ok " if res.get("peak_mb", 1e9) < MEMORY_GOAL_MB else "OVER"
        print(f"{label:34s} {res['seconds']:8.2f} s {ratio}   peak {res['peak_mb']:7.1f} MB {ok}  {extra}",
              flush=True)
        rows.append({"stage": label, **res})

    print(f"{'stage':34s} {'time':>10s} {'vs base':>9s}   peak RSS (goal < {MEMORY_GOAL_MB} MB)")
    config_dir = str(work / "config")

    def run_stage_here(stage: str, *args) -> dict:
        return run_stage(stage, *args, config_dir=config_dir)

    for key, files_ in (("big", [files["big"]]), ("many", files["many"])):
        project = str(work / f"{key}.miv")
        base_import = run_stage_here("baseline_import", files_, str(work / f"{key}-baseline.sqlite"))
        report(f"{key}: baseline (raw text into SQLite)", base_import)
        report(f"{key}: import", run_stage_here("import", files_, project), base_import)
        report(f"{key}: code every 10th turn x2", run_stage_here("code", project))
        base_read = run_stage_here("baseline_read", project)
        report(f"{key}: baseline (read all turns)", base_read)
        report(f"{key}: suggest", run_stage_here("suggest", project), base_read)
        report(f"{key}: UI open + code (headless)", run_stage_here("ui", project, None), base_read)
        report(f"{key}: export csv+xlsx+qdpx", run_stage_here("export", project, str(work / f"{key}-export")), base_read)
        print(f"{key}: project file {Path(project).stat().st_size / 2**20:.1f} MB", flush=True)
    worst = max((r.get("peak_mb", 0) for r in rows if r.get("peak_mb") == r.get("peak_mb")), default=0)
    errors = [r for r in rows if "error" in r]
    print(f"highest peak RSS: {worst:.0f} MB (goal < {MEMORY_GOAL_MB} MB); stages failed: {len(errors)}")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
