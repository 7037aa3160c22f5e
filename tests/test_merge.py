"""Merging coders' project files: set union, idempotent, order-independent, all or nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from mivcode.core.errors import InputError, ProjectError
from mivcode.core.model import Code
from mivcode.core.project import Project
from mivcode.core.team.merge import merge_projects

SECOND = """\
Gespreksleider: Wat vinden jullie van de sfeer in de klas?
Student 3: Soms worden er grappen gemaakt over mijn geloof.
Student 4: Online wordt er wel eens gepest in de groepsapp.
"""


def _state(path: Path) -> dict:
    """Everything a merge may change, keyed by content hash so files can be compared."""
    with Project.open(path, readonly=True) as p:
        hashes = {s.name: p.transcript(s.name).content_hash for s in p.transcripts()}
        return {
            "transcripts": {h: (len(p.transcript(n).turns), p.transcript(n).meta.as_dict()) for n, h in hashes.items()},
            "codes": {(c.id, c.label, c.parent, c.definition) for c in p.codes()},
            "codings": {(hashes[c.transcript], c.start, c.end, c.code, c.coder, c.origin, c.memo)
                        for c in p.codings()},
            "memos": {(hashes[m.transcript], m.turn, m.coder, m.text) for m in p.memos()},
        }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def base(tmp_path: Path, small_codebook: Path, small_transcript: Path) -> Path:
    path = tmp_path / "base.miv"
    with Project.create(path, small_codebook) as p:
        p.import_files([small_transcript])
    return path


def _copy(base: Path, name: str) -> Path:
    target = base.with_name(name)
    shutil.copy(base, target)
    return target


@pytest.fixture
def team(base: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two coders' files from one start: ann codes turns 1, 2 and 5; bob codes 2, 5 and imports a second transcript."""
    a, b = _copy(base, "ann.miv"), _copy(base, "bob.miv")
    with Project.open(a) as p:
        p.add_coding("fg_roc_studenten", 1, "racisme", "ann")
        p.add_coding("fg_roc_studenten", 2, "discriminatie", "ann", memo="stage")
        p.add_coding("fg_roc_studenten", 5, "agressie_geweld", "ann")
        p.set_turn_memo("fg_roc_studenten", 5, "hoort erbij = normalisering?", "ann")
    second = tmp_path / "fg_extra.txt"
    second.write_text(SECOND, encoding="utf-8")
    with Project.open(b) as p:
        p.add_coding("fg_roc_studenten", 2, "discriminatie", "bob")
        p.add_coding("fg_roc_studenten", 5, "agressie_geweld", "bob", origin="suggestion")
        p.add_coding("fg_roc_studenten", 5, "geaccepteerde_onveiligheid", "bob", start=360, end=385)
        p.import_files([second], overrides=None)
        p.add_coding("fg_extra", 1, "discriminatie", "bob")
    return a, b


def test_merge_brings_in_codings_transcripts_and_memos(team):
    a, b = team
    before_b = _digest(b)
    with Project.open(a) as p:
        report = merge_projects(p, [b], coder="ann")
        assert report.codings_added == 4
        assert report.sources[0].transcripts_added == ["fg_extra"]
        extra = p.transcript("fg_extra")
        assert [u.speaker for u in extra.turns] == ["Gespreksleider", "Student 3", "Student 4"]
        codings = {(c.transcript, c.code, c.coder, c.origin) for c in p.codings()}
        assert ("fg_roc_studenten", "agressie_geweld", "bob", "suggestion") in codings
        assert ("fg_extra", "discriminatie", "bob", "manual") in codings
        assert set(p.coders_with_codings()) == {"ann", "bob"}
        merge_event = [e for e in p.events() if e.action == "merge"][-1]
        src = merge_event.payload["sources"][0]
        assert src["sha256"] == before_b and src["size"] == b.stat().st_size
        assert src["file"] == str(b.resolve()) and merge_event.coder == "ann"
    assert _digest(b) == before_b, "the other file must never be modified"


def test_merge_is_idempotent(team):
    a, b = team
    with Project.open(a) as p:
        merge_projects(p, [b], coder="ann")
    once = _state(a)
    with Project.open(a) as p:
        report = merge_projects(p, [b], coder="ann")
        assert report.codings_added == 0 and not report.changed
        assert report.sources[0].codings_present == 4
    assert _state(a) == once


def test_merge_is_commutative(team):
    a, b = team
    a2, b2 = _copy(a, "ann2.miv"), _copy(b, "bob2.miv")
    with Project.open(a) as p:
        merge_projects(p, [b])
    with Project.open(b2) as p:
        merge_projects(p, [a2])
    assert _state(a) == _state(b2)
    assert len(_state(a)["codings"]) == 7


