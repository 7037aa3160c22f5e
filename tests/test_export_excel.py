"""The Excel report: reopened with openpyxl, numbers checked against the project's codings."""

from __future__ import annotations

import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.codebook import top_level_of
from mivcode.core.exchange.excel import ExcelOptions, export_excel
from mivcode.core.importers.turn_builder import Segment, build_transcript
from mivcode.core.model import TranscriptMeta
from mivcode.core.project import Project

RISKY = ["=HYPERLINK(\"http://x\")", "+31 6 1234", "-ja, maar echt", "@iedereen luister", "\t=1+1", "\r=2+2"]


def _transcript(name: str, inst: str | None, group: str | None, utterances: list[tuple[str, str]], **meta):
    return build_transcript(name, [Segment(s, u) for s, u in utterances],
                            meta=TranscriptMeta(institution=inst, group=group, **meta))


def build_project(tmp_path: Path, codebook: Path, *, consensus: bool = False) -> Project:
    """Three transcripts at two institutions, two coders (and optionally a consensus layer)."""
    p = Project.create(tmp_path / "report.miv", codebook)
    p.add_transcript(_transcript("roc_a_studenten", "ROC A", "studenten", [
        ("Gespreksleider", "Welkom. Voelen jullie je veilig?"),
        ("Student 1", "Racisme zie ik vaak, ook op stage."),
        ("Student 2", RISKY[0] + " stond in de groepsapp, en er werd gevochten."),
        ("Student 1", "Ja, dat hoort erbij, zeg maar."),
        ("Student 2", RISKY[2]),
    ], leerweg="BOL", niveau="2"))
    p.add_transcript(_transcript("roc_a_medewerkers", "ROC A", "medewerkers", [
        ("Gespreksleider", "Hoe is dat voor medewerkers?"),
        ("Docent 1", RISKY[1] + " belde me op, een vader die dreigde te slaan."),
        ("Docent 2", "Discriminatie merken we vooral bij de stage."),
    ], leerweg="BBL", niveau="3"))
    p.add_transcript(_transcript("roc_b_studenten", "ROC B", "studenten", [
        ("Gespreksleider", "Één vraag: is het hier veilig? 😀"),
        ("Student 3", RISKY[3] + ", niemand discrimineert hier."),
        ("Student 4", "Er is wel eens gevochten op het plein."),
    ]))
    plan = [  # transcript, turn, code, coders
        ("roc_a_studenten", 1, "racisme", ("anna", "bram")),
        ("roc_a_studenten", 1, "discriminatie", ("anna",)),
        ("roc_a_studenten", 2, "agressie_geweld", ("anna", "bram")),
        ("roc_a_studenten", 2, "racisme", ("bram",)),
        ("roc_a_studenten", 3, "geaccepteerde_onveiligheid", ("anna",)),
        ("roc_a_studenten", 4, "agressie_geweld", ("anna",)),
        ("roc_a_medewerkers", 1, "agressie_geweld", ("anna", "bram")),
        ("roc_a_medewerkers", 2, "discriminatie", ("anna", "bram")),
        ("roc_b_studenten", 1, "discriminatie", ("bram",)),
        ("roc_b_studenten", 2, "agressie_geweld", ("anna", "bram")),
    ]
    for name, turn, code, coders in plan:
        for who in coders:
            p.add_coding(name, turn, code, who, memo=RISKY[4] if (name, turn, who) == ("roc_a_studenten", 2, "anna")
                         and code == "agressie_geweld" else None)
    # a span inside a turn, running into the next turn (counts for both turns)
    t = p.transcript("roc_a_studenten")
    p.add_coding("roc_a_studenten", 3, "agressie_geweld", "bram", start=t.turns[3].start, end=t.turns[4].end)
    if consensus:
        for name, turn, code, _ in plan[:4]:
            p.add_coding(name, turn, code, "consensus", origin="consensus")
    return p


@pytest.fixture
def report_project(tmp_path, small_codebook):
    p = build_project(tmp_path, small_codebook)
    yield p
    p.close()


