"""Errors the front ends turn into a one-line message and an exit code.

`InputError` is the user's mistake (exit 1): a bad file, an unknown code, a
transcript that does not exist. Anything else is our bug and keeps its
traceback.
"""

from __future__ import annotations


class MivcodeError(Exception):
    """Base for errors with a message meant for the researcher."""


class InputError(MivcodeError):
    """Bad input named in one line; `details` holds every problem when there are several."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.details = details or [message]


class ProjectError(MivcodeError):
    """The project file cannot be used: not a project, corrupt, newer, locked, read-only."""


class ReadOnlyError(ProjectError):
    """A write was attempted on a project opened read-only."""
