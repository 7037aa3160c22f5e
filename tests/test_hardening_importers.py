"""Hostile and odd transcript input, fuzzed: a clean import or one InputError line — never a traceback,
a hang, a file written outside the project, or a half-written project."""

from __future__ import annotations

import io
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mivcode.core.errors import InputError
from mivcode.core.importers.batch import plan_import, read_transcript_file
from mivcode.core.importers.text_decoding import decode_bytes
from mivcode.core.project import Project
from tests.conftest import dump

FUZZ = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
EXTS = [".txt", ".md", ".vtt", ".srt", ".docx", ".odt", ".rtf"]




def check_transcript(t) -> None:
    """A transcript that was accepted must be sound: valid offsets, canonical text."""
    assert t.turns, "accepted without turns"
    assert unicodedata.normalize("NFC", t.text) == t.text
    assert not any("\ud800" <= ch <= "\udfff" for ch in t.text)
    assert "\x00" not in t.text and "\r" not in t.text
    prev_end = -1
    for i, u in enumerate(t.turns):
        assert u.index == i
        assert 0 <= u.start <= u.end <= len(t.text)
        assert u.start > prev_end
        prev_end = u.end
        assert u.speaker and "\n" not in u.speaker
        assert t.text[u.start - len(u.speaker) - 2 : u.start] == f"{u.speaker}: "
        assert t.turn_text(u).strip() == t.turn_text(u)


def read(data: bytes, ext: str, tmp_path: Path, name: str = "bestand"):
    """Through the real file path: either a sound transcript or InputError naming the file."""
    f = tmp_path / f"{name}{ext}"
    f.write_bytes(data)
    try:
        t = read_transcript_file(f)
    except InputError as exc:
        msg = str(exc)
        assert "\n" not in msg.strip() and str(f) in msg, msg
        return None
    check_transcript(t)
    return t


# -- arbitrary bytes, every format ----------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=3000), ext=st.sampled_from(EXTS))
def test_arbitrary_bytes(data, ext, tmp_path):
    read(data, ext, tmp_path)


_odd_chars = st.characters(blacklist_categories=("Cs",)) | st.sampled_from(
    ["\u0301", "\u0308", "\u200f", "\u202e", "\u202d", "\u05d0", "\u0627", "😀", "👩\u200d🏫", "\x00", "\x1b",
     "\ufeff", "\u2028", "\r", "\t", "\x0c", ":", "<v ", "</v>", "-->", "&amp;", "&#0;", "**", "#"])


def _odd_text(max_size: int):
    return st.lists(_odd_chars, max_size=max_size).map("".join)


_speaker = st.sampled_from(["Gespreksleider", "Student 1", "GL", "R2", "Fatma", "Jeroen van Dijk", "docent",
                            "Ärzte", "Ömer", "İlknur", "Student (docent)", "[00:01:02] Student 3", ""])
_line = st.tuples(_speaker, _odd_text(40)).map(lambda p: f"{p[0]}: {p[1]}" if p[0] else p[1])


def _as_subtitles(lines: list[str], ext: str) -> str:
    out = ["WEBVTT", ""] if ext == ".vtt" else []
    sep = "." if ext == ".vtt" else ","
    for i, line in enumerate(lines):
        if ext == ".srt":
            out.append(str(i + 1))
        out.append(f"00:00:{i % 60:02d}{sep}000 --> 00:00:{i % 60:02d}{sep}900")
        out.extend([line, ""])
    return "\n".join(out)


