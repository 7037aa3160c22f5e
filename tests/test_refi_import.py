"""REFI-QDA import: real exports of other tools, offset mapping, and hostile files."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.errors import InputError
from mivcode.core.importers import refi_qda
from mivcode.core.exchange.refi_import import import_qdc, import_qdpx
from mivcode.core.importers.refi_qda import layout_text, slugify
from mivcode.core.project import Project
from tests.test_refi_export import shared_dir

NS = 'xmlns="urn:QDA-XML:project:1.0"'
G = "{:08x}-0000-4000-8000-000000000000".format


def samples() -> list[Path]:
    base = shared_dir()
    return sorted((base / "refi-qda" / "samples").glob("*.qdpx")) if base else []


def _state(p: Project):
    return (p.transcript_names(), [c.id for c in p.codes()], len(p.codings()))


def make_qdpx(path: Path, qde: str | bytes, files: dict[str, bytes] | None = None, qde_name: str = "project.qde"):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(qde_name, qde if isinstance(qde, bytes) else qde.encode("utf-8"))
        for name, data in (files or {}).items():
            zf.writestr(name, data)
    return path


def simple_qde(text_path: str, selections: list[tuple[int, int, int]], codes=("Onveilig gevoel", "Pesten"),
               source_extra: str = "") -> str:
    code_xml = "".join(f'<Code guid="{G(i + 1)}" name="{n}" isCodable="true"/>' for i, n in enumerate(codes))
    sels = "".join(
        f'<PlainTextSelection guid="{G(100 + k)}" startPosition="{s}" endPosition="{e}">'
        f'<Coding guid="{G(200 + k)}" creatingUser="{G(50)}"><CodeRef targetGUID="{G(c + 1)}"/></Coding>'
        "</PlainTextSelection>"
        for k, (s, e, c) in enumerate(selections))
    return (f'<?xml version="1.0" encoding="utf-8"?><Project {NS} name="t"><Users><User guid="{G(50)}" name="Eva"/>'
            f'</Users><CodeBook><Codes>{code_xml}</Codes></CodeBook><Sources>'
            f'<TextSource guid="{G(60)}" name="fg_extern" plainTextPath="{text_path}">{sels}{source_extra}'
            "</TextSource></Sources></Project>")


@pytest.fixture
def empty_project(tmp_path, small_codebook):
    p = Project.create(tmp_path / "imp.miv", small_codebook)
    yield p
    p.close()


# -- the real exports of other tools ---------------------------------------------------------


@pytest.mark.parametrize("sample", samples(), ids=lambda p: p.name)
def test_real_samples_import(sample, empty_project):
    rep = import_qdpx(empty_project, sample)
    qde = zipfile.ZipFile(sample).read("project.qde").decode("utf-8-sig")
    n_codes = len(re.findall(r"<Code\s", qde))
    assert len(rep.codes_added) == n_codes
    ids = {c.id: c for c in empty_project.codes()}
    # hierarchy kept: a code nested in the XML has its parent
    assert any(c.parent for c in ids.values())
    again = import_qdpx(empty_project, sample)
    assert not again.codes_added and again.codings_added == 0 and not again.transcripts_added


def codebook_samples() -> list[Path]:
    base = shared_dir()
    return sorted((base / "refi-qda" / "samples").glob("*.qdc")) if base else []


@pytest.mark.parametrize("sample", codebook_samples(), ids=lambda p: p.name)
def test_real_codebook_samples_import(sample, empty_project):
    """ATLAS.ti, QualCoder and Taguette codebooks (Taguette's has an empty <Sets/> the schema forbids)."""
    before = {c.id for c in empty_project.codes()}
    rep = import_qdc(empty_project, sample)
    n_codes = len(re.findall(r"<Code\s", sample.read_text(encoding="utf-8-sig")))
    assert len(rep.codes_added) + rep.codes_existing == n_codes and rep.codes_added and not rep.warnings
    assert {c.id for c in empty_project.codes()} - before == set(rep.codes_added)
    assert not import_qdc(empty_project, sample).codes_added


def test_qc_sample_codings_land_on_the_right_text(empty_project):
    sample = next((s for s in samples() if s.name.startswith("qualitative")), None)
    if sample is None:
        pytest.skip("../shared samples not present")
    rep = import_qdpx(empty_project, sample)
    zf = zipfile.ZipFile(sample)
    qde = zf.read("project.qde").decode()
    assert rep.codings_added == len(re.findall(r"<Coding\s", qde)) and not rep.warnings
    assert sorted(empty_project.transcript_names()) == ["admin-1", "board_2017"]
    assert empty_project.coders_with_codings() == ["cp"]
    src = zf.read("sources/board_2017.txt").decode()
    sels = re.findall(r'startPosition="(\d+)" endPosition="(\d+)"', qde.split('plainTextPath="admin-1.txt"')[0])
    ours = empty_project.transcript("board_2017")
    got = {(c.start, c.end) for c in empty_project.codings(transcript="board_2017")}
    norm = lambda s: " ".join(s.split())  # noqa: E731
    for s, e in sels:
        original = norm(src[int(s):int(e)])
        mapped = [norm(ours.text[a:b]) for a, b in got if norm(ours.text[a:b]) and norm(ours.text[a:b]) in original]
        assert mapped, original


def test_atlas_codes_and_users(empty_project):
    sample = next((s for s in samples() if s.name.startswith("atlas")), None)
    if sample is None:
        pytest.skip("../shared samples not present")
    import_qdpx(empty_project, sample)
    codes = {c.label: c for c in empty_project.codes()}
    assert codes["2022-05-10T02:05:59Z 19e4dce"].parent == codes["Commits"].id == "commits"


# -- text layout and offsets ---------------------------------------------------------------


def test_layout_labels_and_paragraphs():
    lay = layout_text("Gespreksleider: Welkom.\r\nStudent 1: Ik voel me\r\nniet veilig.\r\n")
    assert lay.transcript_text == "Gespreksleider: Welkom.\nStudent 1: Ik voel me\nniet veilig."
    assert [(t.speaker, lay.transcript_text[t.start:t.end]) for t in lay.turns] == [
        ("Gespreksleider", "Welkom."), ("Student 1", "Ik voel me\nniet veilig.")]
    padded = layout_text("Max Bigman:         Okay.\nadmin-1:     Sure.\nand more\nMax Bigman: Ik zei: nee.")
    assert [(t.speaker, padded.transcript_text[t.start:t.end]) for t in padded.turns] == [
        ("Max Bigman", "Okay."), ("admin-1", "Sure.\nand more"), ("Max Bigman", "Ik zei: nee.")]
    plain = layout_text("Eerste alinea.\n\nTweede alinea.")
    assert [t.speaker for t in plain.turns] == ["Onbekend", "Onbekend"]


def test_bom_crlf_nfd_capital_sources_and_bare_path(empty_project, tmp_path):
    """A BOM (positions count after it), CRLF, decomposed accents, `Sources/`, a .qde named after the project."""
    text = "Student 1: Ik voel me onveilig op het plein.\r\nStudent 2: Ze pesten Rene\u0301 elke dag.\r\n"
    a = text.index("onveilig")
    b = text.index("Rene\u0301 elke dag") + len("Rene\u0301 elke dag")
    qde = simple_qde("fg.txt", [(a, a + len("onveilig"), 0), (text.index("Ze pesten"), b, 1)])
    path = make_qdpx(tmp_path / "x.qdpx", qde, {"Sources/fg.txt": b"\xef\xbb\xbf" + text.encode("utf-8")},
                     qde_name="Mijn project.qde")
    rep = import_qdpx(empty_project, path)
    assert not rep.warnings, rep.warnings
    t = empty_project.transcript("fg_extern")
    assert t.text == "Student 1: Ik voel me onveilig op het plein.\nStudent 2: Ze pesten René elke dag."
    got = {c.code: t.text[c.start:c.end] for c in empty_project.codings()}
    assert got == {"onveilig_gevoel": "onveilig", "pesten": "Ze pesten René elke dag"}
    assert empty_project.coders_with_codings() == ["Eva"]


def test_internal_path_and_inline_text(empty_project, tmp_path):
    qde = simple_qde("", [(0, 5, 0)], source_extra="").replace(
        'plainTextPath=""', "").replace("<PlainTextSelection", "<PlainTextContent>Hallo daar.</PlainTextContent>"
                                        "<PlainTextSelection", 1)
    rep = import_qdpx(empty_project, make_qdpx(tmp_path / "i.qdpx", qde))
    t = empty_project.transcript("fg_extern")
    c = empty_project.codings()[0]
    assert t.text[c.start:c.end] == "Hallo" and rep.codings_added == 1


def test_slugify():
    assert slugify("Agressie & geweld (fysiek)") == "agressie_geweld_fysiek"
    assert slugify("Één") == "een" and slugify("!!!") == "code"


def test_qdc_import_and_reimport(empty_project, tmp_path):
    qdc = tmp_path / "c.qdc"
    qdc.write_text('<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   f'<Code guid="{G(1)}" name="Veiligheid" isCodable="true" color="#abc"><Description>Def</Description>'
                   f'<Code guid="{G(2)}" name="Racisme" isCodable="true"/></Code></Codes></CodeBook>', encoding="utf-8")
    rep = import_qdc(empty_project, qdc)
    codes = {c.id: c for c in empty_project.codes()}
    assert rep.codes_added == ["veiligheid", "racisme_2"]  # 'racisme' exists with another parent
    assert codes["racisme_2"].parent == "veiligheid" and codes["veiligheid"].color == "#aabbcc"
    assert codes["veiligheid"].definition == "Def"
    assert import_qdc(empty_project, qdc).codes_added == []


# -- hostile and broken files: clear one-line error, project unchanged --------------------------


XXE = (f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project {NS} name="x">'
       "<Description>&x;</Description></Project>")
BOMB = ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + "".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) +
    f']><Project {NS} name="x"><Description>&i;</Description></Project>')


