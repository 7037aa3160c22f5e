#!/usr/bin/env python3
"""Crash-safety harness: SIGKILL a coding session at random moments, then check nothing was lost.

Three kinds of session are killed, in turn:

* ``cli`` — the real command line: one ``mivcode code/uncode/memo/undo/redo``
  subprocess per action (what a script or a researcher in a shell does); the
  process is killed at a random moment of its short life, including while it
  commits.
* ``tui`` — the real coding screen: ``mivcode open`` in a pseudo-terminal
  (pexpect), keys typed at random (next/previous turn, code shortcuts that
  toggle a code, ``u`` undo, ctrl+r redo) and killed at a random moment. What
  counts as "reported done" here is what another process could already read:
  the harness polls the file while the UI runs, and every event it saw must
  survive the kill. The UI codes as its own coder, ``killtui``.
* ``api`` — a long-lived process that works the way the coding screen does:
  one open project, many actions in a row through the same ``Project`` API
  the TUI calls (``toggle``-style code/uncode, memos, undo, redo). The TUI
  itself is not driven keystroke by keystroke here: killing a Textual app
  mid-render adds nothing, because every change it makes goes through these
  ``Project`` methods. The driver prints ``OK <n>`` after each action
  returns (= committed) and is killed at a random moment.

After every kill the project must open, pass ``PRAGMA integrity_check`` and
``PRAGMA foreign_key_check``, and hold exactly the state after the last
action reported done — or, when the action in flight had committed before
the kill, the state one action later (the coder's event count tells which).
For every coder, replaying the event log from the start must give exactly the
codings and memos in the file (a change never lands without its log entry,
nor the entry without the change). Anything else — a lost coding, a
half-applied action, a corrupt file — is a failure.

Full run (documented in the README)::

    python scripts/kill_harness.py --kills 200

A short version runs in the test suite (tests/test_hardening_crash.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

CODER = "killtest"
TUI_CODER = "killtui"
TUI_KEYS = ["j", "j", "k", "1", "r", "5", "p", "1", "u", "\x12"]  # \x12 = ctrl+r (redo)
CODES = ["discriminatie", "racisme", "agressie_geweld", "pesten"]
CODEBOOK = """\
name: killtest
codes:
  - id: discriminatie
    label: Discriminatie
    shortcut: "1"
  - id: racisme
    label: Racisme
    parent: discriminatie
    shortcut: "r"
  - id: agressie_geweld
    label: Agressie en geweld
    shortcut: "5"
  - id: pesten
    label: Pesten
    shortcut: "p"