def test_merge_three_files_in_any_order(team, base):
    a, b = team
    c = _copy(base, "cem.miv")
    with Project.open(c) as p:
        p.add_coding("fg_roc_studenten", 1, "discriminatie", "cem")
    orders = [[a, b, c], [c, a, b], [b, c, a]]
    results = []
    for i, order in enumerate(orders):
        target = _copy(base, f"target{i}.miv")
        with Project.open(target) as p:
            merge_projects(p, order[:1])
            merge_projects(p, order[1:])
        results.append(_state(target))
    assert results[0] == results[1] == results[2]


def test_same_name_other_text_is_kept_apart(team, tmp_path):
    a, b = team
    other = tmp_path / "fg_roc_studenten.txt"
    other.write_text(SECOND, encoding="utf-8")
    c = tmp_path / "cem.miv"
    with Project.create(c, tmp_path / "codebook.yaml") as p:
        p.import_files([other])
        p.add_coding("fg_roc_studenten", 1, "discriminatie", "cem")
    with Project.open(a) as p:
        report = merge_projects(p, [c])
        added = report.sources[0].transcripts_added
        assert len(added) == 1 and added[0].startswith("fg_roc_studenten_")
        assert p.codings(coder="cem")[0].transcript == added[0]


def test_undo_merge(team):
    a, b = team
    before = _state(a)
    with Project.open(a) as p:
        merge_projects(p, [b], coder="ann")
        assert p.undo("ann") is not None
    after = _state(a)
    assert after["codings"] == before["codings"]
    assert after["memos"] == before["memos"]


def _conflicting(base: Path) -> Path:
    c = _copy(base, "cem.miv")
    with Project.open(c) as p:
        old = p.code("racisme")
        p.save_code(Code(**{**_plain(old), "label": "Racisme en etnische discriminatie"}), "cem")
        p.add_coding("fg_roc_studenten", 1, "racisme", "cem")
    return c


def _plain(code: Code) -> dict:
    from mivcode.core.ops import code_dict

    return code_dict(code)


def test_codebook_conflict_refused_by_default(team, base):
    a, _ = team
    c = _conflicting(base)
    before = _state(a)
    with Project.open(a) as p:
        n_events = len(p.events())
        with pytest.raises(InputError) as err:
            merge_projects(p, [c])
        assert "racisme" in str(err.value) and "label" in str(err.value)
        assert any("Racisme en etnische discriminatie" in d for d in err.value.details)
        assert len(p.events()) == n_events
    assert _state(a) == before


def test_codebook_conflict_ours_and_theirs(team, base):
    a, _ = team
    c = _conflicting(base)
    a2 = _copy(a, "ann2.miv")
    with Project.open(a) as p:
        report = merge_projects(p, [c], conflicts="ours")
        assert [x.code for x in report.conflicts] == ["racisme"]
        assert p.code("racisme").label == "Racisme"
        assert p.codings(coder="cem")
    with Project.open(a2) as p:
        report = merge_projects(p, [c], conflicts="theirs", coder="ann")
        assert p.code("racisme").label == "Racisme en etnische discriminatie"
        assert p.code("racisme").shortcut == "r"
        p.undo("ann")
        assert p.code("racisme").label == "Racisme"


def test_new_code_from_other_file_is_added(team, base):
    a, _ = team
    c = _copy(base, "cem.miv")
    with Project.open(c) as p:
        p.save_code(Code(id="pesten", label="Pesten", parent="agressie_geweld", shortcut="p"), "cem")
        p.add_coding("fg_roc_studenten", 5, "pesten", "cem")
    with Project.open(a) as p:
        report = merge_projects(p, [c])
        assert report.sources[0].codes_added == ["pesten"]
        assert p.code("pesten").parent == "agressie_geweld"


