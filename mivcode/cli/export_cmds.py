"""Reports and exchange: `export` (xlsx, csv, qdpx, qdc), `import-qdpx`, `codebook-import`."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import click

from mivcode.cli.base import coder_option, main, open_project, project_argument
from mivcode.core.config import resolve_coder
from mivcode.core.errors import InputError
from mivcode.core.i18n import language, t

FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".qdpx": "qdpx", ".qdc": "qdc"}


@contextmanager
def _atomic(out: Path):
    """Write beside the target and rename at the end: a failed export never leaves half a file."""
    if not out.parent.exists():
        raise InputError.keyed("error.folder_missing", path=out, folder=out.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes it private; an export is an ordinary file
        try:
            os.replace(tmp_path, out)
        except PermissionError:
            raise InputError.keyed("error.cannot_overwrite", path=out) from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@main.command("export")
@project_argument
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--coder", "layer", metavar="NAME|consensus",
              help="Count this coder's codings (or the consensus layer). Default: the consensus layer when it "
                   "exists, else the only coder, else all coders together with the same span and code counted "
                   "once. The first rows of every sheet say which.")
@click.option("--min-cell", type=click.IntRange(min=2), metavar="N",
              help="Privacy: show counts from 1 to N-1 as \"<N\" (xlsx and csv --frequencies).")
@click.option("--institution", metavar="NAME",
              help="Only this institution's transcripts and quotes: the report you send to that school.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
              help="Language of sheet names and headings (xlsx).")
@click.option("--frequencies", is_flag=True, help="csv: the per-institution table instead of one row per segment.")
@click.option("--no-bom", is_flag=True,
              help="csv: plain UTF-8. By default a byte-order mark is written so Excel on Windows reads accents.")
@click.option("--delimiter", type=click.Choice([",", ";", "tab"]), default=",", show_default=True,
              help="csv: field separator (Dutch Excel opens ';' files with a double click).")
@click.option("--taguette", is_flag=True,
              help="csv: the codebook as Taguette's \"Import codebook\" reads it (tag, description).")
def export(project: str, out: str, layer: str | None, min_cell: int | None, institution: str | None, lang: str,
           frequencies: bool, no_bom: bool, delimiter: str, taguette: bool) -> None:
    """Export to OUT: a report workbook (.xlsx), a table (.csv) or REFI-QDA (.qdpx project, .qdc codebook).

    \b
    .xlsx  per institution × theme: segments, focus groups, share of turns; the same
           per group, leerweg and niveau; transcript × code and co-occurrence matrices;
           every quote (Citaten); the codebook; agreement when several coders coded.
    .csv   one row per coded segment (tidy), or --frequencies, or with --taguette
           the codebook for Taguette (which has no REFI-QDA import).
    .qdpx  the whole project for ATLAS.ti, MAXQDA, NVivo, QualCoder: every coder's
           codings and memos, or only those of --coder.
    .qdc   the codebook only.

    Text that a spreadsheet could run as a formula (=, +, -, @) is always stored as text.
    """
    target = Path(out)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise click.UsageError(f"{out}: unknown format; use .xlsx, .csv, .qdpx or .qdc")
    misplaced = [flag for flag, given, fits in (
        ("--frequencies", frequencies, ("csv",)), ("--no-bom", no_bom, ("csv",)),
        ("--delimiter", delimiter != ",", ("csv",)), ("--min-cell", min_cell is not None, ("xlsx", "csv")),
        ("--lang", lang != "nl", ("xlsx",)), ("--institution", institution is not None, ("xlsx", "csv")), ("--coder", layer is not None, ("xlsx", "csv", "qdpx")),
        ("--taguette", taguette, ("csv",)),
    ) if given and fmt not in fits]
    if misplaced:
        raise click.UsageError(f"{', '.join(misplaced)} does not apply to .{fmt} files")
    if taguette:
        fmt = "taguette"
        clash = [flag for flag, given in (("--frequencies", frequencies), ("--no-bom", no_bom),
                                          ("--delimiter", delimiter != ","), ("--min-cell", min_cell is not None),
                                          ("--institution", institution is not None), ("--coder", layer is not None))
                 if given]
        if clash:
            raise click.UsageError(f"{', '.join(clash)} does not apply to --taguette (the codebook only)")
    with open_project(project, readonly=True) as p, _atomic(target) as tmp:
        if fmt == "xlsx":
            from mivcode.core.exchange.excel import ExcelOptions, export_excel

            res = export_excel(p, tmp, ExcelOptions(coder=layer, min_cell=min_cell, lang=lang,
                                                        institution=institution))
            msg = t("cli.wrote_xlsx", path=target, sheets=len(res.sheets), segments=res.segments,
                    layer=res.layer.describe(language()))
        elif fmt == "csv":
            from mivcode.core.exchange.csv_export import CsvOptions, export_csv

            sep = "\t" if delimiter == "tab" else delimiter
            n, used = export_csv(p, tmp, CsvOptions(coder=layer, frequencies=frequencies, min_cell=min_cell,
                                                    bom=not no_bom, delimiter=sep, institution=institution))
            msg = t("cli.wrote_csv", path=target, rows=n, layer=used.describe(language()))
        elif fmt == "qdpx":
            from mivcode.core.exchange.refi_export import export_qdpx

            r = export_qdpx(p, tmp, coder=layer)
            msg = t("cli.wrote_qdpx", path=target, transcripts=r.sources, codes=r.codes, codings=r.codings,
                    selections=r.selections)
        elif fmt == "taguette":
            from mivcode.core.exchange.taguette import export_taguette_csv

            msg = t("cli.wrote_taguette", path=target, codes=export_taguette_csv(p, tmp))
        else:
            from mivcode.core.exchange.refi_export import export_qdc

            msg = t("cli.wrote_qdc", path=target, codes=export_qdc(p, tmp))
    click.echo(msg)


@main.command("import-qdpx")
@project_argument
@click.argument("file", type=click.Path(dir_okay=False))
@coder_option
def import_qdpx(project: str, file: str, coder: str | None) -> None:
    """Import a REFI-QDA project (.qdpx from ATLAS.ti, MAXQDA, NVivo, QualCoder, Taguette).

    Transcripts, codes (with their hierarchy) and codings with their coders come in, in one
    transaction; importing the same file again adds nothing.
    """
    from mivcode.core.exchange.refi_import import import_qdpx as run

    with open_project(project) as p:
        r = run(p, file, coder=resolve_coder(coder))
    for w in r.warnings:
        click.echo(t("cli.warning", warning=w), err=True)
    click.echo(t("cli.imported_qdpx", file=file, transcripts=len(r.transcripts_added),
                 transcripts_existing=len(r.transcripts_existing), codes=len(r.codes_added),
                 codes_existing=r.codes_existing, codings=r.codings_added, codings_existing=r.codings_existing)
               + (t("cli.imported_qdpx_memos", n=r.memos_added) if r.memos_added else ""))


@main.command("codebook-import")
@project_argument
@click.argument("file", type=click.Path(dir_okay=False))
@coder_option
def codebook_import(project: str, file: str, coder: str | None) -> None:
    """Add the codes of a REFI-QDA codebook (.qdc) to a project; existing codes are kept."""
    from mivcode.core.exchange.refi_import import import_qdc

    with open_project(project) as p:
        r = import_qdc(p, file, coder=resolve_coder(coder))
    click.echo(t("cli.imported_qdc", file=file, codes=len(r.codes_added), existing=r.codes_existing))