"""


def _transcript(name: str, turns: int) -> str:
    speakers = ["Gespreksleider", "Student 1", "Student 2", "Fatma", "Jeroen"]
    lines = [f"{speakers[i % len(speakers)]}: beurt {i} van {name} — ‘veilig’ voelen, café, één keer"
             for i in range(turns)]
    return "\n".join(lines) + "\n"


TRANSCRIPTS = {"fg_een": 24, "fg_twee": 17}


# -- the model of what the project must hold ------------------------------------------------------


@dataclass
class Model:
    codings: set = field(default_factory=set)  # (transcript, turn, code)
    memos: dict = field(default_factory=dict)  # (transcript, turn) -> text
    undo: list = field(default_factory=list)
    redo: list = field(default_factory=list)
    events: int = 0  # this coder's do/undo/redo events

    def copy(self) -> "Model":
        return Model(set(self.codings), dict(self.memos), list(self.undo), list(self.redo), self.events)

    def state(self) -> tuple:
        return (frozenset(self.codings), tuple(sorted(self.memos.items())), self.events)


def _apply_op(m: Model, op: tuple, inverse: bool = False) -> None:
    kind = op[0]
    if kind == "add":
        (m.codings.discard if inverse else m.codings.add)(op[1])
    elif kind == "remove":
        (m.codings.add if inverse else m.codings.discard)(op[1])
    elif kind == "memo":
        _, key, old, new = op
        value = old if inverse else new
        if value:
            m.memos[key] = value
        else:
            m.memos.pop(key, None)


def step(model: Model, action: dict) -> Model:
    """The model after `action` succeeds (actions are planned so that they always can)."""
    m = model.copy()
    kind = action["do"]
    if kind in ("code", "uncode", "memo"):
        key = (action["t"], action["turn"], action.get("code"))
        if kind == "code":
            op = ("add", key)
        elif kind == "uncode":
            op = ("remove", key)
        else:
            mkey = (action["t"], action["turn"])
            op = ("memo", mkey, m.memos.get(mkey), action["text"] or None)
        _apply_op(m, op)
        m.undo.append(op)
        m.redo.clear()
        m.events += 1
    elif kind == "undo" and m.undo:
        op = m.undo.pop()
        _apply_op(m, op, inverse=True)
        m.redo.append(op)
        m.events += 1
    elif kind == "redo" and m.redo:
        op = m.redo.pop()
        _apply_op(m, op)
        m.undo.append(op)
        m.events += 1
    return m


def plan(model: Model, rng: random.Random, n: int, memo_counter: list[int]) -> list[dict]:
    """n actions, each valid in the state the previous ones leave."""
    out = []
    m = model
    for _ in range(n):
        r = rng.random()
        t = rng.choice(sorted(TRANSCRIPTS))
        turn = rng.randrange(TRANSCRIPTS[t])
        if r < 0.45:
            code = rng.choice(CODES)
            action = {"do": "uncode" if (t, turn, code) in m.codings else "code", "t": t, "turn": turn, "code": code}
        elif r < 0.55 and m.codings:
            t, turn, code = rng.choice(sorted(m.codings))
            action = {"do": "uncode", "t": t, "turn": turn, "code": code}
        elif r < 0.72:
            memo_counter[0] += 1
            current = m.memos.get((t, turn))
            text = "" if current and rng.random() < 0.3 else f"memo {memo_counter[0]}: ‘onveilig’ — één, café"
            if (current or None) == (text or None):
                text = f"memo {memo_counter[0]}b"
            action = {"do": "memo", "t": t, "turn": turn, "text": text}
        elif r < 0.9:
            action = {"do": "undo"}
        else:
            action = {"do": "redo"}
        out.append(action)
        m = step(m, action)
    return out


# -- the project ------------------------------------------------------------------------------------


def setup_project(workdir: Path) -> Path:
    from mivcode.core.project import Project

    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    files = []
    for name, turns in TRANSCRIPTS.items():
        f = workdir / f"{name}.txt"
        f.write_text(_transcript(name, turns), encoding="utf-8")
        files.append(f)
    path = workdir / "kill project.miv"  # a space in the name on purpose
    with Project.create(path, workdir / "codebook.yaml") as p:
        p.import_files(files)
        assert sorted(p.transcript_names()) == sorted(TRANSCRIPTS)
    return path


class CheckFailed(AssertionError):
    pass


def read_state(path: Path) -> tuple:
    """Open the project the way a user would, check its integrity, and return (codings, memos, events)."""
    from mivcode.core.project import Project

    with Project.open(path) as p:
        problems = p.problems()  # PRAGMA integrity_check and foreign_key_check
        if problems:
            raise CheckFailed(f"integrity or foreign keys: {problems[:5]}")
        codings = set()
        for c in p.codings(coder=CODER):
            t = p.transcript(c.transcript)
            u = t.turns[c.turn]
            if (c.start, c.end) != (u.start, u.end):
                raise CheckFailed(f"coding {c} does not cover turn {c.turn} exactly")
            codings.add((c.transcript, c.turn, c.code))
        if len(codings) != len(p.codings(coder=CODER)):
            raise CheckFailed("duplicate codings")
        memos = {(m.transcript, m.turn): m.text for m in p.memos() if m.coder == CODER}
        events = sum(1 for e in p.events(CODER) if e.action in ("do", "undo", "redo"))
        for coder in (CODER, TUI_CODER):
            check_replay(p, coder)
    return (frozenset(codings), tuple(sorted(memos.items())), events)


def check_replay(p, coder: str) -> None:
    """Replaying the coder's event log from the start must give exactly the codings and memos in the file."""
    from mivcode.core.history import replay

    state = replay(p.events(coder))
    codings = {i: (c.transcript, c.start, c.end, c.code) for i, c in state.codings.items()}
    actual = {c.id: (c.transcript, c.start, c.end, c.code) for c in p.codings(coder=coder)}
    if actual != codings:
        raise CheckFailed(f"{coder}: codings differ from the event log: only in file "
                          f"{sorted(set(actual.items()) - set(codings.items()))[:3]}, only in log "
                          f"{sorted(set(codings.items()) - set(actual.items()))[:3]}")
    actual_memos = {(m.transcript, m.turn, m.coder): m.text for m in p.memos() if m.coder == coder}
    if actual_memos != state.memos:
        raise CheckFailed(f"{coder}: memos differ from the event log")