def _table(ws, header_text: str) -> tuple[list[str], list[tuple]]:
    """The header row (found by its first cell) and the data rows under it."""
    rows = list(ws.iter_rows(values_only=True))
    i = next(k for k, r in enumerate(rows) if r and r[0] == header_text)
    return list(rows[i]), [r for r in rows[i + 1:] if any(v is not None for v in r)]


def _expected_overview(p: Project, coders: list[str] | None) -> dict[tuple[str, str], dict]:
    """Independent count: distinct spans per institution × theme, focus groups, touched turns."""
    by_id = {c.id: c for c in p.codes()}
    out: dict[tuple[str, str], dict] = defaultdict(lambda: {"spans": set(), "transcripts": set(), "turns": set()})
    for c in p.codings():
        if coders is not None and c.coder not in coders:
            continue
        t = p.transcript(c.transcript)
        theme = top_level_of(by_id, c.code)
        cell = out[(t.meta.institution, theme)]
        cell["spans"].add((t.name, c.start, c.end))
        cell["transcripts"].add(t.name)
        for u in t.turns:
            if u.start < c.end and u.end > c.start:
                cell["turns"].add((t.name, u.index))
    return out


def test_workbook_sheets_layout_and_chart(report_project, tmp_path):
    out = tmp_path / "rapport.xlsx"
    res = export_excel(report_project, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == res.sheets
    for name in ("Toelichting", "Overzicht", "Overzicht codes", "Per groep", "Per leerweg", "Per niveau", "Grafiek",
                 "Matrix transcripten", "Co-occurrentie", "Citaten", "Codeboek", "Overeenstemming"):
        assert name in wb.sheetnames, name
    ov = wb["Overzicht"]
    header, _ = _table(ov, "Instelling")
    assert header[:3] == ["Instelling", "Thema", "Fragmenten"]
    header_row = next(r[0].row for r in ov.iter_rows() if r[0].value == "Instelling")
    assert ov.freeze_panes == f"C{header_row + 1}"
    assert ov.auto_filter.ref.startswith(f"A{header_row}:")
    assert ov.column_dimensions["B"].width >= len("Agressie en geweld")
    assert "Telling" in ov.cell(2, 1).value  # the layer is named in a header row
    cit = wb["Citaten"]
    assert cit.column_dimensions["H"].width >= 60
    # heat maps on both matrices
    for name in ("Matrix transcripten", "Co-occurrentie"):
        rules = [r for cf in wb[name].conditional_formatting for r in cf.rules]
        assert rules and rules[0].type == "colorScale"
    # agreement between anna and bram, from the team module, one row per code and one for all codes
    header, agree = _table(wb["Overeenstemming"], "Code")
    assert "Cohens kappa" in header and "Krippendorffs alfa" in header
    all_row = next(r for r in agree if r[0] == "Alle codes")
    kappa = all_row[header.index("Cohens kappa")]
    assert isinstance(kappa, float) and -1 <= kappa <= 1
    assert all_row[header.index("Codeurs")] == "anna, bram"
    # the about sheet lists the sheets that exist
    about = [r[0] for r in wb["Toelichting"].iter_rows(values_only=True)]
    assert "Citaten" in about and "Overeenstemming" in about
    # a native bar chart on the chart sheet (openpyxl does not load charts back: read the package)
    with zipfile.ZipFile(out) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        assert charts
        xml = zf.read(charts[0]).decode()
        assert "<barChart>" in xml and "Grafiek" in xml and "<barDir val=\"bar\"/>" in xml


def test_overview_numbers_match_codings(report_project, tmp_path):
    out = tmp_path / "r.xlsx"
    res = export_excel(report_project, out)
    assert res.layer.coder is None  # two coders, no consensus: all coders, de-duplicated
    wb = openpyxl.load_workbook(out)
    header, rows = _table(wb["Overzicht"], "Instelling")
    label = {c.label: c.id for c in report_project.codes()}
    exp = _expected_overview(report_project, None)
    turns_total = {"ROC A": 8, "ROC B": 3}
    seen = 0
    for r in rows:
        inst, theme = r[0], label.get(r[1])
        if inst == "Alle instellingen":
            continue
        cell = exp.get((inst, theme), {"spans": (), "transcripts": (), "turns": ()})
        assert r[2] == len(cell["spans"]), (inst, theme)
        assert r[3] == len(cell["transcripts"])
        assert r[4] == (2 if inst == "ROC A" else 1)
        assert r[5] == len(cell["turns"])
        assert r[6] == turns_total[inst]
        assert r[7] == pytest.approx(len(cell["turns"]) / turns_total[inst])
        assert isinstance(r[2], int) and isinstance(r[7], (int, float))  # numbers stored as numbers
        seen += 1
    assert seen == 2 * 3  # 2 institutions × 3 themes
    # the sub-code racisme is rolled up into discriminatie: ROC A has 1 turn-1 span + bram's turn-2 racisme
    disc = next(r for r in rows if r[0] == "ROC A" and r[1] == "Discriminatie")
    assert disc[2] == 3  # turn 1 (racisme+discriminatie = one span), turn 2 (racisme), medewerkers turn 2
    # unrolled sheet keeps racisme apart
    _, codes_rows = _table(wb["Overzicht codes"], "Instelling")
    rac = next(r for r in codes_rows if r[0] == "ROC A" and r[1] == "Racisme")
    assert rac[2] == "Discriminatie" and rac[3] == 2 and rac[4] == 1  # 2 spans, both in the studenten group
    total = next(r for r in rows if r[0] == "Alle instellingen" and r[1] == "Agressie en geweld")
    assert total[2] == sum(len(v["spans"]) for (i, th), v in exp.items() if th == "agressie_geweld")


def test_breakdowns_matrix_and_cooccurrence(report_project, tmp_path):
    out = tmp_path / "r.xlsx"
    export_excel(report_project, out)
    wb = openpyxl.load_workbook(out)
    _, grp = _table(wb["Per groep"], "Instelling")
    med = next(r for r in grp if r[:3] == ("ROC A", "medewerkers", "Agressie en geweld"))
    assert med[3] == 1 and med[5] == 1
    _, lw = _table(wb["Per leerweg"], "Instelling")
    assert {r[1] for r in lw} == {"BOL", "BBL"}  # ROC B has no leerweg: left out, not "(onbekend)"
    _, nv = _table(wb["Per niveau"], "Instelling")
    assert {r[1] for r in nv} == {2, 3}  # niveau stored as a number
    header, mat = _table(wb["Matrix transcripten"], "Transcript")
    row = next(r for r in mat if r[0] == "roc_a_studenten")
    assert row[header.index("Agressie en geweld")] == 3  # turn 2, turn 4, and bram's turn 3-4 span
    assert row[header.index("Racisme")] == 2
    header, co = _table(wb["Co-occurrentie"], "Code")
    rac = next(r for r in co if r[0] == "Racisme")
    assert rac[header.index("Racisme")] == 2  # diagonal: turns with racisme
    assert rac[header.index("Agressie en geweld")] == 1  # turn 2 of roc_a_studenten
    assert rac[header.index("Discriminatie")] == 1  # turn 1


def test_quotes_sheet_and_injection_guard(report_project, tmp_path):
    out = tmp_path / "r.xlsx"
    report_project.add_coding("roc_b_studenten", 1, "discriminatie", "anna")
    report_project.set_turn_memo("roc_a_studenten", 1, "Vraag: ook op school?", "anna")
    report_project.set_turn_memo("roc_a_studenten", 1, "niet van anna", "bram")
    export_excel(report_project, out, ExcelOptions(coder="anna"))
    wb = openpyxl.load_workbook(out)
    ws = wb["Citaten"]
    header, rows = _table(ws, "Instelling")
    assert header == ["Instelling", "Groep", "Transcript", "Beurt", "Spreker", "Thema", "Code", "Citaat", "Memo",
                      "Memo bij beurt", "Codeur"]
    assert len(rows) == len(report_project.codings(coder="anna"))
    quotes = {r[7] for r in rows}
    assert "Racisme zie ik vaak, ook op stage." in quotes
    row = next(r for r in rows if r[7] == "Racisme zie ik vaak, ook op stage.")
    assert row[:5] == ("ROC A", "studenten", "roc_a_studenten", 1, "Student 1")
    assert row[9] == "Vraag: ook op school?"  # anna's memo on the turn; bram's is not in anna's layer
    wrapped = next(c for c in ws.iter_rows(min_col=8, max_col=8) for c in c if c.value == row[7])
    assert wrapped.alignment.wrap_text
    risky_cells = [c for r in ws.iter_rows() for c in r if isinstance(c.value, str) and c.value[:1] in "=+-@\t\r"]
    values = {c.value for c in risky_cells}
    for text in (RISKY[0] + " stond in de groepsapp, en er werd gevochten.", RISKY[1] + " belde me op, een vader "
                 "die dreigde te slaan.", RISKY[2], RISKY[3] + ", niemand discrimineert hier.", RISKY[4]):
        assert text in values, text
    for c in risky_cells:
        assert c.data_type == "s" and c.quotePrefix, c.value
    with zipfile.ZipFile(out) as zf:  # no formula anywhere in the package
        for n in zf.namelist():
            if n.startswith("xl/worksheets/"):
                assert "<f>" not in zf.read(n).decode()


def test_min_cell_blanks_small_counts(report_project, tmp_path):
    out = tmp_path / "r.xlsx"
    export_excel(report_project, out, ExcelOptions(min_cell=3))
    wb = openpyxl.load_workbook(out)
    ws = wb["Overzicht"]
    notes = [ws.cell(r, 1).value or "" for r in range(1, 5)]
    assert any("<3" in n and "--min-cell 3" in n for n in notes)
    _, rows = _table(ws, "Instelling")
    flat = [v for r in rows for v in r[2:8:3]]  # Fragmenten and Beurten met thema
    assert "<3" in flat
    assert not any(isinstance(v, int) and 0 < v < 3 for r in rows for v in (r[2], r[3], r[5]))
    hidden = [r for r in rows if r[2] == "<3"]
    assert all(r[7] == "<3" for r in hidden)  # the share would give the count away
    _, mat = _table(wb["Matrix transcripten"], "Transcript")
    assert not any(isinstance(v, int) and 0 < v < 3 for r in mat for v in r[3:])
    for sheet, first in (("Co-occurrentie", 1), ("Grafiek", 1)):
        _, rows = _table(wb[sheet], wb[sheet].cell(wb[sheet].freeze_panes and int(
            "".join(ch for ch in wb[sheet].freeze_panes if ch.isdigit())) - 1, 1).value)
        assert not any(isinstance(v, int) and 0 < v < 3 for r in rows for v in r[first:])
    _, book = _table(wb["Codeboek"], "Code-id")
    assert {r[-1] for r in book} <= {0, "<3"} | set(range(3, 100))


def test_layer_choice_consensus_and_english(tmp_path, small_codebook):
    p = build_project(tmp_path, small_codebook, consensus=True)
    try:
        res = export_excel(p, tmp_path / "c.xlsx")
        assert res.layer.coder == "consensus" and res.segments == 4
        wb = openpyxl.load_workbook(tmp_path / "c.xlsx")
        assert "Consensuslaag" in wb["Overzicht"].cell(2, 1).value
        res = export_excel(p, tmp_path / "e.xlsx", ExcelOptions(lang="en", coder="bram"))
        wb = openpyxl.load_workbook(tmp_path / "e.xlsx")
        assert wb.sheetnames[:3] == ["About", "Overview", "Chart"]
        assert "Quotes" in wb.sheetnames and "Agreement" in wb.sheetnames
        header, rows = _table(wb["Overview"], "Institution")
        assert header[:3] == ["Institution", "Theme", "Segments"]
    finally:
        p.close()


def test_single_coder_has_no_agreement_sheet(project, tmp_path):
    project.add_coding("fg_roc_studenten", 2, "racisme", "anna")
    res = export_excel(project, tmp_path / "one.xlsx")
    assert "Overeenstemming" not in res.sheets
    wb = openpyxl.load_workbook(tmp_path / "one.xlsx")
    _, rows = _table(wb["Overzicht"], "Instelling")
    assert rows[0][0] == "(onbekend)"  # institution not recorded


def test_empty_project_exports(tmp_path, small_codebook):
    with Project.create(tmp_path / "e.miv", small_codebook) as p:
        res = export_excel(p, tmp_path / "e.xlsx")
    assert res.segments == 0
    assert openpyxl.load_workbook(tmp_path / "e.xlsx")["Codeboek"].max_row > 3


def test_cli_export_xlsx_and_errors(report_project, tmp_path):
    path = str(report_project.path)
    runner = CliRunner()
    out = tmp_path / "cli.xlsx"
    r = runner.invoke(main, ["export", path, str(out), "--min-cell", "2", "--coder", "anna"])
    assert r.exit_code == 0, r.output
    assert "anna" in r.output and out.exists()
    r = runner.invoke(main, ["export", path, str(tmp_path / "x.xlsx"), "--coder", "nobody"])
    assert r.exit_code == 1 and "nobody" in r.output and not (tmp_path / "x.xlsx").exists()
    r = runner.invoke(main, ["export", path, str(tmp_path / "x.pdf")])
    assert r.exit_code == 2
    assert not [f for f in tmp_path.iterdir() if f.name.startswith(".")]  # no temp files left behind
    r = runner.invoke(main, ["export", "--help"])
    assert "consensus" in r.output and "once" in r.output


def test_bundled_examples_export(tmp_path):
    """The examples with their reference codings: a workbook a researcher would paste from."""
    import csv

    from tests.conftest import CODEBOOK, EXAMPLES

    if not (EXAMPLES / "manifest.csv").exists() or not CODEBOOK.exists():
        pytest.skip("bundled examples not present")
    p = Project.create(tmp_path / "ex.miv", CODEBOOK)
    files = [EXAMPLES / r["file"] for r in csv.DictReader(open(EXAMPLES / "manifest.csv", encoding="utf-8"))]
    p.import_files(files, manifest=EXAMPLES / "manifest.csv")
    ref = list(csv.DictReader(open(EXAMPLES / "reference_codings.csv", encoding="utf-8")))
    for r in ref:
        p.add_coding(r["transcript"], int(r["turn"]), r["code"], "referentie")
    res = export_excel(p, tmp_path / "ex.xlsx")
    p.close()
    wb = openpyxl.load_workbook(tmp_path / "ex.xlsx")
    _, quotes = _table(wb["Citaten"], "Instelling")
    assert len(quotes) == len(ref) == res.segments
    _, chart = _table(wb["Grafiek"], "Thema")
    assert len(chart[0]) >= 4  # three institutions in the examples


def test_report_for_one_institution(report_project, tmp_path):
    """The workbook a school receives: its own numbers and quotes only."""
    out = tmp_path / "roc_b.xlsx"
    res = export_excel(report_project, out, ExcelOptions(institution="ROC B"))
    wb = openpyxl.load_workbook(out)
    _, rows = _table(wb["Overzicht"], "Instelling")
    assert {r[0] for r in rows} == {"ROC B"}  # no other school, no "Alle instellingen" total
    _, quotes = _table(wb["Citaten"], "Instelling")
    assert quotes and {r[0] for r in quotes} == {"ROC B"} and len(quotes) == res.segments
    assert all("roc_a" not in str(v) for ws in wb for r in ws.iter_rows(values_only=True) for v in r)
    assert "Alleen ROC B" in wb["Overzicht"].cell(3, 1).value
    with pytest.raises(Exception, match="ROC A, ROC B"):
        export_excel(report_project, tmp_path / "x.xlsx", ExcelOptions(institution="ROC Z"))
    r = CliRunner().invoke(main, ["export", str(report_project.path), str(tmp_path / "b.csv"), "--institution",
                                  "ROC B", "--frequencies"])
    assert r.exit_code == 0, r.output
    assert "ROC A" not in (tmp_path / "b.csv").read_text(encoding="utf-8-sig")
