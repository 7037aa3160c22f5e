"""Queries in core, shared by the screens and the command line: segments with context, search, the code tree."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.codebook import code_tree
from mivcode.core.errors import InputError
from mivcode.core.model import Code, TranscriptMeta
from mivcode.core.queries.retrieval import check_filters, collect_segments

T = "fg_roc_studenten"


def _run(*args, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def coded(project):
    """Two coders on the small transcript; the institution recorded so the filters have something to hold."""
    project.set_transcript_meta(T, TranscriptMeta(institution="ROC Zuidrand", group="studenten"))
    t = project.transcript(T)
    u2 = t.turns[2]
    project.add_coding(T, 2, "racisme", "anna", start=u2.start + 4, end=u2.start + 30, memo="stage")
    project.add_coding(T, 5, "agressie_geweld", "anna")
    project.add_coding(T, 1, "discriminatie", "bram")
    return project


def test_segments_of_a_theme_include_its_sub_codes_with_context(coded):
    found = collect_segments(coded, "discriminatie")
    assert [(s.turn, s.coding.code, s.coding.coder) for s in found] == [(1, "discriminatie", "bram"),
                                                                       (2, "racisme", "anna")]
    racism = found[1]
    t = coded.transcript(T)
    assert racism.quote == t.text[racism.coding.start:racism.coding.end]
    assert racism.before == f"Student 1: {t.turn_text(t.turns[1])}"
    assert racism.after.startswith("Gespreksleider: Kun je")
    assert [s.coding.coder for s in collect_segments(coded, "discriminatie", coder="anna")] == ["anna"]
    assert collect_segments(coded, "discriminatie", institution="ROC Noord") == []


def test_cli_segments_table_and_json(coded):
    path = coded.path
    rows = _jsonl(_run("segments", path, "discriminatie", "--json").output)
    assert [r["turn"] for r in rows] == [1, 2]
    r = rows[1]
    assert r["code"] == "racisme" and r["coder"] == "anna" and r["memo"] == "stage" and r["speaker"] == "Student 2"
    assert r["text"] in r["turn_text"] and r["before"].startswith("Student 1:") and r["end"] - r["start"] == 26
    only = _jsonl(_run("segments", path, "discriminatie", "--coder", "bram", "--group", "studenten",
                       "--institution", "ROC Zuidrand", "--json").output)
    assert [(x["turn"], x["coder"]) for x in only] == [(1, "bram")]
    table = _run("segments", path, "agressie_geweld").output.splitlines()
    # the table is for people: Dutch headers by default (JSON keys stay identifiers)
    assert table[0].split() == ["transcript", "beurt", "spreker", "code", "codeur", "tekst"]
    assert "gevochten" in table[1]


def test_cli_segments_refuses_unknown_codes_and_filter_values(coded):
    bad = _run("segments", coded.path, "geen_code", ok=False)
    assert bad.exit_code == 1 and "unknown code 'geen_code'" in bad.output
    bad = _run("segments", coded.path, "racisme", "--institution", "ROC Noord", ok=False)
    assert bad.exit_code == 1 and "--institution ROC Noord: not in this project (ROC Zuidrand)" in bad.output
    with pytest.raises(InputError, match="--coder zoë"):
        check_filters(coded, coder="zoë")


def test_cli_search_finds_typos_with_transcript_offsets(coded):
    rows = _jsonl(_run("search", coded.path, "gevochtn", "--json").output)  # a typo of "gevochten"
    assert rows and rows[0]["turn"] == 5
    t = coded.transcript(T)
    assert t.text[rows[0]["start"]:rows[0]["end"]] == rows[0]["match"] == "gevochten"
    exact = _jsonl(_run("search", coded.path, "stage", "--json").output)
    assert [(r["turn"], r["score"]) for r in exact] == [(2, 100.0)]
    table = _run("search", coded.path, "stage").output.splitlines()
    assert table[0].split()[:2] == ["transcript", "beurt"] and table[0].split()[-1] == "tekst"
    assert _run("search", coded.path, "x", ok=False).exit_code == 2
    none = _run("search", coded.path, "zzzzqqq", "--json")
    assert none.output == ""


def test_code_tree_puts_sub_codes_under_their_theme_and_hides_nothing():
    codes = [Code("b_sub", "B sub", parent="b"), Code("a", "A"), Code("b", "B"), Code("a_sub", "A sub", parent="a"),
             Code("orphan", "Orphan", parent="gone"), Code("x", "X", parent="y"), Code("y", "Y", parent="x")]
    rows = [(r.code.id, r.depth, r.has_children) for r in code_tree(codes)]
    assert rows == [("a", 0, True), ("a_sub", 1, False), ("b", 0, True), ("b_sub", 1, False),
                    ("orphan", 0, False), ("x", 0, False), ("y", 0, False)]  # a cycle: shown flat, last
    deep = [Code("c0", "C0")] + [Code(f"c{i}", f"C{i}", parent=f"c{i - 1}") for i in range(1, 3000)]
    assert code_tree(deep)[-1].depth == 2999  # no recursion limit


def test_cli_codebook_prints_the_tree(coded):
    lines = _run("codebook", coded.path).output.splitlines()
    assert lines[0].startswith("[1] discriminatie") and lines[1].startswith("  [r] racisme")
