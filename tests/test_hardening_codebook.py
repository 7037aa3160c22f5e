"""Hostile codebook YAML: a clean codebook or `file:line` errors — never a traceback, a hang or code execution."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mivcode.core.codebook import MAX_YAML_DEPTH, Codebook, load_codebook, parse_codebook_text
from mivcode.core.errors import InputError
from mivcode.core.project import Project
from tests.conftest import dump

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> tuple[Codebook, list[str]]:
    book, errors = parse_codebook_text(text, "cb.yaml")
    assert isinstance(errors, list)
    for e in errors:
        assert isinstance(e, str) and e.startswith("cb.yaml:") and "\n" not in e.strip()
        line = e.split(":")[1]
        assert line.isdigit() and int(line) >= 1
    if not errors:
        for c in book.codes:
            assert isinstance(c.id, str) and isinstance(c.label, str)
            assert c.parent is None or isinstance(c.parent, str)
    return book, errors


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    _check(text)


_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(["discriminatie", "racisme", "#c0392b", "1", "r", ""]))
_value = st.recursive(_scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.one_of(st.text(max_size=8), st.integers()),
                                                                       inner, max_size=4)), max_leaves=12)
_field = st.sampled_from(["id", "label", "label_en", "parent", "color", "shortcut", "definition", "include",
                          "exclude", "examples", "keywords", "patterns", "markers", "requires", "onbekend"])
_code = st.dictionaries(_field, _value, max_size=8)


@FUZZ
@given(codes=st.lists(_code, max_size=6), name=_value, version=_value)
def test_structured_codebooks(codes, name, version):
    """Codebooks that look almost right: every field with every kind of wrong value."""
    text = yaml.safe_dump({"name": name, "version": version, "codes": codes}, allow_unicode=True)
    _check(text)


@FUZZ
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30),
                max_size=5))
def test_odd_unicode_in_labels_roundtrips(labels):
    codes = [{"id": f"c{i}", "label": label or "x"} for i, label in enumerate(labels)]
    text = yaml.safe_dump({"name": "t", "codes": codes}, allow_unicode=True)
    book, errors = _check(text)
    if not errors:
        assert [c.label for c in book.codes] == [(label or "x").strip() for label in labels]
    else:
        assert any(not (label or "x").strip() for label in labels)  # only an all-blank label is refused


BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi")]
)

CRAFTED = {
    "billion laughs in name": BILLION_LAUGHS + "\nname: *i\ncodes:\n  - id: a\n    label: A\n",
    "billion laughs in patterns": BILLION_LAUGHS + "\ncodes:\n  - id: a\n    label: A\n    patterns: [*i]\n",
    "billion laughs in definition": BILLION_LAUGHS + "\ncodes:\n  - id: a\n    label: A\n    definition: *i\n",
    "python object apply": "codes: !!python/object/apply:os.system ['touch /tmp/mivcode-pwned']\n",
    "python name": "name: !!python/name:os.system\ncodes: []\n",
    "python object new": "codes:\n  - !!python/object/new:subprocess.Popen [['touch', '/tmp/mivcode-pwned']]\n",
    "deep sequence": "codes: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep mapping": "codes:\n  - id: a\n    label: A\n    patterns: " + "[{a: " * 3000 + "}]" * 3000 + "\n",
    "version text": "version: abc\ncodes:\n  - id: a\n    label: A\n",
    "version list": "version: [1]\ncodes:\n  - id: a\n    label: A\n",
    "version superscript": "version: '²'\ncodes:\n  - id: a\n    label: A\n",
    "parent mapping": "codes:\n  - id: a\n    label: A\n    parent: {x: 1}\n",
    "unhashable key": "codes:\n  - ? [a]\n    : b\n",
    "binary": "\x00\x01\x02codes",
    "tabs": "codes:\n\t- id: a\n",
}


@pytest.mark.parametrize("name", CRAFTED)
def test_crafted_codebooks_are_refused_in_one_line(name, tmp_path):
    text = CRAFTED[name]
    book, errors = _check(text)
    assert errors, f"{name}: accepted"
    assert not Path("/tmp/mivcode-pwned").exists()
    f = tmp_path / "kwaad codeboek é.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_codebook(f)
    assert str(err.value).startswith(str(f) + ":")


def test_aliases_of_single_values_still_work():
    text = "codes:\n  - id: a\n    label: A\n    color: &rood '#c0392b'\n  - id: b\n    label: B\n    color: *rood\n"
    book, errors = _check(text)
    assert errors == []
    assert [c.color for c in book.codes] == ["#c0392b", "#c0392b"]


def test_moderate_nesting_still_works():
    depth = MAX_YAML_DEPTH - 4
    text = "codes:\n  - id: a\n    label: A\n    definition: x\n    onbekend: " + "[" * depth + "]" * depth + "\n"
    book, errors = _check(text)
    assert errors == [] and book.codes[0].id == "a"


def test_non_string_field_names_are_warned_not_crashed():
    book, errors = _check("codes:\n  - id: a\n    label: A\n    1: x\n    foo: y\n")
    assert errors == []
    assert book.warnings and "1, foo" in book.warnings[0]


@pytest.mark.parametrize("name", ["billion laughs in name", "python object apply", "deep sequence", "version text"])
def test_cli_reports_one_line_and_exit_1(name, tmp_path):
    f = tmp_path / "code boek.yaml"
    f.write_text(CRAFTED[name], encoding="utf-8")
    for args in (["codebook-check", str(f)], ["init", str(tmp_path / "p.miv"), "--codebook", str(f)]):
        r = subprocess.run(["mivcode", *args], capture_output=True, text=True, timeout=60)
        assert r.returncode == 1, r.stderr
        assert "Traceback" not in r.stderr
        first = r.stderr.splitlines()[0]
        assert first.startswith("mivcode: error: ") and str(f) in first
        assert all(line.startswith("mivcode: error: ") for line in r.stderr.splitlines())
    assert not (tmp_path / "p.miv").exists() or (tmp_path / "p.miv").stat().st_size == 0


def test_bad_codebook_load_leaves_project_untouched(project: Project, tmp_path):

    f = tmp_path / "nieuw.yaml"
    f.write_text(CRAFTED["billion laughs in definition"], encoding="utf-8")
    before = dump(project.path)
    with pytest.raises(InputError):
        project.apply_codebook(load_codebook(f))
    assert dump(project.path) == before


def test_deep_parent_chain_validates_in_linear_time():
    """5,000 codes each the parent of the next (a crafted .qdc or YAML): validation used to be cubic."""
    from mivcode.core.codebook import validate_structure
    from mivcode.core.model import Code

    n = 5000
    codes = [Code(id=f"c{i}", label=f"c{i}", parent=f"c{i - 1}" if i else None) for i in range(n)]
    assert validate_structure(codes) == []
    codes[0] = Code(id="c0", label="c0", parent=f"c{n - 1}")  # close the loop
    errors = validate_structure(codes)
    assert len(errors) == 1 and "parent cycle" in errors[0]
