"""Our .qdpx read by qc (`qualitative-coding`), the line-based command-line coder, with its own reader.

`qc init --import project.qdpx` is `REFIQDAReader(path).unpack_project(cwd)`; qc codes whole lines
and takes a selection's line only from a name of the form it writes itself (`line:N`), so every
coding used to land on line 0. qc is installed by the test set-up (see the README), unchanged.
"""

from __future__ import annotations


from mivcode.core.exchange.refi_export import export_qdpx
from tests.interop.readers import require
from tests.test_refi_export import rich_project  # noqa: F401 - the fixture

reader = require("qualitative_coding.refi_qda.reader")


def qc_import(qdpx, project_dir, monkeypatch) -> tuple[list[tuple[str, str, int, str]], set[str]]:
    """qc's own import into an empty folder; its coded lines (code, coder, line, file) and coders."""
    from qualitative_coding.corpus import QCCorpus

    project_dir.mkdir()
    monkeypatch.chdir(project_dir)  # qc, like its CLI, keeps settings.yaml in the working directory
    monkeypatch.setenv("PYTHONBREAKPOINT", "0")  # qc 1.7.8's reader has a breakpoint() left in it
    reader.REFIQDAReader(str(qdpx)).unpack_project(project_dir)
    corpus = QCCorpus(project_dir / "settings.yaml")
    with corpus.session():
        lines = [tuple(r) for r in corpus.get_coded_lines()]
        coders = {c.name for c in corpus.get_all_coders()}
    return lines, coders


def test_qc_places_every_coding_on_its_line(rich_project, tmp_path, monkeypatch):  # noqa: F811
    p = rich_project
    export_qdpx(p, tmp_path / "mivcode.qdpx")
    lines, coders = qc_import(tmp_path / "mivcode.qdpx", tmp_path / "qc", monkeypatch)

    labels = {c.id: c.label for c in p.codes()}
    want = set()
    for c in p.codings():
        text = p.transcript(c.transcript).text
        want.add((labels[c.code], c.coder, text.count("\n", 0, c.start), f"{c.transcript}.txt"))
    got = set(lines)
    assert want <= got  # every coding, by its coder, on the line it starts on
    assert len({w[2] for w in want}) > 3  # on many lines, not all on line 0
    assert {c.coder for c in p.codings()} <= coders
    # what qc has besides: our case links, as codes on line 0 (qc has no cases)
    extra = got - want
    assert extra and all(line == 0 for _, _, line, _ in extra)
