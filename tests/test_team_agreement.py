"""The agreement table against values computed by hand and by stats.py on the reference codings."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.errors import InputError
from mivcode.core.project import Project
from mivcode.core.team import stats
from mivcode.core.team.agreement import FIGURES, agreement_table

from .conftest import CODEBOOK, EXAMPLES

SECOND = """\
Gespreksleider: Wat vinden jullie van de sfeer in de klas?
Student 3: Soms worden er grappen gemaakt over mijn geloof.
Student 4: Online wordt er wel eens gepest in de groepsapp.
"""
T = "fg_roc_studenten"


@pytest.fixture
def coded(project: Project) -> Project:
    """ann: racisme turn 1, discriminatie turns 2 and 5; bob: racisme 1, discriminatie 2, agressie_geweld 5."""
    project.add_coding(T, 1, "racisme", "ann")
    project.add_coding(T, 2, "discriminatie", "ann")
    project.add_coding(T, 5, "discriminatie", "ann")
    project.add_coding(T, 1, "racisme", "bob")
    project.add_coding(T, 2, "discriminatie", "bob")
    project.add_coding(T, 5, "agressie_geweld", "bob")
    return project


def _row(rows: list[dict], code: str) -> dict:
    return next(r for r in rows if r["code"] == code)


def test_turn_level_by_hand(coded):
    rows = agreement_table(coded, ["ann", "bob"])
    assert [r["code"] for r in rows] == ["discriminatie", "racisme", "agressie_geweld", "_all"]
    r = _row(rows, "discriminatie")
    # ann 0010010, bob 0010000 over 7 turns
    assert r["units"] == 7 and r["level"] == "turn" and r["coders"] == ["ann", "bob"]
    assert r["percent"] == pytest.approx(6 / 7, abs=1e-6)
    assert r["cohen_kappa"] == pytest.approx(10 / 17, abs=1e-6)  # (7*6 - (5*6 + 2*1)) / (49 - 32)
    assert r["fleiss_kappa"] == pytest.approx(38 / 66, abs=1e-6)  # (6/7 - 130/196) / (1 - 130/196)
    assert r["krippendorff_alpha"] == pytest.approx(20 / 33, abs=1e-6)  # 1 - 13 * o_01 / (n_0 n_1) = 1 - 13/33
    assert r["ac1"] == pytest.approx(102 / 130, abs=1e-6)  # p_e = 2 * (3/14)(11/14)
    assert r["figure_units"] == {f: 7 for f in FIGURES}
    assert r["notes"] == {}
    # racisme: both coded turn 1 only -> perfect agreement
    assert _row(rows, "racisme")["cohen_kappa"] == pytest.approx(1.0)
    # agressie_geweld: only bob, once -> kappa 0 (p_o = p_e), alpha defined
    assert _row(rows, "agressie_geweld")["cohen_kappa"] == pytest.approx(0.0, abs=1e-6)


def test_all_pools_turns_times_codes(coded):
    rows = agreement_table(coded, ["ann", "bob"])
    all_ = _row(rows, "_all")
    assert all_["units"] == 21  # 7 turns x 3 codes
    a = np.zeros((3, 7)); b = np.zeros((3, 7))
    a[0, [2, 5]] = 1; a[1, 1] = 1
    b[0, 2] = 1; b[1, 1] = 1; b[2, 5] = 1
    m = np.stack([a.reshape(-1), b.reshape(-1)])
    assert all_["cohen_kappa"] == pytest.approx(stats.cohen_kappa(m[0], m[1]).value, abs=1e-6)
    assert all_["krippendorff_alpha"] == pytest.approx(stats.krippendorff_alpha(m).value, abs=1e-6)


def test_rollup_counts_subcodes_as_theme(coded):
    rows = agreement_table(coded, ["ann", "bob"], rollup=True)
    assert [r["code"] for r in rows] == ["discriminatie", "agressie_geweld", "_all"]
    r = _row(rows, "discriminatie")  # ann 0110010, bob 0110000
    assert r["cohen_kappa"] == pytest.approx(16 / 23, abs=1e-6)
    assert r["rollup"] is True


def test_code_option_and_unknowns(coded):
    rows = agreement_table(coded, ["ann", "bob"], code="racisme")
    assert [r["code"] for r in rows] == ["racisme"]
    with pytest.raises(InputError, match="unknown code"):
        agreement_table(coded, ["ann", "bob"], code="nope")
    with pytest.raises(InputError, match="coder 'zoe' has no codings"):
        agreement_table(coded, ["ann", "zoe"])
    with pytest.raises(InputError, match="--level"):
        agreement_table(coded, level="word")


def test_default_coders_leave_out_consensus(coded):
    coded.add_coding(T, 2, "discriminatie", "consensus", origin="consensus")
    assert agreement_table(coded)[0]["coders"] == ["ann", "bob"]


def test_one_coder_and_no_variation_give_null_with_a_note(coded):
    rows = agreement_table(coded, ["ann"])
    assert all(r[f] is None for r in rows for f in FIGURES)
    assert "two coders" in rows[0]["notes"]["all"]
    rows = agreement_table(coded, ["ann", "bob"], code="racisme")
    # with one code the two coders agree everywhere on turn 1 and nowhere else: variation exists
    assert rows[0]["cohen_kappa"] == pytest.approx(1.0)


def test_no_variation(project):
    project.add_coding(T, 1, "racisme", "ann")
    project.add_coding(T, 3, "discriminatie", "bob")
    rows = agreement_table(project, ["ann", "bob"], code="agressie_geweld")
    r = rows[0]
    assert r["percent"] == 1.0 and r["units"] == 7
    for f in ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha"):
        assert r[f] is None and "no variation" in r["notes"][f]
    assert r["ac1"] == pytest.approx(1.0)  # AC1 is defined on the 0/1 scale


def test_missing_transcripts_are_missing_not_absent(coded, tmp_path):
    second = tmp_path / "fg_extra.txt"
    second.write_text(SECOND, encoding="utf-8")
    coded.import_files([second])
    coded.add_coding("fg_extra", 1, "discriminatie", "ann")
    coded.add_coding("fg_extra", 1, "discriminatie", "cem")
    coded.add_coding("fg_extra", 2, "agressie_geweld", "cem")
    two = _row(agreement_table(coded, ["ann", "cem"]), "discriminatie")
    assert two["units"] == 3 and two["percent"] == 1.0  # only fg_extra: cem did not code fg_roc_studenten
    three = _row(agreement_table(coded, ["ann", "bob", "cem"]), "discriminatie")
    assert three["units"] == 10  # 7 turns (ann, bob) + 3 turns (ann, cem)
    assert three["cohen_kappa"] is None and "exactly two" in three["notes"]["cohen_kappa"]
    assert three["fleiss_kappa"] is None  # no turn rated by all three
    assert three["figure_units"]["fleiss_kappa"] == 0
    assert "every coder" in three["notes"]["fleiss_kappa"]


def test_spans_crossing_turns_count_in_each(project):
    t = project.transcript(T)
    u1, u2 = t.turns[1], t.turns[2]
    project.add_coding(T, 1, "racisme", "ann", start=u1.start, end=u2.start + 5)
    project.add_coding(T, 1, "racisme", "bob")
    project.add_coding(T, 2, "racisme", "bob")
    r = agreement_table(project, ["ann", "bob"], code="racisme")[0]
    assert r["percent"] == 1.0


def test_span_level_by_hand(project):
    t = project.transcript(T)
    u = t.turns[2]
    n = len(t.text)
    project.add_coding(T, 2, "racisme", "ann", start=u.start, end=u.start + 50)
    project.add_coding(T, 2, "racisme", "bob", start=u.start + 10, end=u.start + 50)
    rows = agreement_table(project, ["ann", "bob"], level="span", code="racisme")
    r = rows[0]
    both, a, b = 40, 50, 40
    neither = n - a - b + both
    chance = a * b + (n - a) * (n - b)
    assert r["units"] == n and r["level"] == "span"
    assert r["nvivo_agreement"] == pytest.approx((both + neither) / n, abs=1e-6)
    assert r["nvivo_kappa"] == pytest.approx((n * (both + neither) - chance) / (n * n - chance), abs=1e-6)
    assert r["cohen_kappa"] == r["nvivo_kappa"] and r["percent"] == r["nvivo_agreement"]
    assert r["segments"] == 2 and r["segment_percent"] == 0.0  # overlap 40/50 = 80 % < 90 %
    expected = stats.unitized_alpha([[(u.start, u.start + 50)], [(u.start + 10, u.start + 50)]], 0, n)
    assert r["unitized_alpha"] == pytest.approx(expected.alpha.value, abs=1e-6)
    assert r["krippendorff_alpha"] == r["unitized_alpha"]
    assert r["fleiss_kappa"] is None and r["ac1"] is None
    lenient = agreement_table(project, ["ann", "bob"], level="span", code="racisme", min_overlap=0.8)[0]
    assert lenient["segment_percent"] == 1.0 and lenient["min_overlap"] == 0.8


def test_span_all_equals_nvivo_on_concatenated_codes(coded):
    rows = agreement_table(coded, ["ann", "bob"], level="span")
    t = coded.transcript(T)
    n = len(t.text)
    spans = {"ann": [], "bob": []}
    codes = ["discriminatie", "racisme", "agressie_geweld"]
    for c in coded.codings():
        spans[c.coder].append((codes.index(c.code) * n + c.start, codes.index(c.code) * n + c.end))
    expected = stats.nvivo_character_kappa(spans["ann"], spans["bob"], 3 * n)
    all_ = _row(rows, "_all")
    assert all_["nvivo_kappa"] == pytest.approx(expected.kappa.value, abs=1e-6)
    assert all_["units"] == 3 * n
    seg = stats.segment_agreement(
        [(c.code, c.start, c.end) for c in coded.codings(coder="ann")],
        [(c.code, c.start, c.end) for c in coded.codings(coder="bob")], 0.9, n_codes=3)
    assert all_["segment_kappa"] == pytest.approx(seg.kappa.value, abs=1e-6)
    assert all_["segments"] == seg.matched + seg.unmatched


# -- the reference data ---------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The examples coded by `ref` (reference_codings.csv) and by `alt`, a deterministic variation of it."""
    if not (EXAMPLES / "reference_codings.csv").exists() or not CODEBOOK.exists():
        pytest.skip("examples not present")
    path = tmp_path_factory.mktemp("ref") / "ref.miv"
    rows = list(csv.DictReader((EXAMPLES / "reference_codings.csv").open(encoding="utf-8")))
    with Project.create(path, CODEBOOK) as p:
        p.import_files([], manifest=EXAMPLES / "manifest.csv")
        for r in rows:
            p.add_coding(r["transcript"], int(r["turn"]), r["code"], "ref")
        for i, r in enumerate(rows):
            if i % 7 != 3:  # alt misses one in seven
                p.add_coding(r["transcript"], int(r["turn"]), r["code"], "alt")
            if i % 11 == 0 and int(r["turn"]) > 0:  # and sees bullying one turn early now and then
                try:
                    p.add_coding(r["transcript"], int(r["turn"]) - 1, "pesten", "alt")
                except InputError:
                    pass
    return path