@FUZZ
@given(lines=st.lists(_line, max_size=25), ext=st.sampled_from([".txt", ".md", ".vtt", ".srt"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "cp1252"]),
       newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_odd_unicode_transcripts(lines, ext, encoding, newline, tmp_path):
    text = "\n".join(lines) if ext in (".txt", ".md") else _as_subtitles(lines, ext)
    text = text.replace("\n", newline)
    if encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be", "surrogatepass")
    else:
        data = text.encode(encoding, errors="replace")
    t = read(data, ext, tmp_path)
    if t is not None:
        assert all(unicodedata.normalize("NFC", u.speaker) == u.speaker for u in t.turns)
        assert len(t.turns) <= text.count(":")  # every turn came from a `Speaker:` label


@FUZZ
@given(st.binary(min_size=2, max_size=400).map(lambda b: b[: len(b) // 2 * 2]), st.booleans())
def test_utf16_with_lone_surrogates(body, little):
    bom = b"\xff\xfe" if little else b"\xfe\xff"
    enc = "utf-16-le" if little else "utf-16-be"
    data = bom + "Spreker: hallo ".encode(enc) + b"\x00\xd8"[:: 1 if little else -1] + body
    try:
        text, _ = decode_bytes(data, "f.txt")
    except InputError as exc:
        assert str(exc).startswith("f.txt")
    else:
        assert not any("\ud800" <= ch <= "\udfff" for ch in text)


def test_huge_lines_and_many_turns(tmp_path):
    long_line = "Student 1: " + "héél lang verhaal " * 200_000  # 3.6 MB in one line
    t = read((long_line + "\nGL: kort\n").encode(), ".txt", tmp_path)
    assert t is not None and len(t.turns) == 2 and len(t.turn_text(t.turns[0])) > 3_000_000
    many = "".join(f"Student {i % 9}: beurt {i}\n" for i in range(50_000))
    t = read(many.encode(), ".txt", tmp_path, "veel")
    assert t is not None and len(t.turns) == 50_000


@pytest.mark.parametrize("ext,data", [
    (".vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\n" + b"<v " * 200_000 + b"\n"),
    (".vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\n" + b"<v a>x<v " * 50_000 + b"\n"),
    (".txt", b"Aa (" + b"a " * 200_000 + b"\n"),
    (".txt", b"Aa " + b"Bb " * 200_000 + b":\n"),
    (".srt", b"1\n" + b"00:00:00,000 --> " * 100_000 + b"\n"),
    (".md", b"# " * 300_000 + b"\n- **Student 1**: " + b"*" * 300_000 + b"\n"),
], ids=["vtt-unclosed-voices", "vtt-many-voices", "label-paren", "label-words", "srt-arrows", "md-marks"])
def test_pathological_patterns_finish(ext, data, tmp_path):
    """Regex back-tracking traps: these used to (or could) run for minutes; each must finish promptly.

    There is no timer here (CI machines vary): a regression shows up as a test that hangs for minutes.
    """
    read(data, ext, tmp_path)


# -- crafted Word files ------------------------------------------------------------------------------------

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 b'<Default Extension="xml" ContentType="application/xml"/>'
                 b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                 b'officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'officeDocument" Target="word/document.xml"/></Relationships>')
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(body: bytes, *, doctype: bytes = b"", extra: dict[str, bytes] | None = None) -> bytes:
    doc = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + doctype
           + b"<w:document " + W + b"><w:body>" + body + b"</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", doc)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def _para(text: str) -> bytes:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>".encode()


def test_plain_docx_works(tmp_path):
    t = read(_docx(_para("Gespreksleider: Welkom") + _para("Student 1: Dank je")), ".docx", tmp_path)
    assert t is not None and [u.speaker for u in t.turns] == ["Gespreksleider", "Student 1"]


def test_docx_xxe_does_not_read_local_files(tmp_path):
    secret = tmp_path / "geheim.txt"
    secret.write_text("WACHTWOORD-123")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'.encode()
    data = _docx(_para("Student 1: &xxe; hallo") + _para("GL: ok"), doctype=doctype)
    t = read(data, ".docx", tmp_path)
    assert t is None or "WACHTWOORD" not in t.text


def test_docx_entity_expansion_bomb(tmp_path):
    ents = b'<!ENTITY a "' + b"lol" * 10 + b'">' + b"".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'.encode() for p, c in zip("abcdefgh", "bcdefghi"))
    data = _docx(_para("Student 1: &i;") + _para("GL: ok"), doctype=b"<!DOCTYPE w:document [" + ents + b"]>")
    t = read(data, ".docx", tmp_path)
    assert t is None or len(t.text) < 10_000


def test_docx_zip_slip_entry_writes_nothing(tmp_path):
    inside = tmp_path / "in"
    inside.mkdir()
    data = _docx(_para("Student 1: hoi") + _para("GL: ok"),
                 extra={"../../evil.txt": b"pwned", "/abs/evil2.txt": b"pwned", "word/../../evil3.txt": b"x"})
    read(data, ".docx", inside)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["bestand.docx", "in"]


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        with zf.open("word/media/bom.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(260):
                member.write(chunk)
    assert len(buf.getvalue()) < 1_000_000
    f = tmp_path / "bom.docx"
    f.write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="unpacks to"):
        read_transcript_file(f)


def test_docx_with_lying_size_header(tmp_path):
    """A member that claims to be small but inflates to much more: read only up to the claim, then refused."""
    big = b"<w:p/>" * 2_000_000
    data = bytearray(_docx(b"", extra={"word/media/x.bin": big}))
    size = len(big).to_bytes(4, "little")
    small = (100).to_bytes(4, "little")
    data = bytes(data).replace(size, small)  # in the local header and the central directory
    read(data, ".docx", tmp_path)


@pytest.mark.parametrize("payload", [
    b"MZ\x90\x00" + bytes(range(256)) * 40,  # a Windows program renamed to .docx
    b"%PDF-1.7\n" + b"\x00" * 100,
    b"PK\x03\x04" + b"\x00" * 200,  # a broken zip
    b"",
], ids=["exe", "pdf", "broken-zip", "empty"])
def test_docx_that_is_not_a_docx(payload, tmp_path):
    f = tmp_path / "vermomd.docx"
    f.write_bytes(payload)
    with pytest.raises(InputError):
        read_transcript_file(f)


def test_zip_that_is_not_word(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "Student 1: hoi")
    f = tmp_path / "archief.docx"
    f.write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="not a valid Word"):
        read_transcript_file(f)


@FUZZ
@given(paragraphs=st.lists(_odd_text(30), min_size=1, max_size=10))
def test_docx_with_odd_paragraphs(paragraphs, tmp_path):
    from xml.sax.saxutils import escape

    body = b"".join(_para(escape(p)) for p in paragraphs if all(ch >= " " or ch in "\t" for ch in p))
    read(_docx(body + _para("GL: einde")), ".docx", tmp_path)


# -- manifests ---------------------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=600))
def test_manifest_arbitrary_bytes(data, tmp_path):
    (tmp_path / "a.txt").write_text("Student 1: hoi\n", encoding="utf-8")
    m = tmp_path / "manifest.csv"
    m.write_bytes(data)
    try:
        plan = plan_import([], manifest=m)
    except InputError as exc:
        assert "\n" not in str(exc).strip()
    else:
        for t in plan.new:
            check_transcript(t)


_cell = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["a.txt", "b t.txt", "ë.txt", "studenten", "Studenten", "medewerkers", "x", "", '"', "../a.txt"])


@FUZZ
@given(header=st.lists(st.sampled_from(["file", "bestand", "naam", "name", "groep", "group", "instelling",
                                        "leerweg", "datum", "extra", ""]), min_size=1, max_size=5),
       rows=st.lists(st.lists(_cell, max_size=6), max_size=4), delim=st.sampled_from([",", ";", "\t"]))
def test_manifest_structured(header, rows, delim, tmp_path):
    import csv

    for name in ("a.txt", "b t.txt", "ë.txt"):
        (tmp_path / name).write_text(f"Student 1: {name}\nGL: ok\n", encoding="utf-8")
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim)
    w.writerow(header)
    w.writerows(rows)
    m = tmp_path / "manifest.csv"
    m.write_text(buf.getvalue(), encoding="utf-8")
    try:
        plan = plan_import([], manifest=m)
    except InputError as exc:
        assert "\n" not in str(exc).strip()
    else:
        for t in plan.new:
            check_transcript(t)
            assert "\n" not in t.name and "/" not in t.name


