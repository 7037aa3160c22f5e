"""Commands of this area register on `mivcode.cli.base.main` (filled in by its issue)."""

from mivcode.cli.base import main  # noqa: F401