def _naive_matrix(p: Project, coders: list[str], code: str) -> np.ndarray:
    """Independent of agreement.py: loops over transcripts, turns and codings."""
    columns = []
    for name in p.transcript_names():
        t = p.transcript(name)
        coded = {c: {x.turn for x in p.codings(coder=c, transcript=name) if x.code == code} for c in coders}
        rated = {c: bool(p.codings(coder=c, transcript=name)) for c in coders}
        for u in t.turns:
            columns.append([(1.0 if u.index in coded[c] else 0.0) if rated[c] else math.nan for c in coders])
    return np.array(columns).T


def test_reference_data_matches_stats(reference):
    with Project.open(reference, readonly=True) as p:
        rows = agreement_table(p, ["ref", "alt"])
        for code in ("discriminatie", "normalisering", "melden_en_steun", "pesten"):
            m = _naive_matrix(p, ["ref", "alt"], code)
            r = _row(rows, code)
            assert r["units"] == 402
            assert r["percent"] == pytest.approx(stats.percent_agreement(m).value, abs=1e-6)
            assert r["cohen_kappa"] == pytest.approx(stats.cohen_kappa(m[0], m[1]).value, abs=1e-6)
            assert r["fleiss_kappa"] == pytest.approx(stats.fleiss_kappa(m).value, abs=1e-6)
            assert r["krippendorff_alpha"] == pytest.approx(stats.krippendorff_alpha(m).value, abs=1e-6)
            assert r["ac1"] == pytest.approx(stats.gwet_ac1(m, categories=(0, 1)).value, abs=1e-6)


