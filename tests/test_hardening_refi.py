"""Hostile REFI-QDA input (.qdpx projects, .qdc codebooks): clean import or one InputError, never a
traceback, never a half-written project, never a file read or written outside the archive."""

from __future__ import annotations

import io
import random
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mivcode.core.errors import InputError
from mivcode.core.project import Project
from tests.conftest import dump

refi = pytest.importorskip("mivcode.core.exchange.refi_import")
refi_export = pytest.importorskip("mivcode.core.exchange.refi_export")

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
NS = 'xmlns="urn:QDA-XML:project:1.0"'




@pytest.fixture
def exported(project: Project, tmp_path: Path) -> bytes:
    """A real .qdpx of the small project, with codings and a memo, to mutate."""
    project.add_coding("fg_roc_studenten", 2, "racisme", "anna")
    project.add_coding("fg_roc_studenten", 5, "agressie_geweld", "bram", memo="plein ‘één’")
    project.set_turn_memo("fg_roc_studenten", 1, "let op", "anna")
    out = tmp_path / "export.qdpx"
    refi_export.export_qdpx(project, out)
    return out.read_bytes()


@pytest.fixture
def target(tmp_path: Path, small_codebook: Path):
    p = Project.create(tmp_path / "doel project.miv", small_codebook)
    yield p
    p.close()


def _attempt(target: Project, data: bytes, tmp_path: Path, kind: str = "qdpx", name: str = "invoer"):
    f = tmp_path / f"{name} é.{kind}"
    f.write_bytes(data)
    before = dump(target.path)
    try:
        if kind == "qdpx":
            report = refi.import_qdpx(target, f, coder="tester")
        else:
            report = refi.import_qdc(target, f, coder="tester")
    except InputError as exc:
        assert "\n" not in str(exc).strip(), str(exc)
        assert dump(target.path) == before, "a failed import changed the project"
        return None
    assert target.store.integrity_ok()
    for n in target.transcript_names():
        t = target.transcript(n)
        for c in target.codings(transcript=n):
            assert 0 <= c.start < c.end <= len(t.text)
    return report


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def test_roundtrip_sanity(exported, target, tmp_path):
    report = _attempt(target, exported, tmp_path)
    assert report is not None
    assert target.transcript_names() == ["fg_roc_studenten"]
    assert len(target.codings()) == 2


@FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(target, data, tmp_path):
    _attempt(target, data, tmp_path)
    _attempt(target, data, tmp_path, kind="qdc")


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 20))
def test_byte_flips_in_a_real_export(exported, target, seed, flips, tmp_path):
    rng = random.Random(seed)
    data = bytearray(exported)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    _attempt(target, bytes(data), tmp_path)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), cuts=st.integers(1, 8))
def test_mutated_qde_xml(exported, target, seed, cuts, tmp_path):
    """The archive is fine but the project XML inside is damaged in places: attributes, numbers, tags."""
    rng = random.Random(seed)
    members = _members(exported)
    qde = next(n for n in members if n.lower().endswith(".qde"))
    xml = members[qde].decode("utf-8")
    for _ in range(cuts):
        choice = rng.randrange(5)
        if choice == 0:  # damage a number (positions)
            digits = [i for i, ch in enumerate(xml) if ch.isdigit()]
            if digits:
                i = rng.choice(digits)
                xml = xml[:i] + rng.choice(["-1", "999999999", "x", "", "1e9", "٣"]) + xml[i + 1:]
        elif choice == 1:  # drop a chunk
            i = rng.randrange(len(xml))
            xml = xml[:i] + xml[i + rng.randrange(1, 40):]
        elif choice == 2:  # duplicate a chunk
            i = rng.randrange(len(xml))
            xml = xml[:i] + xml[i:i + 200] + xml[i:]
        elif choice == 3:  # swap guids
            xml = xml.replace('guid="', 'guid="0', 1) if rng.random() < 0.5 else xml.replace("targetGUID=\"", "targetGUID=\"x", 1)
        else:  # odd unicode in names
            xml = xml.replace('name="', 'name="\u202e\u0301😀 ', 1)
    members[qde] = xml.encode("utf-8")
    _attempt(target, _zip(members), tmp_path)


# -- crafted archives ---------------------------------------------------------------------------------------


