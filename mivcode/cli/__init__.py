"""The `mivcode` command: one thin click command per core API call.

Each area registers its commands from its own module so that the CLI reads
like the folder tree: project and coding here, queries, suggestions, team work,
exports and the UI beside it.
"""

from mivcode.cli.base import main
from mivcode.cli import project_cmds, query_cmds, suggest_cmds, team_cmds, export_cmds, ui_cmds  # noqa: F401,E402  (registration)

__all__ = ["main"]