@pytest.mark.parametrize("kind", ["xxe", "bomb", "not_zip", "not_xml", "no_qde", "empty", "wrong_root"])
def test_hostile_files_are_refused(kind, empty_project, tmp_path):
    before = _state(empty_project)
    path = tmp_path / f"{kind}.qdpx"
    if kind == "xxe":
        make_qdpx(path, XXE)
    elif kind == "bomb":
        make_qdpx(path, BOMB)
    elif kind == "not_zip":
        path.write_bytes(b"<Project/> this is not a zip")
    elif kind == "not_xml":
        make_qdpx(path, b"\x00\x01 not xml at all")
    elif kind == "no_qde":
        make_qdpx(path, b"x", qde_name="readme.txt")
    elif kind == "empty":
        path.write_bytes(b"")
    else:
        make_qdpx(path, '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>')
    with pytest.raises(InputError) as exc:
        import_qdpx(empty_project, path)
    msg = str(exc.value)
    assert str(path) in msg and "\n" not in msg
    assert _state(empty_project) == before
    r = CliRunner().invoke(main, ["import-qdpx", str(empty_project.path), str(path)])
    assert r.exit_code == 1 and "Traceback" not in r.output


def test_qdc_xxe_refused(empty_project, tmp_path):
    qdc = tmp_path / "x.qdc"
    qdc.write_text(XXE.replace("Project", "CodeBook"), encoding="utf-8")
    with pytest.raises(InputError, match="unsafe XML"):
        import_qdc(empty_project, qdc)


