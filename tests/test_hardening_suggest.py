"""Suggestions on odd text and odd codebooks: clean suggestions inside the text, or one InputError line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mivcode.core.exchange import codings_csv
from mivcode.core.codebook import load_codebook
from mivcode.core.errors import InputError
from mivcode.core.project import Project
from tests.conftest import dump

service = pytest.importorskip("mivcode.core.suggest.service")

FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
_odd = st.lists(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    ["\u0301", "\u200f", "\u202e", "😀", "👩\u200d🏫", "(", "*", "[", "\\", "$", "^", "|", "ij", "ĳ", "ß", "İ"]),
    max_size=12).map("".join)


def _check_suggestions(p: Project) -> None:
    for name in p.transcript_names():
        t = p.transcript(name)
        for s in p.suggestions(name):
            assert 0 <= s.start < s.end <= len(t.text), s
            assert 0 <= s.turn < len(t.turns)
            assert s.score == s.score and s.score >= 0  # a number, never NaN
            for e in s.evidence:
                assert 0 <= e.start <= e.end <= len(t.text), e


@FUZZ
@given(keywords=st.lists(_odd, max_size=6), markers=st.lists(_odd, max_size=3),
       turns=st.lists(st.tuples(st.sampled_from(["Student 1", "GL", "Fatma"]), _odd), min_size=1, max_size=8))
def test_odd_keywords_and_text(tmp_path_factory, keywords, markers, turns):
    d = tmp_path_factory.mktemp("suggest")
    book = {"name": "t", "codes": [
        {"id": "a", "label": "A", "keywords": keywords},
        {"id": "b", "label": "B", "parent": "a", "keywords": keywords[::-1]},
        {"id": "c", "label": "C", "markers": markers, "requires": ["a"]},
    ]}
    (d / "cb.yaml").write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    text = "\n".join(f"{who}: {what} racisme {what}" for who, what in turns) + "\n"
    (d / "t.txt").write_text(text, encoding="utf-8")
    with Project.create(d / "p.miv", load_codebook(d / "cb.yaml")) as p:
        p.import_files([d / "t.txt"])
        try:
            service.refresh_suggestions(p)
        except InputError as exc:
            assert str(exc).startswith("code '"), str(exc)  # names the code whose rule is unusable
            return
        _check_suggestions(p)


@pytest.mark.parametrize("patterns", [
    [[{"FOO": "bar"}]],
    [[{"LEMMA": {"IN": 5}}]],
    [[{"OP": "?"}]],
    [[{"TEXT": {"REGEX": "("}}]],
    [[]],
])
def test_bad_spacy_patterns_are_one_line(tmp_path: Path, patterns):
    book = {"name": "t", "codes": [{"id": "a", "label": "A", "patterns": patterns}]}
    (tmp_path / "cb.yaml").write_text(yaml.safe_dump(book), encoding="utf-8")
    (tmp_path / "t.txt").write_text("Student 1: hallo daar\nGL: ok\n", encoding="utf-8")
    path = tmp_path / "p.miv"
    with Project.create(path, load_codebook(tmp_path / "cb.yaml")) as p:
        p.import_files([tmp_path / "t.txt"])
    r = subprocess.run(["mivcode", "suggest", str(path)], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in r.stderr
    if r.returncode:
        assert r.returncode == 1
        lines = r.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("mivcode: error: "), r.stderr
    else:
        with Project.open(path) as p:
            _check_suggestions(p)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=800) | st.lists(
    st.lists(st.sampled_from(["fg_roc_studenten", "1", "-1", "99", "racisme", "onbekend", "", "x" * 50, "\x00",
                              '"', "turn", "code", "transcript"]), max_size=4), max_size=6).map(
    lambda rows: "\n".join(",".join(r) for r in [["transcript", "turn", "code"], *rows]).encode()))
def test_import_codings_csv(project: Project, tmp_path_factory, data):

    f = tmp_path_factory.mktemp("csv") / "codings é.csv"
    f.write_bytes(data)
    before = dump(project.path)
    try:
        n = codings_csv.import_codings(project, f, "anna")
    except InputError as exc:
        assert "\n" not in str(exc).strip()
        assert dump(project.path) == before
    else:
        assert n <= len(project.codings(coder="anna"))  # new codings are all there (a repeat counts once)
        _check_suggestions(project)


def test_import_codings_giant_field(project: Project, tmp_path: Path):
    f = tmp_path / "reuzenveld.csv"
    f.write_text('transcript,turn,code\nfg_roc_studenten,1,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    with pytest.raises(InputError, match="not a readable CSV file"):
        codings_csv.import_codings(project, f, "anna")
