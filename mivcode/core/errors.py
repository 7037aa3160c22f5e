"""Errors the front ends turn into a one-line message and an exit code.

`InputError` is the user's mistake (exit 1): a bad file, an unknown code, a
transcript that does not exist. Anything else is our bug and keeps its
traceback.
"""

from __future__ import annotations


class MivcodeError(Exception):
    """Base for errors with a message meant for the researcher.

    An error raised with `keyed("error.x", **values)` carries a catalogue key:
    its `str()` stays the English text (what scripts and tests match), and
    `localized()`, which the CLI and the UI show, is the text in the current
    language. Most errors still carry only their English message (a wording
    scripts rely on); they move to keys one by one, and `localized()` shows
    the message until then.
    """

    key: str | None = None
    values: dict | None = None

    @classmethod
    def keyed(cls, key: str, /, **values):
        from mivcode.core import i18n

        error = cls(i18n.t(key, lang="en", **values))
        error.key, error.values = key, values
        return error

    def localized(self) -> str:
        if self.key is None:
            return str(self)
        from mivcode.core import i18n

        return i18n.t(self.key, **(self.values or {}))


class InputError(MivcodeError):
    """Bad input named in one line; `details` holds every problem when there are several."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.details = details or [message]


class ProjectError(MivcodeError):
    """The project file cannot be used: not a project, corrupt, newer, locked, read-only."""


class ReadOnlyError(ProjectError):
    """A write was attempted on a project opened read-only."""