def test_zip_slip_member_is_never_written(empty_project, tmp_path):
    """A member named ../../evil.txt is read in memory only; nothing lands outside (or inside) the folder."""
    victim = tmp_path / "evil.txt"
    qde = simple_qde("internal://../../evil.txt", [(0, 5, 0)])
    path = make_qdpx(tmp_path / "s.qdpx", qde,
                     {"../../evil.txt": "Student 1: gevaarlijk".encode(), "/etc/evil.txt": b"x"})
    before = set(tmp_path.rglob("*"))
    import_qdpx(empty_project, path)
    assert not victim.exists()
    assert set(tmp_path.rglob("*")) - before <= {p for p in tmp_path.rglob("imp.miv*")}


def test_zip_bomb_refused(empty_project, tmp_path, monkeypatch):
    monkeypatch.setattr(refi_qda, "MAX_MEMBER_BYTES", 2 * 2**20)
    path = make_qdpx(tmp_path / "b.qdpx", simple_qde("internal://big.txt", []),
                     {"sources/big.txt": b"Student 1: " + b"a" * (8 * 2**20)})
    before = _state(empty_project)
    with pytest.raises(InputError, match="zip bomb|too large"):
        import_qdpx(empty_project, path)
    assert _state(empty_project) == before


def test_lying_member_size_is_capped(empty_project, tmp_path, monkeypatch):
    """Declared sizes can lie; the actual read stops at the cap."""
    monkeypatch.setattr(refi_qda, "MAX_MEMBER_BYTES", 1000)
    arc = refi_qda._Archive(make_qdpx(tmp_path / "l.qdpx", "x", {"sources/a.txt": b"b" * 5000}).read_bytes(), "l")
    info = arc.find("sources/a.txt")
    info.file_size = 10  # pretend the header said 10 bytes
    with pytest.raises(InputError, match="larger than it claims|damaged"):  # zipfile stops at the size, CRC fails
        arc.read(info)


