"""Project, import, codebook and coding commands (the foundation's contract)."""

from __future__ import annotations


import click

from mivcode.cli.base import (
    coder_option, emit, json_option, main, open_project, project_argument, turn_code_arguments,
)
from mivcode.core.codebook import code_tree, default_codebook_path, load_codebook, parse_codebook_text
from mivcode.core.config import resolve_coder
from mivcode.core.errors import InputError
from mivcode.core.files import read_input_text
from mivcode.core.i18n import language, t
from mivcode.core.importers.batch import meta_from_mapping, parse_meta_flags


@main.command()
@project_argument
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook YAML (default: the bundled MIV codebook).")
def init(project: str, codebook: str | None) -> None:
    """Create a new project file with a codebook."""
    from mivcode.core.project import Project

    book = load_codebook(codebook or default_codebook_path())
    with Project.create(project, book) as p:
        click.echo(t("cli.created", path=p.path, codebook=book.name, n=len(book.codes)))


@main.command("import")
@project_argument
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--manifest", type=click.Path(dir_okay=False), help="CSV: file, name, institution, group, leerweg, niveau, locatie, datum, …")
@click.option("--institution", help="Institution for every file (overrides the manifest).")
@click.option("--group", help="studenten or medewerkers, for every file.")
@click.option("--meta", "meta", multiple=True, metavar="KEY=VALUE", help="Extra metadata, repeatable.")
@coder_option
def import_(project: str, files: tuple[str, ...], manifest: str | None, institution: str | None, group: str | None,
            meta: tuple[str, ...], coder: str | None) -> None:
    """Import transcripts (.txt, .md, .docx, .odt, .rtf, .vtt, .srt); nothing is written if any file is bad."""
    overrides = meta_from_mapping(_meta_values(meta, institution, group), "--group")
    if not files and not manifest:
        raise click.UsageError("name one or more FILES, or a --manifest that lists them")
    with open_project(project) as p:
        report = p.import_files(list(files), manifest=manifest, overrides=overrides, coder=resolve_coder(coder))
    for line in report.skipped:
        click.echo(line, err=True)
    for name in report.imported:
        click.echo(t("cli.imported", name=name))
    if not report.imported:
        click.echo(t("cli.nothing_to_import"), err=True)


@main.command()
@project_argument
@coder_option
@json_option
def transcripts(project: str, coder: str | None, as_json: bool) -> None:
    """List transcripts with their progress."""
    with open_project(project, readonly=True) as p:
        rows = [
            {"name": s.name, "institution": s.meta.institution, "group": s.meta.group, "turns": s.turns,
             "words": s.words, "coded_turns": s.coded_turns,
             **({"open_suggestions": s.open_suggestions, "leerweg": s.meta.leerweg, "niveau": s.meta.niveau}
                if as_json else {})}
            for s in p.transcripts(coder)
        ]
    emit(rows, as_json)


@main.command()
@project_argument
@click.argument("transcript")
@json_option
def turns(project: str, transcript: str, as_json: bool) -> None:
    """List a transcript's turns with their character offsets."""
    with open_project(project, readonly=True) as p:
        tr = p.transcript(transcript)
        rows = [{"index": u.index, "speaker": u.speaker, "start": u.start, "end": u.end, "text": tr.turn_text(u)}
                for u in tr.turns]
    emit(rows, as_json, ["index", "speaker", "start", "end", "text"])


@main.command()
@turn_code_arguments
@click.option("--start", type=int, help="Span start (character offset in the transcript, as `turns` shows).")
@click.option("--end", type=int, help="Span end (exclusive).")
@click.option("--memo", help="A memo on this coding.")
def code(project: str, transcript: str, turn: int, code: str, coder: str | None, start: int | None,
         end: int | None, memo: str | None) -> None:
    """Code a whole turn, or a span that starts in the turn."""
    with open_project(project) as p:
        c = p.add_coding(transcript, turn, code, resolve_coder(coder), start=start, end=end, memo=memo)
    click.echo(t("cli.coded", transcript=transcript, turn=turn, start=c.start, end=c.end, code=code, coder=c.coder))


@main.command()
@turn_code_arguments
def uncode(project: str, transcript: str, turn: int, code: str, coder: str | None) -> None:
    """Remove a coder's codings of CODE in a turn."""
    who = resolve_coder(coder)
    with open_project(project) as p:
        n = p.remove_codings(transcript, turn, code, who)
    if not n:
        raise InputError(f"turn {turn} of '{transcript}' has no coding '{code}' by {who}")
    click.echo(t("cli.uncoded", n=n, code=code, transcript=transcript, turn=turn, coder=who))


@main.command()
@project_argument
@click.option("--coder", help="Only this coder's codings.")
@click.option("--transcript", help="Only this transcript.")
@click.option("--code", "code_id", help="Only this code (and its sub-codes).")
@json_option
def codings(project: str, coder: str | None, transcript: str | None, code_id: str | None, as_json: bool) -> None:
    """List codings."""
    with open_project(project, readonly=True) as p:
        rows = [
            {"transcript": c.transcript, "turn": c.turn, "start": c.start, "end": c.end, "code": c.code,
             "coder": c.coder, "origin": c.origin, "memo": c.memo}
            for c in p.codings(coder=coder, transcript=transcript, code=code_id, include_subcodes=True)
        ]
    emit(rows, as_json)