def test_manifest_with_giant_field(tmp_path):
    (tmp_path / "a.txt").write_text("Student 1: hoi\n", encoding="utf-8")
    m = tmp_path / "manifest.csv"
    m.write_bytes(b'file,name\na.txt,"' + b"x" * 200_000 + b'"\n')
    with pytest.raises(InputError, match="not a readable CSV manifest"):
        plan_import([], manifest=m)


@pytest.mark.parametrize("name", ["a\nb", "../../etc/x", "a\\b", "tab\tname", "  ", ".."])
def test_manifest_refuses_unsafe_names(name, tmp_path):
    import csv

    (tmp_path / "a.txt").write_text("Student 1: hoi\n", encoding="utf-8")
    m = tmp_path / "manifest.csv"
    with open(m, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["file", "name"], ["a.txt", name]])
    if not name.strip():
        plan = plan_import([], manifest=m)  # a blank name falls back to the file name
        assert [t.name for t in plan.new] == ["a"]
        return
    with pytest.raises(InputError, match="transcript name"):
        plan_import([], manifest=m)


# -- the project: a failed import writes nothing -----------------------------------------------------------


@FUZZ
@given(bad=st.binary(max_size=1500), ext=st.sampled_from(EXTS))
def test_failed_batch_leaves_project_unchanged(project, bad, ext, tmp_path_factory):
    folder = tmp_path_factory.mktemp("map met spaties é ü 😀")
    good = folder / "goed één.txt"
    good.write_text("Student 1: een nieuw gesprek\nGL: dank\n", encoding="utf-8")
    odd = folder / f"raar bestand ø{ext}"
    odd.write_bytes(bad)
    before = dump(project.path)
    try:
        report = project.import_files([good, odd])
    except InputError as exc:
        assert "\n" not in str(exc).strip()
        assert dump(project.path) == before
        return
    assert "goed één" in report.imported
    assert project.store.integrity_ok()
    for name in report.imported:
        check_transcript(project.transcript(name))


