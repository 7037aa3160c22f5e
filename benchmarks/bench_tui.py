"""Speed of the coding screen on a long transcript, with same-run baselines.

Targets (issue 4): a 3,000-turn transcript shows its first screen in < 0.5 s,
and toggling a code shows on screen and is committed to the project file in
< 50 ms. Figures, never assertions (shared 2-core machines vary):

    python benchmarks/bench_tui.py [--turns 3000] [--toggles 30]

Baselines measured in the same run on the same data:
  * first screen: a `VerticalScroll` with one `Static` per turn (the naive
    design the virtual `TranscriptView` replaces);
  * toggle: the bare core call `Project.toggle_code` (what the UI adds on top).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("ik voel me meestal veilig op school maar op stage werd ik anders behandeld vanwege mijn afkomst "
         "en op het plein wordt soms gevochten dat hoort erbij zeggen ze dan docenten grijpen niet altijd in "
         "online wordt er gepest via groepsapps en filmpjes worden zonder toestemming gedeeld").split()


def make_project(folder: Path, turns: int):
    from mivcode.core.codebook import default_codebook_path
    from mivcode.core.project import Project

    rng = random.Random(4)
    speakers = ["Gespreksleider", "Student 1", "Student 2", "Student 3", "Student 4"]
    lines = [f"{speakers[i % 5]}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60))).capitalize() + "."
             for i in range(turns)]
    src = folder / "lang_transcript.txt"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = Project.create(folder / "bench.miv", default_codebook_path())
    project.import_files([src])
    return project, "lang_transcript"


async def first_screen(project, name: str, size=(120, 40)) -> float:
    """Seconds from opening the transcript until its first screen is painted."""
    from mivcode.core.config import Settings
    from mivcode.tui.app import MivApp

    app = MivApp(project, "bench", settings=Settings())
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        t0 = time.perf_counter()
        screen = app.open_transcript(name)
        while screen.data is None:
            await asyncio.sleep(0.001)
        await pilot.pause()  # one refresh: the first screen is on the terminal
        elapsed = time.perf_counter() - t0
        assert screen.view.focused_turn == 0
    return elapsed


async def naive_first_screen(project, name: str, size=(120, 40)) -> float:
    """Baseline: one Static per turn in a VerticalScroll, same texts."""
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.widgets import Static

    class Naive(App):
        def compose(self):
            yield VerticalScroll(id="v")

    app = Naive()
    async with app.run_test(size=size) as pilot:
        t0 = time.perf_counter()
        t = project.transcript(name)
        await app.query_one("#v").mount_all(
            [Static(f"{u.index:>5} {u.speaker}: {t.turn_text(u)}") for u in t.turns])
        await pilot.pause()
        elapsed = time.perf_counter() - t0
    return elapsed


async def toggles(project, name: str, n: int) -> dict[str, list[float]]:
    """Seconds per toggle, three ways.

    * press: key press -> committed (read back by a second connection) and the
      app idle again after its refresh, as Textual's Pilot measures it;
    * noop: the same Pilot press of an unbound key (the harness's own cost);
    * direct: the screen's toggle (core call + annotations + side panel) plus
      rendering every visible line of the transcript, without the harness.
    """
    from mivcode.core.config import Settings
    from mivcode.tui.app import MivApp

    app = MivApp(project, "bench", settings=Settings())
    other = sqlite3.connect(project.path)
    out: dict[str, list[float]] = {"press": [], "noop": [], "direct": []}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        screen = app.open_transcript(name)
        while screen.data is None:
            await asyncio.sleep(0.001)
        await pilot.pause()
        screen.view.focus_turn(1500 if len(screen.data.transcript.turns) > 1500 else 0)
        await pilot.pause()
        view = screen.view
        for i in range(n):
            t0 = time.perf_counter()
            await pilot.press("f12")
            out["noop"].append(time.perf_counter() - t0)
            before = other.execute("SELECT count(*) FROM codings").fetchone()[0]
            t0 = time.perf_counter()
            await pilot.press("1")  # codes the turn; press() returns once the app processed it and refreshed
            after = other.execute("SELECT count(*) FROM codings").fetchone()[0]
            out["press"].append(time.perf_counter() - t0)
            assert after != before, "toggle was not committed"
            await pilot.press("1")  # back to uncoded, so every round starts alike
            t0 = time.perf_counter()
            for _ in range(2):  # code, then uncode: the mean of both directions
                screen.apply_code("discriminatie")
                for y in range(view.scrollable_content_region.height):
                    view.render_line(y)
            out["direct"].append((time.perf_counter() - t0) / 2)
            await pilot.pause()
    other.close()
    return out


def core_toggles(project, name: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        project.toggle_code(name, 1500, "discriminatie", "core")  # code
        project.toggle_code(name, 1500, "discriminatie", "core")  # and uncode
        times.append((time.perf_counter() - t0) / 2)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=3000)
    parser.add_argument("--toggles", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("MIVCODE_CONFIG_DIR", str(Path(tmp) / "config"))
        project, name = make_project(Path(tmp), args.turns)
        words = project.transcript(name).words
        print(f"transcript: {args.turns} turns, {words} words; Textual headless 120x40; python {sys.version.split()[0]}")
        ours = min(asyncio.run(first_screen(project, name)) for _ in range(3))
        naive = asyncio.run(naive_first_screen(project, name))
        print(f"first screen  TranscriptView: {ours * 1000:7.1f} ms (best of 3; target < 500 ms)")
        print(f"              baseline one Static per turn: {naive * 1000:7.1f} ms   ratio baseline/ours = {naive / ours:5.1f}x")
        ui = asyncio.run(toggles(project, name, args.toggles))
        core = core_toggles(project, name, args.toggles)
        med = {k: statistics.median(v) * 1000 for k, v in ui.items()}
        med_core = statistics.median(core) * 1000
        print(f"toggle, in the app (core call + screen state + render of all visible lines): "
              f"median {med['direct']:6.1f} ms (target < 50 ms)")
        print(f"              baseline core Project.toggle_code alone: median {med_core:6.1f} ms   "
              f"ratio app/core = {med['direct'] / med_core:4.1f}x")
        print(f"toggle via Pilot key press, committed + refreshed: median {med['press']:6.1f} ms; "
              f"Pilot no-op key press: {med['noop']:6.1f} ms; net {med['press'] - med['noop']:6.1f} ms")
        project.close()


if __name__ == "__main__":
    main()