@main.command()
@project_argument
@json_option
def codebook(project: str, as_json: bool) -> None:
    """Show the project's codebook as a tree."""
    with open_project(project, readonly=True) as p:
        codes = p.codes()
        counts = p.code_counts()
    if as_json:
        emit(({"id": c.id, "parent": c.parent, "label": c.label, "shortcut": c.shortcut, "color": c.color}
              for c in codes), True)
        return
    for row in code_tree(codes):
        c = row.code
        key = f"[{c.shortcut}]" if c.shortcut else "   "
        click.echo(f"{'  ' * row.depth}{key} {c.id}  {c.label}  ({counts.get(c.id, 0)})")


@main.command("codebook-check")
@click.argument("file", type=click.Path(dir_okay=False))
def codebook_check(file: str) -> None:
    """Validate a codebook file; errors as FILE:LINE: problem."""
    text = read_input_text(file, "codebook file")
    book, errors = parse_codebook_text(text, file)
    for w in book.warnings:
        click.echo(t("cli.warning", warning=w), err=True)
    if errors:
        raise InputError(errors[0], details=errors)
    top = sum(1 for c in book.codes if c.parent is None)
    click.echo(t("cli.codebook_ok", file=file, n=len(book.codes), themes=top))
    click.echo(t("cli.conventions", conventions=_conventions_text(book.conventions)))


@main.command("codebook-load")
@project_argument
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--merge", "merges", multiple=True, metavar="OLD=NEW",
              help="Move the codings of a removed code OLD into NEW. Repeatable.")
@coder_option
def codebook_load(project: str, file: str, merges: tuple[str, ...], coder: str | None) -> None:
    """Load a changed codebook into a project; every coding is kept."""
    merge_into = {}
    for m in merges:
        if "=" not in m:
            raise click.UsageError(f"--merge {m!r}: expected OLD=NEW")
        old, new = m.split("=", 1)
        merge_into[old.strip()] = new.strip()
    book = load_codebook(file)
    with open_project(project) as p:
        change = p.apply_codebook(book, merge_into=merge_into, coder=resolve_coder(coder))
    click.echo(t("cli.codebook_loaded", added=len(change.added), updated=len(change.updated),
                 removed=len(change.removed), merged=len(change.merged)))
    if change.conventions:
        click.echo(t("cli.conventions_changed", conventions=_conventions_text(book.conventions)))


def _conventions_text(conventions) -> str:
    shown = conventions.to_dict()
    return ", ".join(f"{k}={v}" for k, v in shown.items()) or t("cli.conventions_default")


@main.command()
@project_argument
@click.argument("transcript")
@click.argument("turn", type=int)
@click.argument("text", required=False)
@coder_option
def memo(project: str, transcript: str, turn: int, text: str | None, coder: str | None) -> None:
    """Set (or with no TEXT, show) a coder's memo on a turn; an empty TEXT clears it."""
    who = resolve_coder(coder)
    with open_project(project, readonly=text is None) as p:
        if text is None:
            click.echo(p.turn_memo(transcript, turn, who) or "")
            return
        p.set_turn_memo(transcript, turn, text, who)
    click.echo(t("cli.memo_set" if text else "cli.memo_cleared", transcript=transcript, turn=turn, coder=who))


@main.command()
@project_argument
@coder_option
def undo(project: str, coder: str | None) -> None:
    """Undo the coder's last action."""
    _step(project, coder, redo=False)


@main.command()
@project_argument
@coder_option
def redo(project: str, coder: str | None) -> None:
    """Redo what the coder last undid."""
    _step(project, coder, redo=True)


def _step(project: str, coder: str | None, *, redo: bool) -> None:
    who = resolve_coder(coder)
    with open_project(project) as p:
        step = p.redo(who) if redo else p.undo(who)
    if step is None:
        click.echo(t("cli.nothing_redo" if redo else "cli.nothing_undo", coder=who))
    else:
        click.echo(t("cli.redone" if redo else "cli.undone", what=_described(step)))


def _described(step) -> str:
    """What undo/redo did, with the action that logged a batch (codebook, merge, consensus, …)."""
    from mivcode.core.ops import Batch

    op = step.op
    return op.describe(language()) + (f" ({step.label})" if step.label and isinstance(op, Batch) else "")


@main.command()
@project_argument
@click.option("--transcript", required=True)
@click.option("--institution")
@click.option("--group")
@click.option("--meta", "meta", multiple=True, metavar="KEY=VALUE")
@coder_option
def meta(project: str, transcript: str, institution: str | None, group: str | None, meta: tuple[str, ...],
         coder: str | None) -> None:
    """Change a transcript's metadata."""
    with open_project(project) as p:
        current = p.transcript(transcript).meta
        update = meta_from_mapping(_meta_values(meta, institution, group), "--group")
        p.set_transcript_meta(transcript, current.merged(update), resolve_coder(coder))
    click.echo(t("cli.meta_updated", transcript=transcript))


def _meta_values(pairs: tuple[str, ...], institution: str | None, group: str | None) -> dict[str, str]:
    values = parse_meta_flags(pairs)
    if institution:
        values["institution"] = institution
    if group:
        values["group"] = group
    return values


@main.command()
def doctor() -> None:
    """Show versions, the configuration and which spaCy pipeline suggestions use."""
    import platform

    import spacy
    import textual

    from mivcode import __version__
    from mivcode.core.config import config_path, load_settings, resolve_language

    settings = load_settings()
    click.echo(f"mivcode {__version__}, Python {platform.python_version()}, spaCy {spacy.__version__}, "
               f"Textual {textual.__version__}")
    click.echo(t("cli.doctor_config", path=config_path(), coder=resolve_coder(None, settings),
                 language=resolve_language(settings)))
    from mivcode.core.suggest.pipeline import describe_pipeline

    click.echo(t("cli.doctor_pipeline", pipeline=describe_pipeline(settings.spacy_model)))
