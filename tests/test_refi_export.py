"""REFI-QDA export: schema-valid project and codebook, and an exact round trip."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.exchange.refi_export import export_qdc, export_qdpx
from mivcode.core.exchange.refi_import import import_qdpx
from mivcode.core.project import Project
from tests.test_export_excel import build_project


def shared_dir() -> Path | None:
    """`../shared` beside the clone (as in CI), or MIVCODE_SHARED_DIR."""
    env = os.environ.get("MIVCODE_SHARED_DIR")
    for cand in ([Path(env)] if env else []) + [Path(__file__).resolve().parents[2] / "shared"]:
        if (cand / "refi-qda" / "Project.xsd").exists():
            return cand
    return None


def schema(name: str):
    etree = pytest.importorskip("lxml.etree")
    base = shared_dir()
    if base is None:
        pytest.skip("../shared/refi-qda not present")
    return etree.XMLSchema(etree.parse(str(base / "refi-qda" / name)))


def _validate(xsd: str, data: bytes) -> None:
    from lxml import etree

    s = schema(xsd)
    doc = etree.fromstring(data)
    assert s.validate(doc), s.error_log


@pytest.fixture
def rich_project(tmp_path, small_codebook):
    p = build_project(tmp_path, small_codebook, consensus=True)
    p.set_coding_memo(p.codings(coder="anna")[0].id, "Let op: één citaat, ook \"quotes\" & <tags>", "anna")
    p.set_turn_memo("roc_a_studenten", 3, "Normalisering? Bespreken.", "anna")
    p.set_turn_memo("roc_a_studenten", 3, "Eens.", "bram")
    p.set_turn_memo("roc_b_studenten", 0, "Emoji 😀 in de vraag", "carla")
    yield p
    p.close()


def test_qdpx_layout_and_schema(rich_project, tmp_path):
    out = tmp_path / "p.qdpx"
    res = export_qdpx(rich_project, out)
    assert res.sources == 3 and res.codings == len(rich_project.codings())
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        qde = zf.read("project.qde")
        _validate("Project.xsd", qde)
        from lxml import etree

        root = etree.fromstring(qde)
        ns = {"q": "urn:QDA-XML:project:1.0"}
        sources = root.findall(".//q:TextSource", ns)
        assert len(sources) == 3
        for s in sources:
            path = s.get("plainTextPath")
            assert path == f"internal://{s.get('guid')}.txt"
            data = zf.read("sources/" + path[len("internal://"):])
            assert not data.startswith(b"\xef\xbb\xbf")
            text = data.decode("utf-8")
            t = rich_project.transcript(s.get("name"))
            assert text == t.text
            for sel in s.findall("q:PlainTextSelection", ns):
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                assert 0 <= start < end <= len(text)  # code points, end exclusive
        users = {u.get("name") for u in root.findall(".//q:User", ns)}
        # carla only wrote a memo; mivcode links the transcripts to their cases (no one imported them by name)
        assert users == {"anna", "bram", "consensus", "carla", "mivcode"}
        # nested codes: racisme inside discriminatie, with colour and description
        disc = root.find(".//q:CodeBook/q:Codes/q:Code[@name='Discriminatie']", ns)
        assert disc is not None and disc.get("color") == "#c0392b" and disc.get("isCodable") == "true"
        assert disc.find("q:Code[@name='Racisme']", ns) is not None
        case_guids = {c.get("guid") for c in root.findall(".//q:Case", ns)}
        selections = root.findall(".//q:PlainTextSelection", ns)
        codings = [c for s in selections for c in s.findall("q:Coding", ns)
                   if c.find("q:CodeRef", ns).get("targetGUID") not in case_guids]
        assert len(codings) == len(rich_project.codings())
        users = {u.get("guid"): u.get("name") for u in root.findall(".//q:User", ns)}
        for sel in selections:
            sel_codings = sel.findall("q:Coding", ns)
            if sel_codings and sel_codings[0].find("q:CodeRef", ns).get("targetGUID") in case_guids:
                continue
            # one coder per selection, named on the selection itself (QualCoder reads it there), with a date
            assert sel.get("creatingUser") in users and sel.get("creationDateTime")
            assert {c.get("creatingUser") for c in sel_codings} <= {sel.get("creatingUser")}
            assert re.match(r"line:\d+ ", sel.get("name"))
        spans = [(s.getparent().get("guid"), s.get("startPosition"), s.get("endPosition"), s.get("creatingUser"))
                 for s in selections if s.findall("q:Coding", ns)]
        two_coders = {k[:3] for k in spans if sum(1 for j in spans if j[:3] == k[:3]) > 1}
        assert two_coders  # racisme in turn 1 by anna and bram: one selection each
        memo_sel = [s for s in selections if s.find("q:Description", ns) is not None and s.findall("q:Coding", ns)]
        assert len(memo_sel) == 2 and all(s.find("q:Coding/q:NoteRef", ns) is not None for s in memo_sel)
        cases = {c.get("name") for c in root.findall(".//q:Case", ns)}
        assert {"ROC A", "ROC B", "ROC A — studenten", "ROC A — medewerkers"} <= cases
        for case in root.findall(".//q:Case", ns):
            assert case.findall("q:SourceRef", ns) and not case.findall("q:VariableValue", ns)
            # and as a code with the case's guid, under a code nobody codes with
            code = root.find(f".//q:Code[@guid='{case.get('guid')}']", ns)
            assert code is not None and code.getparent().get("isCodable") == "false"
        assert {v.get("name") for v in root.findall(".//q:Variable", ns)} >= {"Instelling", "Groep"}
        note = root.find(".//q:Notes/q:Note/q:PlainTextContent", ns)
        assert note is not None and "één citaat" in note.text
        assert all(n.get("creationDateTime") and n.get("creatingUser") for n in root.findall(".//q:Note", ns))
        assert all(s.get("creationDateTime") for s in sources)
        assert all(not n.startswith("/") and ".." not in n for n in names)


def test_qdc_validates(rich_project, tmp_path):
    export_qdc(rich_project, tmp_path / "c.qdc")
    _validate("Codebook.xsd", (tmp_path / "c.qdc").read_bytes())


def test_guids_are_stable(rich_project, tmp_path):
    export_qdpx(rich_project, tmp_path / "a.qdpx")
    export_qdpx(rich_project, tmp_path / "b.qdpx")

    def guids(path):
        import re

        return re.findall(r'guid="([^"]+)"', zipfile.ZipFile(path).read("project.qde").decode())

    assert guids(tmp_path / "a.qdpx") == guids(tmp_path / "b.qdpx")


def _snapshot(p: Project):
    codes = [(c.id, c.label, c.parent, c.label_en, c.definition, c.include, c.exclude, c.examples, c.keywords,
              c.markers, c.requires, c.color, c.shortcut) for c in p.codes()]
    transcripts = []
    for name in p.transcript_names():
        t = p.transcript(name)
        transcripts.append((t.name, t.text, t.turns, t.meta, t.content_hash))
    codings = sorted((c.transcript, c.start, c.end, c.code, c.coder, c.origin, c.memo, c.created_at)
                     for c in p.codings())
    memos = sorted((m.transcript, m.turn, m.coder, m.text) for m in p.memos())
    return sorted(codes), transcripts, codings, memos


def test_round_trip_is_exact(rich_project, tmp_path, small_codebook):
    export_qdpx(rich_project, tmp_path / "p.qdpx")
    with Project.create(tmp_path / "fresh.miv", small_codebook) as fresh:
        rep = import_qdpx(fresh, tmp_path / "p.qdpx", coder="tester")
        assert not rep.warnings and rep.codings_added == len(rich_project.codings())
        assert _snapshot(fresh) == _snapshot(rich_project)
        again = import_qdpx(fresh, tmp_path / "p.qdpx", coder="tester")  # idempotent
        assert again.codings_added == 0 and not again.transcripts_added and not again.codes_added
        assert _snapshot(fresh) == _snapshot(rich_project)


def test_round_trip_into_project_with_other_codebook(rich_project, tmp_path):
    """Into a project whose codebook lacks these codes: they arrive with their ids and hierarchy."""
    book = tmp_path / "other.yaml"
    book.write_text("name: other\ncodes:\n  - id: pesten\n    label: Pesten\n", encoding="utf-8")
    export_qdpx(rich_project, tmp_path / "p.qdpx")
    with Project.create(tmp_path / "o.miv", book) as other:
        import_qdpx(other, tmp_path / "p.qdpx")
        ids = {c.id: c.parent for c in other.codes()}
        assert ids["racisme"] == "discriminatie" and "pesten" in ids
        assert len(other.codings()) == len(rich_project.codings())


def test_cli_qdpx_and_qdc(rich_project, tmp_path, small_codebook):
    runner = CliRunner()
    r = runner.invoke(main, ["export", str(rich_project.path), str(tmp_path / "x.qdpx")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["export", str(rich_project.path), str(tmp_path / "x.qdc")])
    assert r.exit_code == 0, r.output
    runner.invoke(main, ["init", str(tmp_path / "n.miv"), "--codebook", str(small_codebook)])
    r = runner.invoke(main, ["import-qdpx", str(tmp_path / "n.miv"), str(tmp_path / "x.qdpx")])
    assert r.exit_code == 0, r.output
    assert "3 transcripten" in r.output
    r = runner.invoke(main, ["codebook-import", str(tmp_path / "n.miv"), str(tmp_path / "x.qdc")])
    assert r.exit_code == 0 and "0 nieuwe codes" in r.output


def test_qdpx_for_one_coder(rich_project, tmp_path, small_codebook):
    export_qdpx(rich_project, tmp_path / "c.qdpx", coder="consensus")
    with Project.create(tmp_path / "c.miv", small_codebook) as fresh:
        import_qdpx(fresh, tmp_path / "c.qdpx")
        assert fresh.coders_with_codings() == ["consensus"]
        assert len(fresh.codings()) == len(rich_project.codings(coder="consensus"))
        assert fresh.memos() == []  # consensus wrote no memos
    r = CliRunner().invoke(main, ["export", str(rich_project.path), str(tmp_path / "x.qdpx"), "--coder", "nemo"])
    assert r.exit_code == 1 and "nemo" in r.output
    r = CliRunner().invoke(main, ["export", str(rich_project.path), str(tmp_path / "x.qdpx"), "--min-cell", "3"])
    assert r.exit_code == 2 and "--min-cell" in r.output


def test_import_without_our_sidecar_like_another_tool(rich_project, tmp_path, small_codebook):
    """Drop mivcode.json: the standard parts alone give back text, turns, metadata, codes and codings."""
    meta = rich_project.transcript("roc_b_studenten").meta
    meta.extra["moderator"] = "AB"
    rich_project.set_transcript_meta("roc_b_studenten", meta, "x")
    export_qdpx(rich_project, tmp_path / "p.qdpx")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as src, zipfile.ZipFile(tmp_path / "plain.qdpx", "w") as dst:
        for info in src.infolist():
            if info.filename != "mivcode.json":
                dst.writestr(info, src.read(info))
    with Project.create(tmp_path / "plain.miv", small_codebook) as fresh:
        rep = import_qdpx(fresh, tmp_path / "plain.qdpx")
        assert not rep.codes_added  # matched by label to the codebook already in the project
        for name in rich_project.transcript_names():
            a, b = rich_project.transcript(name), fresh.transcript(name)
            assert (b.text, b.turns) == (a.text, a.turns)
            assert (b.meta.institution, b.meta.group, b.meta.leerweg, b.meta.niveau) == (
                a.meta.institution, a.meta.group, a.meta.leerweg, a.meta.niveau)
        assert fresh.transcript("roc_b_studenten").meta.extra == {"moderator": "AB"}
        got = sorted((c.transcript, c.start, c.end, c.code, c.coder, c.memo) for c in fresh.codings())
        assert got == sorted((c.transcript, c.start, c.end, c.code, c.coder, c.memo) for c in rich_project.codings())
        assert {c.origin for c in fresh.codings()} == {"import"}
        assert sorted((m.transcript, m.turn, m.coder, m.text) for m in fresh.memos()) == sorted(
            (m.transcript, m.turn, m.coder, m.text) for m in rich_project.memos())




def test_round_trip_property(tmp_path_factory, small_codebook):
    """Random speech (emoji, accents, RTL, quotes) and random spans survive export → import unchanged."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from mivcode.core.importers.turn_builder import Segment, build_transcript

    words = st.text(alphabet=st.sampled_from(list("abcdeéëïöü ÉÈ😀👍🏽مرحبا\"'<>&=+-@\tß\u0301")),
                    min_size=1, max_size=30).filter(lambda w: w.strip())
    turns = st.lists(st.tuples(st.sampled_from(["Student 1", "Docent", "Gespreksleider", "R2"]), words),
                     min_size=1, max_size=6)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(turns=turns, data=st.data())
    def run(turns, data):
        d = tmp_path_factory.mktemp("prop")
        with Project.create(d / "a.miv", small_codebook) as a:
            t = build_transcript("fg", [Segment(s, u) for s, u in turns])
            a.add_transcript(t)
            t = a.transcript("fg")
            for _ in range(data.draw(st.integers(0, 5))):
                u = data.draw(st.sampled_from(t.turns))
                start = data.draw(st.integers(u.start, max(u.start, u.end - 1)))
                end = data.draw(st.integers(start + 1, len(t.text)))
                code = data.draw(st.sampled_from(["racisme", "agressie_geweld"]))
                who = data.draw(st.sampled_from(["anna", "bram"]))
                try:
                    a.add_coding("fg", u.index, code, who, start=start, end=end,
                                 memo=data.draw(st.none() | words))
                except Exception:  # a duplicate span: fine, skip
                    pass
            export_qdpx(a, d / "a.qdpx")
            with Project.create(d / "b.miv", small_codebook) as b:
                import_qdpx(b, d / "a.qdpx")
                assert _snapshot(b) == _snapshot(a)

    run()


def test_sidecar_ignored_when_another_tool_changed_the_text(rich_project, tmp_path, small_codebook):
    export_qdpx(rich_project, tmp_path / "p.qdpx")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as src, zipfile.ZipFile(tmp_path / "e.qdpx", "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("sources/") and "roc_b" in data.decode("utf-8", "ignore") or (
                    info.filename.startswith("sources/") and b"Student 4" in data):
                data += "\nStudent 5: Nieuw toegevoegd.".encode()
            dst.writestr(info, data)
    with Project.create(tmp_path / "e.miv", small_codebook) as fresh:
        import_qdpx(fresh, tmp_path / "e.qdpx")
        t = fresh.transcript("roc_b_studenten")
        assert t.turns[-1].speaker == "Student 5" and len(t.turns) == 4  # parsed, not the stale sidecar turns
        for c in fresh.codings(transcript="roc_b_studenten"):
            orig = rich_project.transcript("roc_b_studenten")
            assert t.text[c.start:c.end] == orig.text[c.start:c.end]
