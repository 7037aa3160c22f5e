"""The MIV codebook file, its validation messages, and loading a changed codebook into a project."""

from __future__ import annotations

import pytest

from mivcode.core.codebook import default_codebook_path, dump_codebook, load_codebook, parse_codebook_text
from mivcode.core.errors import InputError

THEMES = {
    "discriminatie", "online_veiligheid", "lhbtiq", "diversiteit_inclusie", "agressie_geweld",
    "seksueel_grensoverschrijdend", "discussies_met_gevolgen", "geaccepteerde_onveiligheid",
}


def test_bundled_codebook_has_exactly_the_eight_themes_and_full_entries():
    book = load_codebook(default_codebook_path())
    assert {c.id for c in book.codes if c.parent is None} == THEMES
    subcodes = [c for c in book.codes if c.parent]
    assert len(subcodes) >= 20
    for c in book.codes:
        assert c.label and c.definition and c.color.startswith("#"), c.id
        assert c.include and c.exclude and c.examples, c.id
    for theme in THEMES - {"geaccepteerde_onveiligheid"}:
        family = [c for c in book.codes if c.id == theme or c.parent == theme]
        assert sum(len(c.keywords) for c in family) >= 20, theme
    composite = next(c for c in book.codes if c.id == "geaccepteerde_onveiligheid")
    normalising = next(c for c in book.codes if c.id == "normalisering")
    assert (composite.markers or normalising.markers) and (composite.requires or normalising.requires)
    shortcuts = [c.shortcut for c in book.codes if c.shortcut]
    assert len(shortcuts) == len(set(shortcuts))
    assert {c.shortcut for c in book.codes if c.id in THEMES} == set("12345678")


def test_dump_and_parse_round_trip():
    book = load_codebook(default_codebook_path())
    again, errors = parse_codebook_text(dump_codebook(book), "again.yaml")
    assert errors == []
    assert [(c.id, c.parent, c.label, c.keywords) for c in again.codes] == [
        (c.id, c.parent, c.label, c.keywords) for c in book.codes
    ]


BROKEN = """\
name: kapot
codes:
  - id: a
    label: A
    color: "#112233"
    shortcut: "1"
  - id: a
    label: A again
  - id: b
    label: B
    parent: onbekend
  - id: c
    label: C
    parent: d
    color: rood
  - id: d
    label: D
    parent: c
    shortcut: "1"
  - id: e
    label: E
    shortcut: j
"""


def test_validation_reports_every_problem_with_file_and_line():
    _, errors = parse_codebook_text(BROKEN, "kapot.yaml")
    text = "\n".join(errors)
    assert "kapot.yaml:7: duplicate id 'a' (first at line 3)" in text
    assert "kapot.yaml:9: code 'b' has unknown parent 'onbekend'" in text
    assert "kapot.yaml:12: code 'c' has bad colour 'rood'" in text
    assert "kapot.yaml:16: shortcut '1' of 'd' is already used by 'a' (line 3)" in text
    assert "parent cycle: c -> d -> c" in text
    assert "kapot.yaml:20: code 'e' shortcut 'j' is reserved" in text


def test_invalid_yaml_names_the_line():
    _, errors = parse_codebook_text("name: x\ncodes:\n  - id: a\n   label: [\n", "x.yaml")
    assert errors and errors[0].startswith("x.yaml:") and "invalid YAML" in errors[0]


def test_yaml_tags_that_would_run_code_are_refused():
    _, errors = parse_codebook_text("codes: !!python/object/apply:os.system ['echo hi']\n", "evil.yaml")
    assert errors and "invalid YAML" in errors[0]


def edited(small_codebook, old: str, new: str):
    text = small_codebook.read_text(encoding="utf-8")
    assert old in text
    path = small_codebook.with_name("edited.yaml")
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_codebook(path)


def test_renamed_label_follows_the_id(project, small_codebook):
    project.add_coding("fg_roc_studenten", 1, "racisme", "ann")
    change = project.apply_codebook(edited(small_codebook, "label: Racisme", "label: Racisme en afkomst"))
    assert change.updated == ["racisme"]
    assert project.code("racisme").label == "Racisme en afkomst"
    assert [c.code for c in project.codings()] == ["racisme"]


def test_removing_a_coded_code_is_refused_unless_merged(project, small_codebook):
    project.add_coding("fg_roc_studenten", 1, "racisme", "ann")
    project.add_coding("fg_roc_studenten", 1, "discriminatie", "ann")
    project.add_coding("fg_roc_studenten", 2, "racisme", "ann")
    text = small_codebook.read_text(encoding="utf-8")
    start = text.index("  - id: racisme")
    end = text.index("  - id: agressie_geweld")
    path = small_codebook.with_name("without.yaml")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    book = load_codebook(path)
    with pytest.raises(InputError, match="'racisme' is removed but has 2 coding"):
        project.apply_codebook(book)
    assert project.code("racisme")  # unchanged
    change = project.apply_codebook(book, merge_into={"racisme": "discriminatie"}, coder="ann")
    assert change.merged == {"racisme": "discriminatie"}
    # turn 1 had both: the duplicate collapses; turn 2 moves
    assert sorted((c.turn, c.code) for c in project.codings()) == [(1, "discriminatie"), (2, "discriminatie")]
    assert "racisme" not in {c.id for c in project.codes()}
    # the whole codebook change is one undoable step
    project.undo("ann")
    assert sorted((c.turn, c.code) for c in project.codings()) == [(1, "discriminatie"), (1, "racisme"), (2, "racisme")]


def test_merge_codes_from_the_codebook_screen_is_undoable(project):
    project.add_coding("fg_roc_studenten", 1, "racisme", "ann")
    project.merge_codes("racisme", "discriminatie", "ann")
    assert [c.code for c in project.codings()] == ["discriminatie"]
    project.undo("ann")
    assert [c.code for c in project.codings()] == ["racisme"]
    assert "racisme" in {c.id for c in project.codes()}
