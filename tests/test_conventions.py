"""Coding conventions are data: the codebook states them, the engine and the reports obey them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.codebook import default_codebook_path, dump_codebook, load_codebook, parse_codebook_text
from mivcode.core.conventions import Conventions
from mivcode.core.project import Project
from mivcode.core.queries.frequencies import load_report_data
from mivcode.core.suggest import service
from mivcode.core.suggest.scoring import CodeIndex

BOOK = """\
name: t
conventions:
  moderator_questions: true
  not_coded: [pesten]
  report_under: {pesten: online}
codes:
  - id: online
    label: Online
    keywords: [groepsapp]
  - id: pesten
    label: Pesten
    parent: online
    keywords: [pesten]
  - id: geweld
    label: Geweld
    keywords: [slaan]
"""


def test_the_codebook_states_conventions_and_dumps_them_back():
    book, errors = parse_codebook_text(BOOK, "t.yaml")
    assert not errors
    assert book.conventions == Conventions(True, False, ("pesten",), {"pesten": "online"})
    again, errors = parse_codebook_text(dump_codebook(book), "again.yaml")
    assert not errors and again.conventions == book.conventions
    assert load_codebook(default_codebook_path()).conventions == Conventions()  # the bundled rules 1, 3, 4


@pytest.mark.parametrize("block, problem", [
    ("  moderator_questions: ja\n", "conventions.moderator_questions must be true or false"),
    ("  not_coded: [bestaat_niet]\n", "conventions.not_coded names an unknown code 'bestaat_niet'"),
    ("  report_under: {pesten: pesten}\n", "conventions.report_under.pesten must name a top-level theme"),
    ("  not_coded: pesten\n", "conventions.not_coded must be a list of code ids"),
])
def test_codebook_check_refuses_a_bad_conventions_block_with_its_line(tmp_path, block, problem):
    text = BOOK.replace("  moderator_questions: true\n  not_coded: [pesten]\n  report_under: {pesten: online}\n", block)
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(main, ["codebook-check", str(f)])
    assert r.exit_code == 1 and f"{f}:3: " in r.stderr and problem in r.stderr, r.stderr


def test_an_unknown_convention_is_a_warning_not_an_error(tmp_path):
    f = tmp_path / "w.yaml"
    f.write_text(BOOK.replace("  moderator_questions: true\n", "  moderator_questions: true\n  zo_doen_wij: 1\n"),
                 encoding="utf-8")
    r = CliRunner().invoke(main, ["codebook-check", str(f)])
    assert r.exit_code == 0 and "unknown convention(s) ignored: zo_doen_wij" in r.stderr
    assert "moderator_questions=True" in r.stdout


def test_loading_a_codebook_changes_the_conventions_undoably(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(BOOK, encoding="utf-8")
    with Project.create(tmp_path / "p.miv", f) as p:
        assert p.conventions().moderator_questions
        plain = load_codebook(f)
        plain.conventions = Conventions()
        change = p.apply_codebook(plain, coder="anna")
        assert change.conventions and p.conventions() == Conventions()
        p.undo("anna")
        assert p.conventions().not_coded == ("pesten",)


def test_report_under_moves_where_a_code_counts(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(BOOK.replace("report_under: {pesten: online}", "report_under: {pesten: geweld}"), encoding="utf-8")
    (tmp_path / "fg.txt").write_text("Student 1: Ze pesten hem elke dag.\n", encoding="utf-8")
    with Project.create(tmp_path / "p.miv", f) as p:
        p.import_files([tmp_path / "fg.txt"])
        p.add_coding("fg", 0, "pesten", "anna")
        data = load_report_data(p)
        assert [s.theme for s in data.segments] == ["geweld"]


# -- the engine obeys ---------------------------------------------------------------------------------

TURNS = [
    "Gespreksleider: Hebben jullie op school wel eens discriminatie meegemaakt?",
    "Student 1: Ja, op stage werd ik anders behandeld vanwege mijn afkomst.",
    "Gespreksleider: En worden er wel eens mensen uitgescholden om hun geloof of hun huidskleur?",
    "Student 2: Ze noemden hem een aap vanwege zijn huidskleur, echt vaak.",
    "Gespreksleider: Bij wie kunnen jullie dat melden, is er een vertrouwenspersoon?",
    "Student 3: Ik zou naar mijn mentor gaan, of naar de vertrouwenspersoon, die is er altijd.",
]


def _suggested(tmp_path: Path, conventions: Conventions) -> dict[int, set[str]]:
    book = load_codebook(default_codebook_path())
    book.conventions = conventions
    folder = tmp_path / str(abs(hash(str(conventions))))
    folder.mkdir()
    (folder / "fg.txt").write_text("\n".join(TURNS) + "\n", encoding="utf-8")
    yaml_path = folder / "book.yaml"
    yaml_path.write_text(dump_codebook(book), encoding="utf-8")
    with Project.create(folder / "p.miv", yaml_path) as p:
        p.import_files([folder / "fg.txt"])
        service.refresh_suggestions(p)
        out: dict[int, set[str]] = {}
        for s in p.suggestions("fg"):
            out.setdefault(s.turn, set()).add(s.code)
        return out


def test_a_convention_setting_changes_the_suggestions(tmp_path):
    default = _suggested(tmp_path, Conventions())
    coded = _suggested(tmp_path, Conventions(moderator_questions=True))
    questions = {0, 2}
    assert len(questions & set(coded)) > len(questions & set(default)), (default, coded)
    assert any("melden_en_steun" in codes for codes in default.values()), default
    silent = _suggested(tmp_path, Conventions(not_coded=("melden_en_steun",)))
    assert not any("melden_en_steun" in codes for codes in silent.values()), silent


def test_sibling_themes_switch_off_one_behaviour_one_code():
    codes = load_codebook(default_codebook_path()).codes
    assert CodeIndex(codes).generic == "agressie_geweld"
    assert CodeIndex(codes, one_behaviour_one_code=False).generic is None
