"""Our .qdpx read by QualCoder's own importer (its `refi.py`, unchanged, run headless).

A colleague who works in QualCoder opens our export with Project → Import → REFI-QDA project. That
code is QualCoder's `RefiImport`, copied with its licence into `tests/interop/qualcoder/` (see the
README there for the commit and what is stubbed: only the file dialog and the message boxes that
wait for a click). The test builds an empty QualCoder project database the way QualCoder does,
runs the import into it and reads QualCoder's tables back: every coder, every coding on its span,
every memo, every case with its documents and the document attributes must be where QualCoder
shows them.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from mivcode.core.exchange.refi_export import VARIABLES, describe, export_qdpx
from tests.interop.readers import require
from tests.test_refi_export import rich_project  # noqa: F401 - the fixture

HERE = Path(__file__).resolve().parent / "interop" / "qualcoder"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
QtWidgets = require("PyQt6.QtWidgets")


class _QualCoderApp:
    """The few attributes of QualCoder's `App` that `RefiImport` touches."""

    version = "QualCoder 3.8 (mivcode test)"

    def __init__(self, project_path: Path, conn: sqlite3.Connection):
        self.project_path = str(project_path)
        self.project_name = project_path.name
        self.conn = conn
        self.settings = {"directory": str(project_path.parent), "codername": "default", "ai_enable": "False",
                         "fontsize": 10}
        self.ai_models: list = []
        self.config_writes = 0

    def write_config_ini(self, settings, ai_models) -> None:  # QualCoder writes ~/.qualcoder/config.ini
        self.config_writes += 1


@pytest.fixture(scope="module")
def qt_app():
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    yield app


def qualcoder_import(qdpx: Path, workdir: Path, monkeypatch) -> tuple[sqlite3.Connection, list]:
    """Run QualCoder's RefiImport on `qdpx` into a new QualCoder project; return its database and messages."""
    monkeypatch.syspath_prepend(str(HERE))
    for name in [m for m in sys.modules if m == "qualcoder" or m.startswith("qualcoder.")]:
        monkeypatch.delitem(sys.modules, name)
    from qualcoder import helpers, refi  # noqa: PLC0415 - only importable after the path is set
    from qualcoder_project import create_project_db  # noqa: PLC0415

    project = workdir / "colleague.qda"
    (project / "documents").mkdir(parents=True)
    conn = create_project_db(project / "data.qda", "default", _QualCoderApp.version)
    app = _QualCoderApp(project, conn)
    monkeypatch.setattr(helpers.Message, "shown", [])
    monkeypatch.setattr(refi.QtWidgets.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(qdpx), "(*.qdpx *.QDPX)")))
    log = QtWidgets.QTextEdit()
    refi.RefiImport(app, log, "qdpx")
    return conn, helpers.Message.shown


def rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[tuple]:
    return conn.execute(sql, params).fetchall()