def test_reference_data_pinned_values(reference):
    """Regression values for the README (ref vs alt on the bundled examples)."""
    with Project.open(reference, readonly=True) as p:
        all_turn = _row(agreement_table(p, ["ref", "alt"]), "_all")
        themes = _row(agreement_table(p, ["ref", "alt"], rollup=True), "_all")
        all_span = _row(agreement_table(p, ["ref", "alt"], level="span"), "_all")
    print(json.dumps({"turn": all_turn, "themes": themes, "span": all_span}))
    assert all_turn["units"] == 402 * 33
    assert all_turn["cohen_kappa"] == pytest.approx(PINNED["turn_kappa"], abs=1e-6)
    assert all_turn["krippendorff_alpha"] == pytest.approx(PINNED["turn_alpha"], abs=1e-6)
    assert themes["cohen_kappa"] == pytest.approx(PINNED["theme_kappa"], abs=1e-6)
    assert all_span["nvivo_kappa"] == pytest.approx(PINNED["span_kappa"], abs=1e-6)
    assert all_span["unitized_alpha"] == pytest.approx(PINNED["span_alpha"], abs=1e-6)


PINNED = {"turn_kappa": 0.87935, "turn_alpha": 0.879352, "theme_kappa": 0.88867, "span_kappa": 0.890727, "span_alpha": 0.892222}


# -- the command line -----------------------------------------------------------


def test_cli_agreement_json_contract(coded):
    path = str(coded.path)
    result = CliRunner().invoke(main, ["agreement", path, "--coders", "ann,bob", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["code"] for r in rows][-1] == "_all"
    for r in rows:
        for key in ("code", "level", "coders", "units", *FIGURES):
            assert key in r
    assert _row(rows, "discriminatie")["cohen_kappa"] == pytest.approx(10 / 17, abs=1e-6)


def test_cli_agreement_table_and_errors(coded):
    path = str(coded.path)
    result = CliRunner().invoke(main, ["agreement", path, "--coders", "ann"])
    assert result.exit_code == 0
    assert "[1] all: needs at least two coders" in result.output
    result = CliRunner().invoke(main, ["agreement", path, "--level", "span", "--min-overlap", "1.5"])
    assert result.exit_code == 1 and "--min-overlap" in result.output
    result = CliRunner().invoke(main, ["agreement", path + ".nope"])
    assert result.exit_code == 1 and "no such project file" in result.output
