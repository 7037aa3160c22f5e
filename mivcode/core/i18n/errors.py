"""Texts of errors raised with a catalogue key (`MivcodeError.keyed`); the English one is also their str()."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "error.folder_missing": ("{path}: map {folder} bestaat niet", "{path}: folder {folder} does not exist"),
    "error.cannot_overwrite": ("{path}: kan niet overschrijven (is het open in Excel?)",
                               "{path}: cannot overwrite (is it open in Excel?)"),
}