def test_qualcoder_reads_coders_codings_memos_cases_and_attributes(rich_project, tmp_path, monkeypatch,  # noqa: F811
                                                                     qt_app):
    p = rich_project
    p.set_coding_memo(p.codings(coder="bram")[1].id, "Bram twijfelt hier", "bram")
    meta = p.transcript("roc_b_studenten").meta
    meta.extra["moderator"] = "AB"
    p.set_transcript_meta("roc_b_studenten", meta, "x")
    export_qdpx(p, tmp_path / "mivcode.qdpx")
    conn, messages = qualcoder_import(tmp_path / "mivcode.qdpx", tmp_path, monkeypatch)

    assert not [m for m in messages if m[2] in ("warning", "critical") and "EXPERIMENTAL" not in m[1]], messages
    sources = dict(rows(conn, "select id, name from source"))
    assert sorted(sources.values()) == sorted(p.transcript_names())
    for fid, name in sources.items():  # the text as we wrote it, so positions mean the same
        assert rows(conn, "select fulltext from source where id=?", (fid,))[0][0] == p.transcript(name).text

    # every coding on its span, by its coder, with its memo; the codebook with its hierarchy
    labels = {c.id: c.label for c in p.codes()}
    got = sorted(rows(conn, "select n.name, s.name, t.pos0, t.pos1, t.owner, ifnull(t.memo, '') from code_text t "
                            "join code_name n on n.cid = t.cid join source s on s.id = t.fid"))
    want = sorted((labels[c.code], c.transcript, c.start, c.end, c.coder, c.memo or "") for c in p.codings())
    assert got == want
    assert len({g[4] for g in got}) >= 3 and any(g[5] for g in got)  # anna, bram, consensus; memos arrived
    parent = dict(rows(conn, "select c.name, p.name from code_name c join code_name p on p.cid = c.supercid"))
    assert parent["Racisme"] == "Discriminatie"
    code_memos = dict(rows(conn, "select name, ifnull(memo, '') from code_name"))
    assert all(code_memos[c.label] == describe(c) for c in p.codes())  # definition and criteria as code memo

    # every memo on a turn: a QualCoder annotation on that turn, by its writer
    annotations = sorted(rows(conn, "select s.name, a.pos0, a.pos1, a.memo, a.owner from annotation a "
                                    "join source s on s.id = a.fid"))
    want_ann = []
    for m in p.memos():
        u = p.transcript(m.transcript).turns[m.turn]
        want_ann.append((m.transcript, u.start, u.end, m.text, m.coder))
    assert annotations == sorted(want_ann) and len(annotations) == 3

    # the coders QualCoder lists are ours, each one
    owners = {r[0] for r in rows(conn, "select owner from code_text union select owner from annotation")}
    assert owners == {"anna", "bram", "consensus", "carla"}

    # every case, linked to each of its documents (the whole text), and nothing left of the case codes
    case_links = sorted(rows(conn, "select c.name, s.name, t.pos0, t.pos1 from case_text t "
                                   "join cases c on c.caseid = t.caseid join source s on s.id = t.fid"))
    want_links = []
    for name in p.transcript_names():
        t = p.transcript(name)
        want_links.append((t.meta.institution, name, 0, len(t.text)))
        want_links.append((f"{t.meta.institution} — {t.meta.group}", name, 0, len(t.text)))
    assert case_links == sorted(want_links)
    assert {r[0] for r in rows(conn, "select name from cases")} == {w[0] for w in want_links}
    assert not rows(conn, "select name from code_name where name like 'ROC %'")
    cat = rows(conn, "select catid from code_cat where name = 'Casussen'")
    assert cat and not rows(conn, "select cid from code_name where catid = ?", (cat[0][0],))

    # Instelling, Groep, Leerweg, ... are document attributes in QualCoder, each document with its values
    kinds = dict(rows(conn, "select name, caseOrFile from attribute_type"))
    assert kinds["Instelling"] == kinds["Groep"] == kinds["Leerweg"] == kinds["moderator"] == "file"
    assert set(kinds.values()) == {"file"}
    values = sorted(rows(conn, "select s.name, a.name, a.value from attribute a join source s on s.id = a.id "
                               "where a.attr_type = 'file'"))
    want_values = []
    for name in p.transcript_names():
        meta = p.transcript(name).meta
        for key, label in VARIABLES.items():
            if getattr(meta, key):
                want_values.append((name, label, getattr(meta, key)))
        want_values += [(name, k, v) for k, v in meta.extra.items()]
    assert values == sorted(want_values) and len(values) >= 10


def test_before_the_fix_qualcoder_stopped_on_a_note_without_a_date(rich_project, tmp_path, monkeypatch,  # noqa: F811
                                                                   qt_app):
    """The harness is the real importer: a Note without creationDateTime still crashes it, as in issue 15."""
    import zipfile

    export_qdpx(rich_project, tmp_path / "ok.qdpx")
    with zipfile.ZipFile(tmp_path / "ok.qdpx") as src, zipfile.ZipFile(tmp_path / "old.qdpx", "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "project.qde":
                import re

                data = re.sub(rb'(<Note [^>]*?) creationDateTime="[^"]*"', rb"\1", data)
            dst.writestr(info, data)
    with pytest.raises(AttributeError, match="replace"):
        qualcoder_import(tmp_path / "old.qdpx", tmp_path, monkeypatch)