# -- the two kinds of session ---------------------------------------------------------------------


def _env() -> dict:
    env = dict(os.environ)
    env["MIVCODE_CODER"] = CODER
    env["MIVCODE_LANG"] = "en"  # the confirmations below are matched in English, whatever the user configured
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    return env


def _cli_args(path: Path, action: dict) -> list[str]:
    kind = action["do"]
    base = ["mivcode", kind, str(path)]
    if kind in ("code", "uncode"):
        return base + [action["t"], str(action["turn"]), action["code"], "--coder", CODER]
    if kind == "memo":
        return base + [action["t"], str(action["turn"]), action["text"], "--coder", CODER]
    return base + ["--coder", CODER]


_CLI_CONFIRM = {"code": "coded ", "uncode": "removed ", "memo": "memo ", "undo": ("undone: ", "nothing to undo"),
                "redo": ("redone: ", "nothing to redo")}


@dataclass
class Result:
    tried: int = 0
    survived: int = 0
    completed_actions: int = 0
    in_flight_committed: int = 0  # kills after which the action in flight turned out committed
    tui_kills: int = 0
    failures: list = field(default_factory=list)
    log: list = field(default_factory=list)

    def line(self) -> str:
        rest = self.survived - self.in_flight_committed - self.tui_kills
        return (f"kills survived: {self.survived}/{self.tried} (CLI/API: in-flight action committed in "
                f"{self.in_flight_committed}, rolled back in {rest}; UI sessions killed: {self.tui_kills}); "
                f"actions reported done and verified: {self.completed_actions}; failures: {len(self.failures)}")


def _judge(path: Path, before: Model, after: Model, result: Result, what: str) -> Model:
    """After a kill: the state must be `before` (in-flight action lost) or `after` (it committed)."""
    result.tried += 1
    try:
        actual = read_state(path)
    except Exception as exc:  # noqa: BLE001 - any failure to open is a failed kill
        result.failures.append(f"{what}: project unusable after kill: {exc!r}")
        raise CheckFailed(result.failures[-1]) from exc
    if actual == before.state():
        result.survived += 1
        return before
    if actual == after.state():
        result.survived += 1
        result.in_flight_committed += 1
        return after
    result.failures.append(f"{what}: state after kill matches neither the last reported action nor the next one;"
                           f" expected events {before.events} or {after.events}, found {actual[2]}; "
                           f"missing codings {sorted(before.codings - actual[0])[:5]}")
    raise CheckFailed(result.failures[-1])


def cli_round(path: Path, model: Model, rng: random.Random, result: Result, counter: list[int]) -> Model:
    """Run CLI actions until one is killed; returns the model to continue from."""
    while True:
        action = plan(model, rng, 1, counter)[0]
        after = step(model, action)
        proc = subprocess.Popen(_cli_args(path, action), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=_env(), text=True)
        time.sleep(rng.uniform(0.0, 0.35))
        killed = False
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
        out, err = proc.communicate()
        if killed and proc.returncode == -signal.SIGKILL:
            return _judge(path, model, after, result, f"cli {action}")
        if proc.returncode != 0 or not out.startswith(_CLI_CONFIRM[action["do"]]):
            result.failures.append(f"cli {action}: exit {proc.returncode}: {err.strip() or out.strip()}")
            raise CheckFailed(result.failures[-1])
        # reported done: it must be there
        result.completed_actions += 1
        actual = read_state(path)
        if actual != after.state():
            result.failures.append(f"cli {action}: reported done but the project does not hold it")
            raise CheckFailed(result.failures[-1])
        model = after


