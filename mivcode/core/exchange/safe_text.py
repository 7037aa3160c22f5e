"""Spreadsheet-injection guard shared by the Excel and CSV exports.

A quote that begins with `=`, `+`, `-` or `@` (or a tab or carriage return
before one of those, which some spreadsheet programs skip) would be run as a
formula when a researcher opens the file (CSV injection, OWASP). Quotes from
focus groups do begin with "- ja, maar…", so this is not hypothetical.
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_risky(value: str) -> bool:
    """True when a spreadsheet could read this text as a formula."""
    return value.startswith(_TRIGGERS) or value.lstrip(" \t\r\n").startswith(("=", "+", "-", "@"))


def csv_safe(value: str) -> str:
    """Prefix a risky text with an apostrophe, the convention spreadsheets hide on display."""
    return "'" + value if value and is_risky(value) else value


_ILLEGAL = ILLEGAL_CHARACTERS_RE if isinstance(ILLEGAL_CHARACTERS_RE, re.Pattern) else re.compile(
    r"[\000-\010]|[\013-\014]|[\016-\037]")


def xlsx_clean(value: str) -> str:
    """Remove control characters the xlsx format cannot hold (openpyxl would refuse the cell)."""
    return _ILLEGAL.sub("", value)
