"""CSV: tidy rows per segment and the frequency table, read back with the csv module."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.exchange.csv_export import FREQUENCY_COLUMNS, SEGMENT_COLUMNS, CsvOptions, export_csv
from tests.test_export_excel import RISKY, build_project


def _read(path, delimiter=","):
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    return raw, list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_tidy_rows_match_codings(tmp_path, small_codebook):
    with build_project(tmp_path, small_codebook) as p:
        n, layer = export_csv(p, tmp_path / "s.csv", CsvOptions(coder="bram"))
        codings = p.codings(coder="bram")
        texts = {name: p.transcript(name) for name in p.transcript_names()}
    raw, rows = _read(tmp_path / "s.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel on Windows reads the accents right
    assert tuple(rows[0].keys()) == SEGMENT_COLUMNS
    assert n == len(rows) == len(codings) and layer.coder == "bram"
    got = sorted((r["transcript"], int(r["start"]), int(r["end"]), r["code"]) for r in rows)
    assert got == sorted((c.transcript, c.start, c.end, c.code) for c in codings)
    for r in rows:
        t = texts[r["transcript"]]
        expected = t.text[int(r["start"]):int(r["end"])]
        assert r["text"] in (expected, "'" + expected)
        assert r["speaker"] == t.turns[int(r["turn"])].speaker
        assert r["theme"] in ("discriminatie", "agressie_geweld", "geaccepteerde_onveiligheid")
    racisme = [r for r in rows if r["code"] == "racisme"]
    assert racisme and all(r["theme"] == "discriminatie" for r in racisme)
    assert any(r["institution"] == "ROC A" and r["leerweg"] == "BOL" and r["niveau"] == "2" for r in rows)


def test_injection_guard_and_no_bom(tmp_path, small_codebook):
    with build_project(tmp_path, small_codebook) as p:
        export_csv(p, tmp_path / "s.csv", CsvOptions(coder="anna", bom=False, delimiter=";"))
    raw, rows = _read(tmp_path / "s.csv", ";")
    assert not raw.startswith(b"\xef\xbb\xbf")
    texts = [r["text"] for r in rows] + [r["memo"] for r in rows]
    assert "'" + RISKY[0] + " stond in de groepsapp, en er werd gevochten." in texts
    assert "'" + RISKY[2] in texts
    assert "'" + RISKY[4] in texts  # a tab before "=" is caught too
    for value in texts:
        assert not value or value[0] not in "=+-@\t\r"


def test_frequencies_and_min_cell(tmp_path, small_codebook):
    with build_project(tmp_path, small_codebook) as p:
        n, _ = export_csv(p, tmp_path / "f.csv", CsvOptions(frequencies=True))
        export_csv(p, tmp_path / "m.csv", CsvOptions(frequencies=True, min_cell=3))
    _, rows = _read(tmp_path / "f.csv")
    assert tuple(rows[0].keys()) == FREQUENCY_COLUMNS
    assert n == len(rows) == 3 * 3  # (2 institutions + total) × 3 themes
    a = {(r["institution"], r["theme"]): r for r in rows}
    assert a[("ROC A", "agressie_geweld")]["segments"] == "4"  # turn 2, turn 4, span 3-4 (studenten), medewerkers
    assert a[("ROC A", "agressie_geweld")]["transcripts"] == "2"
    assert a[("ROC B", "agressie_geweld")]["turns_total"] == "3"
    assert float(a[("ROC B", "agressie_geweld")]["share_turns"]) == round(1 / 3, 6)
    _, masked = _read(tmp_path / "m.csv")
    m = {(r["institution"], r["theme"]): r for r in masked}
    assert m[("ROC B", "agressie_geweld")]["segments"] == "<3"
    assert m[("ROC B", "agressie_geweld")]["share_turns"] == "<3"
    assert m[("ROC A", "agressie_geweld")]["segments"] == "4"


def test_cli_csv(tmp_path, small_codebook):
    with build_project(tmp_path, small_codebook) as p:
        path = str(p.path)
    r = CliRunner().invoke(main, ["export", path, str(tmp_path / "c.csv"), "--delimiter", "tab", "--no-bom"])
    assert r.exit_code == 0, r.output
    raw, rows = _read(tmp_path / "c.csv", "\t")
    assert rows and not raw.startswith(b"\xef\xbb\xbf")
    r = CliRunner().invoke(main, ["export", path, str(tmp_path / "f.csv"), "--frequencies", "--min-cell", "5"])
    assert r.exit_code == 0 and "<5" in (tmp_path / "f.csv").read_text(encoding="utf-8-sig")


def test_cli_taguette_codebook_flags(tmp_path, small_codebook):
    p = build_project(tmp_path, small_codebook)
    p.close()
    run = lambda *a: CliRunner().invoke(main, ["export", str(tmp_path / "report.miv"), *a])  # noqa: E731
    r = run(str(tmp_path / "tags.csv"), "--taguette")
    assert r.exit_code == 0 and "4 codes als Taguette-tags" in r.output
    rows = list(csv.reader(io.StringIO((tmp_path / "tags.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["tag", "description"] and ["Discriminatie.Racisme", ""] in rows
    for extra in (["--no-bom"], ["--frequencies"], ["--coder", "anna"], ["--delimiter", ";"]):
        r = run(str(tmp_path / "t2.csv"), "--taguette", *extra)
        assert r.exit_code == 2 and extra[0] in r.output and not (tmp_path / "t2.csv").exists()
    r = run(str(tmp_path / "t.xlsx"), "--taguette")
    assert r.exit_code == 2 and "--taguette does not apply to .xlsx" in r.output