def test_failed_batch_names_the_bad_file_and_writes_nothing(project, tmp_path):
    files = []
    for i in range(5):
        f = tmp_path / f"fg {i} é.txt"
        f.write_text(f"Student 1: gesprek {i}\n", encoding="utf-8")
        files.append(f)
    bad = tmp_path / "kapot ü.docx"
    bad.write_bytes(b"MZ\x90\x00 not a docx")
    files.insert(3, bad)
    before = dump(project.path)
    with pytest.raises(InputError, match="kapot ü.docx"):
        project.import_files(files)
    assert dump(project.path) == before
    report = project.import_files([f for f in files if f != bad])
    assert len(report.imported) == 5


# -- the installed command line ----------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mivcode", *args], capture_output=True, text=True, timeout=120)


def _assert_one_line_error(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mivcode: error: "), r.stderr
    return lines[0]


@pytest.mark.parametrize("name,data", [
    ("binair programma.docx", b"MZ\x90\x00" + bytes(range(256)) * 8),
    ("kapot ü.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\n" + b"<v " * 50_000),
    ("nul bytes é.txt", b"Student 1: hoi\n" + b"a" * 70_000 + b"\x00\n"),
    ("leeg.srt", b""),
    ("plaatje.png", b"\x89PNG\r\n\x1a\n"),
], ids=["exe-as-docx", "vtt-trap", "late-nul", "empty", "unsupported"])
def test_cli_import_of_bad_files(project, tmp_path, name, data):
    path = project.path
    project.close()
    f = tmp_path / name
    f.write_bytes(data)
    before = dump(path)
    line = _assert_one_line_error(_run("import", str(path), str(f)))
    assert name in line
    assert dump(path) == before


def test_cli_docx_bombs(project, tmp_path):
    path = project.path
    project.close()
    ents = b'<!ENTITY a "' + b"lol" * 10 + b'">' + b"".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'.encode() for p, c in zip("abcdefgh", "bcdefghi"))
    laughs = tmp_path / "lachen.docx"
    laughs.write_bytes(_docx(_para("Student 1: &i;"), doctype=b"<!DOCTYPE w:document [" + ents + b"]>"))
    r = _run("import", str(path), str(laughs))
    assert "Traceback" not in r.stderr
    if r.returncode:
        _assert_one_line_error(r)
    with Project.open(path) as p:
        assert all(len(p.transcript(n).text) < 10_000 for n in p.transcript_names())


def test_turn_texts_match_offsets_with_astral_and_combining_characters(project, tmp_path):
    """Offsets count code points everywhere: the per-turn texts the overview and search read must agree."""
    f = tmp_path / "emoji é.txt"
    f.write_text("Student 1: 😀 e\u0301én 👩\u200d🏫 mijn docent\nGL: ‮omgekeerd‬ עברית 𝔘𝔫𝔦\n" * 50,
                 encoding="utf-8")
    project.import_files([f])
    t = project.transcript("emoji é")
    assert project.turn_texts(t.name) == [(u.index, t.turn_text(u)) for u in t.turns]
    assert t.turn_text(t.turns[0]).startswith("😀 é")


def test_docx_xml_bomb_is_refused_before_parsing(tmp_path):
    """A 300 KB .docx whose document.xml inflates to 75 MB of paragraphs took 1.1 GB and 55 s to parse."""
    para = (b'<w:p><w:r><w:t>Student 1:</w:t></w:r><w:r><w:t xml:space="preserve"> beurt met tekst</w:t>'
            b'</w:r></w:p>')
    data = _docx(para * 400_000)  # ~34 MB of XML, ~150 KB zipped
    assert len(data) < 1_000_000
    f = tmp_path / "xml bom.docx"
    f.write_bytes(data)
    with pytest.raises(InputError, match="zip bomb"):
        read_transcript_file(f)


def test_big_honest_docx_still_imports(tmp_path):
    """Real Word XML compresses 5-20:1; a long transcript with varied text passes the bomb guard."""
    import random

    rng = random.Random(1)
    words = "ik voel me veilig op school maar niet altijd stage docent pesten racisme mentor klas".split()
    body = b"".join(_para(f"Student {i % 7}: " + " ".join(rng.choice(words) for _ in range(12)) + f" {i}")
                    for i in range(20_000))
    t = read(_docx(body), ".docx", tmp_path)
    assert t is not None and len(t.turns) == 20_000


def _odt(content: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("META-INF/manifest.xml",
                    '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                    'manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type='
                    '"text/xml"/></manifest:manifest>')
        zf.writestr("content.xml", content)
    return buf.getvalue()


_ODT_NS = (b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _odt_body(doctype: bytes, inner: bytes) -> bytes:
    return _odt(b'<?xml version="1.0"?>' + doctype + b"<office:document-content " + _ODT_NS
                + b"><office:body><office:text>" + inner + b"</office:text></office:body></office:document-content>")


@pytest.mark.parametrize("data", [
    _odt_body(b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"<text:p>S1: &xxe;</text:p>"),
    _odt_body(b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
              b"<text:p>S1: &b;</text:p>"),
    _odt_body(b"", b"<text:span>" * 50_000 + b"S1: hoi" + b"</text:span>" * 50_000),
], ids=["xxe", "entities", "deep"])
def test_hostile_odt_is_one_error_line(data, tmp_path):
    assert read(data, ".odt", tmp_path) is None
    assert read(_odt_body(b"", b"<text:p>S1: hoi</text:p><text:p>GL: ok</text:p>"), ".odt", tmp_path).turns


def test_deeply_nested_rtf_is_read_or_refused_quickly(tmp_path):
    read(b"{\\rtf1 " + b"{" * 200_000 + b"S1: hoi" + b"}" * 200_000 + b"}", ".rtf", tmp_path)