def test_broken_second_source_leaves_project_unchanged(empty_project, tmp_path):
    good = simple_qde("internal://a.txt", [(11, 15, 0)])
    two = good.replace("</Sources>", f'<TextSource guid="{G(61)}" name="b" plainTextPath="internal://b.txt"/>'
                                     "</Sources>")
    path = make_qdpx(tmp_path / "two.qdpx", two, {"sources/a.txt": "Student 1: hallo daar".encode(),
                                                   "sources/b.txt": b"Student 1: \xc3\x28 broken"})
    before = _state(empty_project)
    with pytest.raises(InputError, match="b.txt"):
        import_qdpx(empty_project, path)
    assert _state(empty_project) == before


def test_selection_outside_text_is_skipped_with_warning(empty_project, tmp_path):
    qde = simple_qde("internal://a.txt", [(11, 16, 0), (500, 600, 1), (7, 3, 0)])
    path = make_qdpx(tmp_path / "o.qdpx", qde, {"sources/a.txt": "Student 1: hallo daar".encode()})
    rep = import_qdpx(empty_project, path)
    assert rep.codings_added == 1 and any("2 coding(s) skipped" in w for w in rep.warnings)
    t = empty_project.transcript("fg_extern")
    c = empty_project.codings()[0]
    assert t.text[c.start:c.end] == "hallo"


def test_codebook_import_cli_errors(empty_project, tmp_path):
    bad = tmp_path / "bad.qdc"
    bad.write_text("<CodeBook><Codes>", encoding="utf-8")
    r = CliRunner().invoke(main, ["codebook-import", str(empty_project.path), str(bad)])
    assert r.exit_code == 1 and "bad.qdc" in r.output and "not valid XML" in r.output
    r = CliRunner().invoke(main, ["codebook-import", str(empty_project.path), str(tmp_path / "missing.qdc")])
    assert r.exit_code == 1 and "not found" in r.output


@pytest.mark.parametrize("seed", range(25))
def test_hand_edited_sidecar_never_gives_a_traceback(seed, tmp_path, small_codebook, project):
    """Our mivcode.json is trusted for exact round trips, so every field in it is type-checked."""
    import json
    import random

    from mivcode.core.exchange.refi_export import export_qdpx

    project.add_coding("fg_roc_studenten", 2, "racisme", "anna", memo="m")
    export_qdpx(project, tmp_path / "a.qdpx")
    with zipfile.ZipFile(tmp_path / "a.qdpx") as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    side = json.loads(members["mivcode.json"])
    rng = random.Random(seed)
    junk = [None, 1, 1e300, "", "x", [], {}, [1, "a"], {"a": 1}, True, "2024-13-99"]

    def mutate(obj, depth=0):
        if isinstance(obj, (dict, list)) and obj:
            key = rng.choice(list(obj)) if isinstance(obj, dict) else rng.randrange(len(obj))
            if rng.random() < 0.4 or depth > 4:
                obj[key] = rng.choice(junk)
            else:
                mutate(obj[key], depth + 1)

    for _ in range(rng.randint(1, 5)):
        mutate(side)
    members["mivcode.json"] = json.dumps(side).encode()
    path = make_qdpx(tmp_path / "b.qdpx", members.pop("project.qde"), members)
    with Project.create(tmp_path / "b.miv", small_codebook) as fresh:
        try:
            import_qdpx(fresh, path)
        except InputError as exc:
            assert "\n" not in str(exc)
        for name in fresh.transcript_names():
            t = fresh.transcript(name)
            assert all(0 <= c.start < c.end <= len(t.text) for c in fresh.codings(transcript=name))


