"""Team work: merge coders' files, measure agreement, settle disagreements into a consensus layer."""

from __future__ import annotations

import click

from mivcode.cli.base import coder_option, emit, json_option, main, open_project, project_argument
from mivcode.core.config import resolve_coder
from mivcode.core.errors import InputError
from mivcode.core.i18n import t


def _coder_list(value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [v.strip() for v in value.split(",") if v.strip()]
    if not names:
        raise InputError("--coders: name at least one coder, comma-separated (e.g. --coders anna,bram)")
    return names


@main.command()
@project_argument
@click.argument("others", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--codebook-conflicts", "conflicts", type=click.Choice(["refuse", "ours", "theirs"]), default="refuse",
              show_default=True,
              help="A code with the same id but another label, parent or definition: refuse (list them), "
                   "keep ours, or take theirs.")
@coder_option
def merge(project: str, others: tuple[str, ...], conflicts: str, coder: str | None) -> None:
    """Merge other coders' project files into PROJECT (transcripts, codes, codings, memos).

    Transcripts are matched by content, codings keep their coder and origin;
    merging the same file twice changes nothing. The other files are only
    read. All or nothing: on any problem PROJECT stays as it was.
    """
    from mivcode.core.team.merge import merge_projects

    with open_project(project) as p:
        report = merge_projects(p, list(others), conflicts=conflicts, coder=resolve_coder(coder))
    for c in report.conflicts:
        click.echo(t("cli.merge.conflict_ours" if conflicts == "ours" else "cli.merge.conflict_theirs",
                     conflict=c.describe()), err=True)
    for s in report.sources:
        parts = [t("cli.merge.codings", added=s.codings_added, present=s.codings_present)]
        if s.transcripts_added:
            parts.append(t("cli.merge.transcripts", n=len(s.transcripts_added), names=", ".join(s.transcripts_added)))
        if s.codes_added:
            parts.append(t("cli.merge.codes_added", n=len(s.codes_added), names=", ".join(s.codes_added)))
        if s.codes_replaced:
            parts.append(t("cli.merge.codes_replaced", n=len(s.codes_replaced), names=", ".join(s.codes_replaced)))
        if s.codings_differing:
            parts.append(t("cli.merge.codings_differing", n=s.codings_differing))
        if s.meta_differing:
            parts.append(t("cli.merge.meta_differing", names=", ".join(s.meta_differing)))
        if s.memos_added or s.memos_kept:
            parts.append(t("cli.merge.memos", added=s.memos_added, kept=s.memos_kept))
        click.echo(t("cli.merge.source", path=s.path, parts="; ".join(parts), coders=", ".join(s.coders) or "-"))
    if not report.changed:
        click.echo(t("cli.merge.nothing_new"))


_TURN_COLUMNS = ["code", "units", "percent", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "ac1", "opm"]
_SPAN_COLUMNS = ["code", "units", "nvivo_agreement", "nvivo_kappa", "segment_percent", "segment_kappa", "segments",
                 "unitized_alpha", "opm"]


@main.command()
@project_argument
@click.option("--coders", help="Comma-separated coders to compare (default: every coder with codings, not consensus).")
@click.option("--code", "code_id", help="Only this code.")
@click.option("--level", type=click.Choice(["turn", "span"]), default="turn", show_default=True,
              help="turn: present/absent per turn; span: characters (NVivo), segments (MAXQDA), unitized alpha.")
@click.option("--rollup/--no-rollup", default=False, show_default=True,
              help="Count sub-codes as their top-level theme.")
@click.option("--min-overlap", type=float, default=0.9, show_default=True,
              help="Span level: share of overlap for two segments to match (MAXQDA style).")
@click.option("--participants-only", is_flag=True,
              help="Turn level: leave the moderator's turns out of the units (nobody codes them).")
@json_option
def agreement(project: str, coders: str | None, code_id: str | None, level: str, rollup: bool, min_overlap: float,
              participants_only: bool, as_json: bool) -> None:
    """Inter-coder agreement per code and overall (_all), each figure with its number of units.

    A figure that cannot be computed (one coder, no variation) is shown as -
    (null in JSON) with the reason in a note, never as a number.
    """
    from mivcode.core.team.agreement import agreement_table

    with open_project(project, readonly=True) as p:
        rows = agreement_table(p, _coder_list(coders), code_id, level, rollup=rollup, min_overlap=min_overlap,
                               participants_only=participants_only)
    if as_json:
        emit(rows, True)
        return
    units = t("cli.agreement.units_participants" if participants_only
              else "cli.agreement.units_turn" if level == "turn" else "cli.agreement.units_span")
    click.echo(t("cli.agreement.header", level=level, units=units, coders=", ".join(rows[0]["coders"]) if rows else "-",
                 codes=t("cli.agreement.as_themes" if rollup else "cli.agreement.as_coded"))
               + (t("cli.agreement.min_overlap", overlap=f"{min_overlap:.0%}") if level == "span" else ""))
    notes: list[str] = []
    table = []
    for r in rows:
        marks = []
        for figure, note in r["notes"].items():
            text = f"{figure}: {note}"
            if text not in notes:
                notes.append(text)
            marks.append(str(notes.index(text) + 1))
        table.append({**r, "opm": ",".join(f"[{m}]" for m in marks)})
    emit(table, False, _TURN_COLUMNS if level == "turn" else _SPAN_COLUMNS)
    for i, text in enumerate(notes, 1):
        click.echo(f"[{i}] {text}")


@main.command()
@project_argument
@click.option("--coders", required=True, help="Comma-separated coders whose codings are compared (e.g. anna,bram).")
@click.option("--auto", "auto", type=click.Choice(["agreed"]), required=True,
              help="agreed: copy every turn on which the coders agree into the consensus layer.")
@coder_option
def consensus(project: str, coders: str, auto: str, coder: str | None) -> None:
    """Fill the consensus layer (coder 'consensus') where the coders already agree; undoable.

    Undo with `mivcode undo PROJECT --coder consensus`.
    """
    from mivcode.core.team.consensus import auto_agreed

    with open_project(project) as p:
        result = auto_agreed(p, _coder_list(coders) or [], by=resolve_coder(coder))
    click.echo(t("cli.consensus_done", codings=result.codings, turns=result.turns,
                 disagreements=result.disagreements))


@main.command()
@project_argument
@click.option("--coders", required=True, help="Comma-separated coders to compare (2-5).")
@coder_option
def adjudicate(project: str, coders: str, coder: str | None) -> None:
    """Walk through the disagreements and settle each into the consensus layer (full screen)."""
    from mivcode.core.team.consensus import check_coders
    from mivcode.tui.app import MivApp

    names = _coder_list(coders) or []
    with open_project(project) as p:
        check_coders(p, names)  # a clear one-line error before the screen opens
        MivApp(p, resolve_coder(coder), adjudicate=names).run()


@main.command()
@project_argument
@click.option("--coders", required=True, help="Comma-separated coders to compare.")
@json_option
def disagreements(project: str, coders: str, as_json: bool) -> None:
    """List the turns where the coders' codes differ, and whether each is settled."""
    from mivcode.core.team.consensus import compare_turns

    with open_project(project, readonly=True) as p:
        items = compare_turns(p, _coder_list(coders) or [])
    rows = [
        {"transcript": d.transcript, "turn": d.turn, "settled": d.settled,
         **{f"codes_{c}": sorted(d.codes[c]) if c in d.codes else None for c in d.coders},
         "consensus": sorted(d.consensus)}
        for d in items if not d.agreed
    ]
    emit(rows, as_json)
