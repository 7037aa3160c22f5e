"""The click group, error handling and output helpers every command shares."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from typing import Any

import click

from mivcode import __version__
from mivcode.core import i18n
from mivcode.core.errors import InputError, MivcodeError, ProjectError
from mivcode.core.i18n import t


class MivcodeGroup(click.Group):
    """Turns our errors into one line on stderr and exit 1; click's usage errors keep exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            fail(exc.localized(), extra=exc.details[1:])
        except MivcodeError as exc:
            fail(exc.localized())
        except KeyboardInterrupt:
            fail(t("cli.interrupted"), code=130)
        except BrokenPipeError:  # `mivcode codings … | head`
            sys.stderr.close()
            sys.exit(0)


def fail(message: str, *, extra: Sequence[str] = (), code: int = 1):
    # one line per problem, whatever a library put into the message (spaCy and SQLite quote with line breaks)
    click.echo(f"mivcode: error: {_one_line(message)}", err=True)
    for line in extra:
        click.echo(f"mivcode: error: {_one_line(line)}", err=True)
    sys.exit(code)


def _one_line(message: str) -> str:
    return message if "\n" not in message and "\r" not in message else " ".join(message.split())


@click.group(cls=MivcodeGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="mivcode")
def main() -> None:
    """Code Dutch focus-group transcripts (MIV mbo), as a team, in the terminal.

    A project is one SQLite file; every action is saved at once.
    """
    from mivcode.core.config import resolve_language

    i18n.set_language(resolve_language())  # messages in Dutch, or English with language = "en" / MIVCODE_LANG=en


def project_argument(f):
    return click.argument("project", type=click.Path(dir_okay=False))(f)


def coder_option(f):
    return click.option("--coder", help="Coder name (default: MIVCODE_CODER, the configured name, else your login).")(f)


def turn_code_arguments(f):
    """PROJECT TRANSCRIPT TURN CODE [--coder]: the address of one code on one turn (code, uncode, accept, reject)."""
    for decorate in (coder_option, click.argument("code"), click.argument("turn", type=int),
                     click.argument("transcript"), project_argument):
        f = decorate(f)
    return f


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON lines, one object per line.")(f)


@contextmanager
def open_project(path: str, *, readonly: bool = False):
    from mivcode.core.project import Project

    project = Project.open(path, readonly=readonly)
    try:
        yield project
    except (sqlite3.DatabaseError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        damage = project.damage(exc)
        if damage is None:
            raise  # the file is sound: our bug, keep the traceback
        raise ProjectError(f"{path}: the project file is damaged ({damage}); nothing was changed. Restore it "
                           "from a backup (a .bak copy beside it, or your own)") from None
    finally:
        project.close()


def emit(rows: Iterable[dict], as_json: bool, columns: Sequence[str] | None = None) -> None:
    """JSON lines for scripts (the keys are the contract), an aligned table with translated headers for people."""
    rows = list(rows)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if not rows:
        click.echo(t("cli.none"), err=True)
        return
    columns = list(columns or rows[0].keys())
    heads = [t(f"cli.col.{c}") if i18n.has(f"cli.col.{c}") else c for c in columns]
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [min(max(len(h), *(len(row[i]) for row in cells)), 60) for i, h in enumerate(heads)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(heads, widths)).rstrip())
    for row in cells:
        click.echo("  ".join(_fit(v, w).ljust(w) for v, w in zip(row, widths)).rstrip())


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    return " ".join(str(value).split())


def _fit(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"