# -- the other tool's guids come back as it wrote them ------------------------------------------


def test_maxqda_guids_survive_mivcode_and_back(empty_project, tmp_path):
    """MAXQDA writes upper-case guids; our export gives its documents and codes back under them, exactly,
    so a MAXQDA user who imports our file sees their own documents and codes, not new ones."""
    from mivcode.core.exchange.refi_export import export_qdpx

    up = "{:08X}-ABCD-4EF0-8A1B-00000000000{}".format
    text = "Interviewer: Hoe gaat het?\nStudent 1: Er wordt gepest."
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project {NS} name="mq" origin="MAXQDA 24 (Release 24.7.0)">'
           f'<Users><User guid="{up(1, 1)}" name="johnb"/></Users><CodeBook><Codes>'
           f'<Code guid="{up(2, 2)}" name="Pesten" isCodable="true" color="#ef8256"/></Codes></CodeBook><Sources>'
           f'<TextSource guid="{up(3, 3)}" name="FG 1" plainTextPath="internal://{up(3, 3)}.txt" '
           f'creatingUser="{up(1, 1)}" creationDateTime="2024-10-18T23:23:46Z">'
           f'<PlainTextSelection guid="{up(4, 4)}" startPosition="{text.index("Er")}" endPosition="{len(text)}" '
           f'creatingUser="{up(1, 1)}"><Coding guid="{up(5, 5)}" creatingUser="{up(1, 1)}">'
           f'<CodeRef targetGUID="{up(2, 2)}"/></Coding></PlainTextSelection></TextSource></Sources></Project>')
    src = make_qdpx(tmp_path / "mq.qdpx", qde, {f"sources/{up(3, 3)}.txt": text.encode("utf-8")})
    import_qdpx(empty_project, src)
    export_qdpx(empty_project, tmp_path / "back.qdpx")
    back = zipfile.ZipFile(tmp_path / "back.qdpx").read("project.qde").decode()
    assert f'<TextSource guid="{up(3, 3)}"' in back and f'plainTextPath="internal://{up(3, 3)}.txt"' in back
    assert f'<Code guid="{up(2, 2)}" name="Pesten"' in back and f'<CodeRef targetGUID="{up(2, 2)}"/>' in back
    assert up(3, 3).lower() not in back and up(2, 2).lower() not in back
    assert f"sources/{up(3, 3)}.txt" in zipfile.ZipFile(tmp_path / "back.qdpx").namelist()
    # and our own file back into the project changes nothing; into a fresh one it gives the same guids again
    again = import_qdpx(empty_project, tmp_path / "back.qdpx")
    assert not again.transcripts_added and not again.codes_added and again.codings_added == 0
    fresh = Project.create(tmp_path / "fresh.miv", None)
    try:
        import_qdpx(fresh, tmp_path / "back.qdpx")
        export_qdpx(fresh, tmp_path / "twice.qdpx")
        twice = zipfile.ZipFile(tmp_path / "twice.qdpx").read("project.qde").decode()
        assert f'<TextSource guid="{up(3, 3)}"' in twice and f'<Code guid="{up(2, 2)}"' in twice
    finally:
        fresh.close()


def test_a_second_text_under_the_same_foreign_guid_gets_its_own(empty_project, tmp_path):
    from mivcode.core.exchange.refi_export import export_qdpx

    for i, words in enumerate(("Student 1: Eerste versie.", "Student 1: Tweede, andere versie.")):
        qde = simple_qde("internal://fg.txt", [])
        import_qdpx(empty_project, make_qdpx(tmp_path / f"v{i}.qdpx", qde, {"sources/fg.txt": words.encode()}))
    assert len(empty_project.transcript_names()) == 2
    export_qdpx(empty_project, tmp_path / "out.qdpx")
    guids = re.findall(r'<TextSource guid="([^"]+)"', zipfile.ZipFile(tmp_path / "out.qdpx").read("project.qde").decode())
    assert len(set(guids)) == 2 and G(60) in guids