def api_round(path: Path, model: Model, rng: random.Random, result: Result, counter: list[int]) -> Model:
    """A long-lived session killed at a random moment; returns the model to continue from."""
    actions = plan(model, rng, 400, counter)
    proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--driver", str(path)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
                            text=True)
    assert proc.stdin and proc.stdout
    lines: list[str] = []
    ready = threading.Event()

    def reader():
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line.strip())
            if line.startswith("READY"):
                ready.set()
        ready.set()

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    proc.stdin.write("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in actions))
    proc.stdin.close()
    ready.wait(30)
    time.sleep(rng.uniform(0.0, 0.3))
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    th.join(10)
    err = proc.stderr.read() if proc.stderr else ""
    if any(x.startswith("ERR") for x in lines) or (not killed and proc.returncode != 0):
        result.failures.append(f"api driver failed: {[x for x in lines if x.startswith('ERR')][:1]} {err[-500:]}")
        raise CheckFailed(result.failures[-1])
    done = [int(x.split()[1]) for x in lines if x.startswith("OK ")]
    k = len(done)
    if done != list(range(k)):
        result.failures.append(f"api driver reported out of order: {done[:10]}")
        raise CheckFailed(result.failures[-1])
    for a in actions[:k]:
        model = step(model, a)
    result.completed_actions += k
    if not killed or k == len(actions):
        if read_state(path) != model.state():
            result.failures.append("api driver finished but the project does not hold every action")
            raise CheckFailed(result.failures[-1])
        return model
    return _judge(path, model, step(model, actions[k]), result, f"api after {k} actions, in flight {actions[k]}")


def _committed_events(path: Path) -> set[int]:
    """Event ids another process can read right now (read-only, so the running UI is not disturbed)."""
    import sqlite3

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA busy_timeout = 2000")
        return {r[0] for r in conn.execute("SELECT id FROM events WHERE coder = ?", (TUI_CODER,))}
    finally:
        conn.close()


def tui_round(path: Path, model: Model, rng: random.Random, result: Result, counter: list[int]) -> Model:
    """`mivcode open` in a pty, random keys, SIGKILL; every event seen committed before the kill must survive."""
    import shutil

    import pexpect

    exe = shutil.which("mivcode")
    env = {**_env(), "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24", "MIVCODE_CODER": TUI_CODER}
    transcript = rng.choice(sorted(TRANSCRIPTS))
    child = pexpect.spawn(exe, ["open", str(path), "--coder", TUI_CODER, "--transcript", transcript],
                          env=env, dimensions=(24, 80), encoding="utf-8", timeout=60)
    seen: set[int] = set()
    try:
        child.expect([r"beurt \d+ \(0", r"turn \d+ \(0"])  # the status line once the transcript is shown
        deadline = time.monotonic() + rng.uniform(0.05, 1.5)
        while time.monotonic() < deadline and child.isalive():
            child.send(rng.choice(TUI_KEYS))
            time.sleep(rng.uniform(0.0, 0.03))
            if rng.random() < 0.3:
                seen |= _committed_events(path)
            try:  # keep the pty drained so the UI never blocks on output
                child.read_nonblocking(100_000, timeout=0)
            except (pexpect.TIMEOUT, pexpect.EOF):
                pass
        seen |= _committed_events(path)
        alive = child.isalive()
        if alive:
            os.kill(child.pid, signal.SIGKILL)
    finally:
        child.close(force=True)
    if not alive:
        result.failures.append(f"tui: the UI exited by itself before the kill: {child.before!r}"[:500])
        raise CheckFailed(result.failures[-1])
    result.tried += 1
    try:
        state = read_state(path)  # integrity, foreign keys, and the event-log replay for both coders
        after = _committed_events(path)
    except Exception as exc:  # noqa: BLE001
        result.failures.append(f"tui: project unusable after kill: {exc!r}")
        raise CheckFailed(result.failures[-1]) from exc
    if not seen <= after:
        result.failures.append(f"tui: {len(seen - after)} committed action(s) lost by the kill")
        raise CheckFailed(result.failures[-1])
    if state != model.state():
        result.failures.append("tui: the UI session changed another coder's codings")
        raise CheckFailed(result.failures[-1])
    result.survived += 1
    result.tui_kills += 1
    result.completed_actions += len(seen)
    return model


def driver(path: str) -> int:
    """The long-lived session: read actions (JSON lines) from stdin, print `OK <n>` after each commit."""
    from mivcode.core.project import Project

    actions = [json.loads(line) for line in sys.stdin if line.strip()]
    with Project.open(path) as p:
        print("READY", flush=True)
        for i, a in enumerate(actions):
            try:
                kind = a["do"]
                if kind == "code":
                    p.add_coding(a["t"], a["turn"], a["code"], CODER)
                elif kind == "uncode":
                    if not p.remove_codings(a["t"], a["turn"], a["code"], CODER):
                        raise RuntimeError("nothing to uncode")
                elif kind == "memo":
                    p.set_turn_memo(a["t"], a["turn"], a["text"], CODER)
                elif kind == "undo":
                    p.undo(CODER)
                elif kind == "redo":
                    p.redo(CODER)
            except Exception as exc:  # noqa: BLE001 - reported to the harness
                print(f"ERR {i} {a} {exc!r}", flush=True)
                return 1
            print(f"OK {i}", flush=True)
    return 0


ROUNDS = {"cli": cli_round, "api": api_round, "tui": tui_round}


def run(kills: int, *, workdir: Path | None = None, seed: int = 0, modes: tuple[str, ...] = ("cli", "api", "tui"),
        verbose: bool = False) -> Result:
    """Kill `kills` sessions (alternating modes); stops at the first failure (recorded in the result)."""
    own_tmp = None
    if workdir is None:
        own_tmp = tempfile.TemporaryDirectory(prefix="mivcode-kill-")
        workdir = Path(own_tmp.name)
    rng = random.Random(seed)
    result = Result()
    counter = [0]
    try:
        path = setup_project(Path(workdir))
        model = Model()
        i = 0
        while result.tried < kills:
            mode = modes[i % len(modes)]
            i += 1
            before = result.tried
            try:
                model = ROUNDS[mode](path, model, rng, result, counter)
            except CheckFailed:
                break
            if verbose and result.tried != before:
                print(f"kill {result.tried:4d} ({mode}): ok — {len(model.codings)} codings, "
                      f"{len(model.memos)} memos, {model.events} events", flush=True)
    finally:
        if own_tmp is not None:
            own_tmp.cleanup()
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=200, help="how many SIGKILLs to deliver (default 200)")
    ap.add_argument("--seed", type=int, default=int(time.time()) % 100000)
    ap.add_argument("--mode", choices=["all", "cli", "api", "tui"], default="all")
    ap.add_argument("--workdir", type=Path, help="keep the project here (default: a temporary folder)")
    ap.add_argument("--driver", metavar="PROJECT", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.driver:
        return driver(args.driver)
    modes = ("cli", "api", "tui") if args.mode == "all" else (args.mode,)
    print(f"seed {args.seed}", flush=True)
    t0 = time.time()
    result = run(args.kills, workdir=args.workdir, seed=args.seed, modes=modes, verbose=True)
    print(result.line() + f" ({time.time() - t0:.0f} s)")
    for f in result.failures:
        print("FAIL:", f)
    return 0 if not result.failures and result.survived == result.tried >= args.kills else 1


if __name__ == "__main__":
    sys.exit(main())