def _qde(body: str = "", doctype: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>{doctype}<Project {NS} name="p">{body}</Project>').encode()


def test_xxe_is_refused(target, tmp_path):
    secret = tmp_path / "geheim.txt"
    secret.write_text("WACHTWOORD-123")
    doctype = f'<!DOCTYPE Project [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    body = '<CodeBook><Codes><Code guid="1" name="&xxe;" isCodable="true"/></Codes></CodeBook>'
    assert _attempt(target, _zip({"project.qde": _qde(body, doctype)}), tmp_path) is None
    qdc = f'<?xml version="1.0"?>{doctype}<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>' \
          '<Code guid="1" name="&xxe;" isCodable="true"/></Codes></CodeBook>'
    assert _attempt(target, qdc.encode(), tmp_path, kind="qdc") is None
    assert "WACHTWOORD" not in "".join(dump(target.path))


def test_entity_expansion_bomb_is_refused(target, tmp_path):
    ents = '<!ENTITY a "' + "lol" * 10 + '">' + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi"))
    body = '<CodeBook><Codes><Code guid="1" name="&i;" isCodable="true"/></Codes></CodeBook>'
    assert _attempt(target, _zip({"project.qde": _qde(body, f"<!DOCTYPE Project [{ents}]>")}), tmp_path) is None
    qdc = f'<?xml version="1.0"?><!DOCTYPE CodeBook [{ents}]><CodeBook><Codes>' \
          '<Code guid="1" name="&i;" isCodable="true"/></Codes></CodeBook>'
    assert _attempt(target, qdc.encode(), tmp_path, kind="qdc") is None


def test_zip_slip_members_write_nothing_outside(exported, target, tmp_path):
    members = _members(exported)
    members["../../../evil.txt"] = b"pwned"
    members["/tmp/evil-abs.txt"] = b"pwned"
    members["sources/../../evil2.txt"] = b"pwned"
    box = tmp_path / "box"
    box.mkdir()
    _attempt(target, _zip(members), box)
    found = [p for p in tmp_path.rglob("evil*")]
    assert found == []
    assert not Path("/tmp/evil-abs.txt").exists()


def test_source_path_traversal_does_not_read_local_files(exported, target, tmp_path):
    """A source whose plainTextPath points outside the archive (internal://../../etc/passwd) is not read from disk."""
    members = _members(exported)
    qde = next(n for n in members if n.lower().endswith(".qde"))
    xml = members[qde].decode()
    import re

    secret = tmp_path / "geheim.txt"
    secret.write_text("Student 1: WACHTWOORD-123\n")
    for path in ("internal://../../../../" + str(secret).lstrip("/"), str(secret), secret.as_uri()):
        members[qde] = re.sub(r'plainTextPath="[^"]*"', f'plainTextPath="{path}"', xml).encode()
        _attempt(target, _zip(members), tmp_path)
        assert "WACHTWOORD" not in "".join(dump(target.path))


def test_zip_bomb_is_refused(target, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("project.qde", "w", force_zip64=True) as fh:
            fh.write(_qde()[:-10])
            for _ in range(80):
                fh.write(b" " * (1 << 20))
            fh.write(b"</Project>")
    assert len(buf.getvalue()) < 1_000_000
    assert _attempt(target, buf.getvalue(), tmp_path) is None


def test_deeply_nested_codes(target, tmp_path):
    depth = 3000
    body = "<CodeBook><Codes>" + "".join(f'<Code guid="{i}" name="c{i}" isCodable="true">' for i in range(depth)) \
        + "</Code>" * depth + "</Codes></CodeBook>"
    _attempt(target, _zip({"project.qde": _qde(body)}), tmp_path)
    qdc = '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>' + "".join(
        f'<Code guid="{i}" name="c{i}" isCodable="true">' for i in range(depth)) + "</Code>" * depth \
        + "</Codes></CodeBook>"
    _attempt(target, qdc.encode(), tmp_path, kind="qdc")


@pytest.mark.parametrize("payload", [b"MZ\x90\x00" * 100, b"PK\x03\x04" + b"\0" * 100, b"", _zip({"a.txt": b"x"})],
                         ids=["exe", "broken-zip", "empty", "zip-without-qde"])
def test_not_a_qdpx(target, tmp_path, payload):
    assert _attempt(target, payload, tmp_path) is None


@pytest.mark.parametrize("kind,make", [
    ("qdpx", lambda tmp: _zip({"project.qde": _qde("", '<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>')})),
    ("qdpx", lambda tmp: b"MZ\x90\x00 renamed program"),
    ("qdc", lambda tmp: b"<CodeBook><Codes>" + b"<Code>" * 5000),
], ids=["xxe", "renamed-binary", "broken-xml"])
def test_cli_one_line_errors(project, tmp_path, kind, make):
    path = project.path
    project.close()
    f = tmp_path / f"kwaad bestand.{kind}"
    f.write_bytes(make(tmp_path))
    before = dump(path)
    cmd = "import-qdpx" if kind == "qdpx" else "codebook-import"
    r = subprocess.run(["mivcode", cmd, str(path), str(f)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, (r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    assert lines and all(line.startswith("mivcode: error: ") for line in lines), r.stderr
    assert len(lines) == 1, r.stderr
    assert dump(path) == before
