"""Drive the installed `mivcode open` in a real pseudo-terminal and check the project file afterwards.

This is the path a researcher takes over SSH: the console script, a real
terminal (80x24), keys typed one after another, `q`, and then the file on
disk holds exactly what was done (read back through the Project API).
"""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from mivcode.core.project import Project

pexpect = pytest.importorskip("pexpect")

T = "fg_roc_studenten"


@pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty")
def test_open_code_memo_undo_in_a_real_terminal(project):
    exe = shutil.which("mivcode")
    if exe is None:
        pytest.skip("the mivcode console script is not installed")
    path = str(project.path)
    project.close()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    child = pexpect.spawn(exe, ["open", path, "--coder", "terminal", "--transcript", T],
                          env=env, dimensions=(24, 80), encoding="utf-8", timeout=30)
    try:
        child.expect("beurt 0 \\(0–6\\)")
        child.send("j")
        child.expect("beurt 1 \\(0–6\\)")
        child.send("1")  # Discriminatie on turn 1
        child.expect("Gecodeerd")
        child.send("j")
        child.expect("beurt 2 \\(0–6\\)")
        child.send("5")  # Agressie en geweld on turn 2
        child.expect("Agressie en geweld")
        child.send("u")  # ... taken back
        child.expect("Ongedaan")
        child.send("m")
        child.expect("Memo bij beurt 2")
        child.send("afkomst bij stage\r")
        child.expect("Memo opgeslagen")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, child.before
    with Project.open(path, readonly=True) as p:
        assert [(c.turn, c.code, c.origin) for c in p.codings(coder="terminal")] == [(1, "discriminatie", "manual")]
        assert p.turn_memo(T, 2, "terminal") == "afkomst bij stage"
