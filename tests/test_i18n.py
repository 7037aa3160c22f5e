"""The one text catalogue: complete in both languages, and used by every layer instead of literals."""

from __future__ import annotations

import re
from pathlib import Path

from mivcode.core import i18n

PACKAGE = Path(__file__).resolve().parent.parent / "mivcode"


def test_every_text_exists_in_both_languages_with_the_same_placeholders():
    assert len(i18n.MESSAGES) > 300
    for key, pair in i18n.MESSAGES.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        nl, en = pair
        assert nl.strip() and en.strip(), key
        assert i18n.placeholders(nl) == i18n.placeholders(en), key
        assert "lang" not in i18n.placeholders(nl), f"{key}: 'lang' is t()'s own keyword"
        nl.format(**dict.fromkeys(i18n.placeholders(nl), 1))  # no stray brace: it formats


def test_every_key_the_code_asks_for_exists():
    """A literal key in t("...") anywhere in mivcode/ (UI, CLI, exports, core) is in the catalogue."""
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\(\s*"([a-z_0-9]+\.[a-z_0-9.]+)"', text))
    assert len(used) > 100, "the scan found too few keys"
    assert sorted(k for k in used if not i18n.has(k)) == []


def test_current_and_explicit_language_and_an_unknown_key():
    try:
        i18n.set_language("en")
        assert i18n.t("home.progress", coded=1, turns=2) == "1/2 turns"
        assert i18n.t("home.progress", lang="nl", coded=1, turns=2) == "1/2 beurten"
        i18n.set_language("fr")  # unsupported: Dutch
        assert i18n.language() == "nl"
        assert i18n.t("home.progress", coded=1, turns=2) == "1/2 beurten"
        assert i18n.t("no.such.key") == "no.such.key"  # a gap shows itself instead of crashing
        workbook = i18n.Texts("xlsx", "en")
        assert (workbook["quotes"], workbook("min_cell", n=5)) == ("Quotes", 'Counts from 1 to 5 are shown as "<5" '
                                                                   "(privacy, --min-cell 5).")
    finally:
        i18n.set_language("nl")


def test_the_areas_do_not_define_a_key_twice():
    from mivcode.core.i18n import cli, progress, reports, tui

    sizes = [len(m.MESSAGES) for m in (cli, progress, reports, tui)]
    assert sum(sizes) == len(i18n.MESSAGES)
