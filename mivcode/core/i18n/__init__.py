"""The one text catalogue of mivcode: Dutch first, English available, for every layer.

The terminal UI, the command line, the Excel and CSV reports and the core's
progress messages all take their researcher-facing text from here, so a
translation never goes missing in a corner and a heading cannot be written
twice. `t(key, **values)` formats with `str.format` in the current language
(`set_language`, from `language` in config.toml or `MIVCODE_LANG`);
`t(key, lang="en")` asks for one language explicitly (`export --lang en`).
An unknown key shows itself, so a gap is visible in the UI and in tests
rather than crashing a coding session.

Why one Python module per area rather than gettext catalogues with Babel:
mivcode has two languages and a few hundred texts, and Dutch is the source
language, not English. gettext keys messages by their source text, needs a
compile step (.po to .mo) in the build and the tests, and Babel would be a
new dependency for that alone; a dict keyed by a stable id with the (nl, en)
pair side by side keeps both translations in one line a reviewer reads at
once, is checked by a plain test (every key in both languages, the same
`{placeholders}`), and is imported like any other module. Should a third
language or outside translators come, the pairs convert to .po files
mechanically.

The texts live in one module per area (`tui`, `cli`, `reports`, `progress`, `errors`);
their keys carry the area as prefix and may not collide.
"""

from __future__ import annotations

import string

from mivcode.core.i18n import cli, errors, progress, reports, suggest, tui

LANGUAGES = ("nl", "en")
_language = "nl"


def _merge(*areas) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for area in areas:
        clash = merged.keys() & area.MESSAGES.keys()
        if clash:
            raise RuntimeError(f"catalogue keys defined twice ({area.__name__}): {sorted(clash)}")
        merged.update(area.MESSAGES)
    return merged


MESSAGES: dict[str, tuple[str, str]] = _merge(tui, cli, reports, progress, errors, suggest)


def set_language(language: str | None) -> None:
    """The language of `t()` from now on; anything but a known language is Dutch."""
    global _language
    _language = language if language in LANGUAGES else "nl"


def language() -> str:
    return _language


def t(key: str, /, *, lang: str | None = None, **values) -> str:
    """The text for `key` in `lang` (default: the current language), formatted with `values`."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[1] if (lang or _language) == "en" else pair[0]
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in MESSAGES


def placeholders(text: str) -> set[str]:
    """The `{names}` a text expects (used by the catalogue test)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Texts:
    """The texts of one area in one language: `h["sheet"]`, `h("min_cell", n=5)`.

    For code that passes its language along rather than using the current one
    (the workbook is written in `--lang`, whatever the UI shows).
    """

    __slots__ = ("prefix", "lang")

    def __init__(self, prefix: str, lang: str | None = None) -> None:
        self.prefix = prefix
        self.lang = lang if lang in LANGUAGES else "nl"

    def __getitem__(self, key: str) -> str:
        return t(f"{self.prefix}.{key}", lang=self.lang)

    def __call__(self, key: str, **values) -> str:
        return t(f"{self.prefix}.{key}", lang=self.lang, **values)
