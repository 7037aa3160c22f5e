"""The demo project: the bundled example transcripts, ready to code in one command.

`mivcode demo` should show a new user (or a reviewer comparing mivcode with
ATLAS.ti or MAXQDA) a realistic project in seconds: the example focus groups
imported with their manifest (institution, group), and the reference codings
loaded as coder `voorbeeld` so retrieval and agreement have something to show.
It lives in the user data folder and is reused, so a user's own demo codings
survive; `fresh=True` rebuilds it. Built in a temporary file and moved into
place, so an interrupted build never leaves a half project behind.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from mivcode.core import i18n
from mivcode.core.codebook import bundled_path, default_codebook_path
from mivcode.core.config import data_dir
from mivcode.core.errors import InputError, MivcodeError
from mivcode.core.project import Project

EXAMPLE_CODER = "voorbeeld"
DEMO_FILE = "demo.miv"


@dataclass(slots=True)
class DemoBuild:
    path: Path
    created: bool
    transcripts: int = 0
    reference_codings: int = 0
    skipped_rows: int = 0
    suggestions: int = 0


def demo_path() -> Path:
    return data_dir() / DEMO_FILE


def examples_dir() -> Path:
    return bundled_path("transcripts_example")


def ensure_demo(path: Path | None = None, *, fresh: bool = False) -> DemoBuild:
    """Return the demo project, building it when missing (or when `fresh`)."""
    path = Path(path) if path else demo_path()
    if path.exists() and not fresh:
        return DemoBuild(path, created=False)
    examples = examples_dir()
    manifest = examples / "manifest.csv"
    if not manifest.exists():
        raise InputError(f"the example transcripts are missing ({manifest})")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".building-{os.getpid()}")
    for leftover in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        leftover.unlink(missing_ok=True)
    build = DemoBuild(path, created=True)
    project = Project.create(tmp, default_codebook_path())
    try:
        report = project.import_files([], manifest=manifest, coder=EXAMPLE_CODER)
        build.transcripts = len(report.imported)
        build.reference_codings, build.skipped_rows = load_reference_codings(project, examples / "reference_codings.csv")
        build.suggestions = compute_suggestions(project)
    finally:
        project.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)
    return build


def load_reference_codings(project: Project, csv_path: Path, coder: str = EXAMPLE_CODER) -> tuple[int, int]:
    """Whole-turn codings from a transcript,turn,code CSV; rows the project cannot take are counted, not fatal."""
    if not csv_path.exists():
        return 0, 0
    added = skipped = 0
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            try:
                project.add_coding(row["transcript"].strip(), int(row["turn"]), row["code"].strip(), coder,
                                   origin="import")
                added += 1
            except (MivcodeError, ValueError, KeyError):
                skipped += 1
    return added, skipped


def compute_suggestions(project: Project) -> int:
    """Open suggestions so the demo shows the a/x review flow at once."""
    from mivcode.core.suggest.service import refresh_suggestions  # lazy: loads spaCy

    try:
        refresh_suggestions(project)
    except MivcodeError:
        return 0  # e.g. a broken spaCy setup: the demo still opens, suggestions can be run later
    return len(project.suggestions(status="open"))


def overview_lines(project: Project, coder: str | None = None) -> list[str]:
    """The `--no-ui` overview: path, then transcripts grouped by institution with progress."""
    lines = [i18n.t("cli.demo.project", path=project.path)]
    summaries = sorted(project.transcripts(coder=coder),
                       key=lambda s: (s.meta.institution or "", s.meta.group or "", s.name))
    lines.append(i18n.t("cli.demo.totals", transcripts=len(summaries), codes=len(project.codes()),
                        coders=", ".join(project.coders_with_codings()) or "-"))
    width = max((len(s.name) for s in summaries), default=10)
    by = i18n.t("cli.demo.by", coder=coder) if coder else ""
    for s in summaries:
        lines.append(f"  {s.name:<{width}}  {s.meta.institution or '-'} / {s.meta.group or '-'}  "
                     + i18n.t("cli.demo.line", coded=s.coded_turns, turns=s.turns, by=by, open=s.open_suggestions))
    return lines