def _truncated(path: Path, good: Path) -> None:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _random(path: Path, good: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _foreign(path: Path, good: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('boodschappen')")
    conn.commit()
    conn.close()


def _newer(path: Path, good: Path) -> None:
    shutil.copy(good, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


def _empty(path: Path, good: Path) -> None:
    path.write_bytes(b"")


def _garbled_pages(path: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    for i in range(4096, len(data), 7):
        data[i] = (data[i] * 31 + 7) % 256
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("make, message", [
    (_truncated, "corrupt"), (_random, "not a mivcode project"), (_foreign, "another program"),
    (_newer, "upgrade"), (_empty, "empty"), (_garbled_pages, "corrupt"),
])
def test_bad_files_leave_the_project_unchanged(team, tmp_path, make, message):
    a, b = team
    bad = tmp_path / "bad.miv"
    make(bad, b)
    bad_digest = _digest(bad)
    before = _state(a)
    with Project.open(a) as p:
        n_events = len(p.events())
        with pytest.raises(ProjectError) as err:
            merge_projects(p, [b, bad])  # the good file first: still nothing may be merged
        assert str(bad) in str(err.value) and message in str(err.value)
        assert len(p.events()) == n_events
    assert _state(a) == before
    assert _digest(bad) == bad_digest


def test_missing_file_and_self_merge(team):
    a, _ = team
    with Project.open(a) as p:
        with pytest.raises(ProjectError, match="no such project file"):
            merge_projects(p, [a.with_name("nope.miv")])
        with pytest.raises(InputError, match="the project itself"):
            merge_projects(p, [a])


def test_older_schema_is_read_from_a_copy(team):
    a, b = team
    conn = sqlite3.connect(b)
    conn.executescript("DROP TABLE suggestions; DROP TABLE suggest_state; DROP TABLE models; PRAGMA user_version = 1;")
    conn.close()
    digest = _digest(b)
    with Project.open(a) as p:
        report = merge_projects(p, [b])
        assert report.codings_added == 4 and report.sources[0].schema == 2
    assert _digest(b) == digest


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CODES = ["discriminatie", "racisme", "agressie_geweld", "geaccepteerde_onveiligheid"]
_coding = st.tuples(st.sampled_from(["ann", "bob", "cem"]), st.integers(0, 6), st.sampled_from(_CODES),
                    st.sampled_from(["manual", "suggestion"]))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(left=st.lists(_coding, max_size=8), right=st.lists(_coding, max_size=8))
def test_merge_union_property(base, left, right):
    """For any two files from one start: A+B == B+A == the union, and merging again changes nothing."""
    folder = base.parent / f"prop{abs(hash((tuple(left), tuple(right))))}"
    folder.mkdir()
    a, b = folder / "a.miv", folder / "b.miv"
    shutil.copy(base, a)
    shutil.copy(base, b)
    for path, codings in ((a, left), (b, right)):
        with Project.open(path) as p:
            seen = set()
            for coder, turn, code, origin in codings:
                if (coder, turn, code) not in seen:
                    seen.add((coder, turn, code))
                    p.add_coding("fg_roc_studenten", turn, code, coder, origin=origin)
    expected = {(c, t, k) for c, t, k, _ in left} | {(c, t, k) for c, t, k, _ in right}
    a2, b2 = shutil.copy(a, folder / "a2.miv"), shutil.copy(b, folder / "b2.miv")
    with Project.open(a) as p:
        merge_projects(p, [b])
    with Project.open(b2) as p:
        merge_projects(p, [a2])
    ab, ba = _state(a), _state(Path(b2))
    key = lambda s: {(x[0], x[1], x[2], x[3], x[4]) for x in s["codings"]}  # noqa: E731 - origin may differ by side
    assert key(ab) == key(ba)
    assert len(ab["codings"]) == len(expected)
    with Project.open(a) as p:
        merge_projects(p, [b, a2])
    assert _state(a) == ab


def test_differences_that_are_kept_ours_are_reported(team):
    a, b = team
    with Project.open(b) as p:
        p.add_coding("fg_roc_studenten", 1, "racisme", "ann", origin="suggestion")  # ann coded it manually in a
        meta = p.transcript("fg_roc_studenten").meta
        meta.institution = "ROC Elders"
        p.set_transcript_meta("fg_roc_studenten", meta, "bob")
    with Project.open(a) as p:
        report = merge_projects(p, [b], coder="ann")
        src = report.sources[0]
        assert src.codings_differing == 1 and src.meta_differing == ["fg_roc_studenten"]
        assert {c.origin for c in p.codings(coder="ann", code="racisme")} == {"manual"}
        assert p.transcript("fg_roc_studenten").meta.institution is None
        event = [e for e in p.events() if e.action == "merge"][-1]
        assert event.payload["by"] == "ann" and event.payload["sources"][0]["codings_differing"] == 1


def test_cli_merge(team, tmp_path):
    from click.testing import CliRunner

    from mivcode.cli import main

    a, b = team
    runner = CliRunner()
    result = runner.invoke(main, ["merge", str(a), str(b), "--coder", "ann"])
    assert result.exit_code == 0, result.output
    assert "4 coderingen toegevoegd (0 al aanwezig)" in result.output and "fg_extra" in result.output
    result = runner.invoke(main, ["merge", str(a), str(b)])
    assert "niets nieuws" in result.output
    bad = tmp_path / "kapot.miv"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    before = _state(a)
    result = runner.invoke(main, ["merge", str(a), str(bad)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mivcode: error: ") and str(bad) in lines[0]
    assert _state(a) == before
    c = _conflicting(a.with_name("base.miv"))
    result = runner.invoke(main, ["merge", str(a), str(c)])
    assert result.exit_code == 1 and "racisme" in result.output and "--codebook-conflicts" in result.output
    result = runner.invoke(main, ["merge", str(a), str(c), "--codebook-conflicts", "ours"])
    assert result.exit_code == 0 and "codeboekconflict (ons gekozen)" in result.output
