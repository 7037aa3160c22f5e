"""`mivcode open` and `mivcode demo`: start the terminal coding UI.

Thin wrappers: the project is opened through the core API and handed to the
Textual app. Textual is imported only here, inside the commands, so the rest
of the CLI starts fast and works without a terminal.
"""

from __future__ import annotations

import os
import sys

import click

from mivcode.cli.base import coder_option, main, project_argument


def _coder(explicit: str | None) -> str | None:
    """--coder, then MIVCODE_CODER, then the configured name; None lets the UI ask once and remember."""
    from mivcode.core.config import load_settings

    for candidate in (explicit, os.environ.get("MIVCODE_CODER"), load_settings().coder):
        if candidate and candidate.strip():
            return candidate.strip()
    return None


def _run(project_path: str, coder: str | None, readonly: bool, transcript: str | None) -> None:
    from mivcode.core.errors import ProjectError
    from mivcode.core.project import Project
    from mivcode.tui.app import MivApp

    try:
        project = Project.open(project_path, readonly=readonly)
    except ProjectError as exc:
        if readonly or "read-only" not in str(exc).lower():
            raise
        project = Project.open(project_path, readonly=True)
    try:
        if transcript:
            project.transcript(transcript)  # fail with a clear message before the screen opens
        MivApp(project, coder, transcript=transcript).run()
    finally:
        project.close()


@main.command("open")
@project_argument
@coder_option
@click.option("--readonly", is_flag=True, help="Look without changing anything.")
@click.option("--transcript", help="Open this transcript straight away.")
def open_(project: str, coder: str | None, readonly: bool, transcript: str | None) -> None:
    """Code a project in the terminal UI (keyboard first; ? shows all keys)."""
    if not os.path.exists(project):
        raise click.UsageError(f"no project file '{project}' (create one with `mivcode init`)")
    _run(project, _coder(coder), readonly, transcript)


@main.command()
@coder_option
@click.option("--fresh", is_flag=True, help="Rebuild the demo project (your demo codings are lost).")
@click.option("--no-ui", is_flag=True, help="Print the demo project's overview and exit (also when not on a terminal).")
def demo(coder: str | None, fresh: bool, no_ui: bool) -> None:
    """Build (or reuse) a demo project from the bundled example transcripts and open it."""
    from mivcode.core.demo import EXAMPLE_CODER, ensure_demo, overview_lines
    from mivcode.core.i18n import t
    from mivcode.core.project import Project

    build = ensure_demo(fresh=fresh)
    if build.created:
        skipped = t("cli.demo_skipped", n=build.skipped_rows) if build.skipped_rows else ""
        click.echo(t("cli.demo_built", path=build.path, transcripts=build.transcripts,
                     codings=build.reference_codings, coder=EXAMPLE_CODER, skipped=skipped,
                     suggestions=build.suggestions), err=True)
    if no_ui or not sys.stdout.isatty() or not sys.stdin.isatty():
        with Project.open(build.path, readonly=True) as p:
            for line in overview_lines(p, coder=_coder(coder)):
                click.echo(line)
        return
    _run(str(build.path), _coder(coder), False, None)
