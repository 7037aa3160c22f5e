"""Suggestion commands: suggest, accept, reject, train, evaluate, import-codings.

Thin wrappers over `mivcode.core.suggest.service` and the Project's review
methods; the JSON line shapes are a contract for scripts and the UI tests.
"""

from __future__ import annotations

import json

import sys

import click

from mivcode.cli.base import (
    emit, json_option, main, open_project, project_argument, turn_code_arguments,
)
from mivcode.core.config import resolve_coder
from mivcode.core.i18n import t


def _progress_printer(enabled: bool):
    """Progress on stderr for people at a terminal; silent in scripts and with --json."""
    if not enabled or not sys.stderr.isatty():
        return None
    last = {"stage": None}

    def progress(stage: str, fraction: float) -> None:
        if stage != last["stage"]:
            click.echo(f"… {stage}", err=True)
            last["stage"] = stage

    return progress


def suggestion_row(s) -> dict:
    return {
        "transcript": s.transcript, "turn": s.turn, "start": s.start, "end": s.end, "code": s.code,
        "score": round(s.score, 4), "evidence": [e.text for e in s.evidence if e.text], "source": s.source,
        "status": s.status,
    }


@main.command()
@project_argument
@click.option("--transcript", "transcript", help="Only this transcript.")
@click.option("--status", type=click.Choice(["open", "accepted", "rejected"]), help="Only suggestions with this status.")
@click.option("--why", is_flag=True, help="Show the rule or model behind every piece of evidence.")
@click.option("--force", is_flag=True, help="Recompute every transcript, not only what changed (reviews are kept).")
@json_option
def suggest(project: str, transcript: str | None, status: str | None, why: bool, force: bool, as_json: bool) -> None:
    """Compute code suggestions (only where something changed) and list them."""
    from mivcode.core.suggest.service import refresh_suggestions

    with open_project(project) as p:
        report = refresh_suggestions(p, [transcript] if transcript else None, _progress_printer(not as_json),
                                     force=force)
        found = p.suggestions(transcript, status=status)
    if not as_json:
        click.echo(t("cli.suggest_summary", recomputed=len(report.recomputed), skipped=len(report.skipped),
                     added=report.added, updated=report.updated, removed=report.removed, source=report.source),
                   err=True)
    rows = [suggestion_row(s) for s in found]
    if why and not as_json:
        for row, s in zip(rows, found):
            row["evidence"] = [f"{e.text or '·'} [{e.rule}]" for e in s.evidence]
    emit(rows, as_json, ["transcript", "turn", "code", "score", "source", "status", "evidence"])


def _review(project: str, transcript: str, turn: int, code: str, coder: str | None, accept: bool) -> None:
    who = resolve_coder(coder)
    with open_project(project) as p:
        if accept:
            coding = p.accept_suggestion(transcript, turn, code, who)
            extra = "" if coding is not None else t("cli.already_coded")
            click.echo(t("cli.accepted", code=code, turn=turn, transcript=transcript, coder=who) + extra)
        else:
            p.reject_suggestion(transcript, turn, code, who)
            click.echo(t("cli.rejected", code=code, turn=turn, transcript=transcript))


@main.command()
@turn_code_arguments
def accept(project: str, transcript: str, turn: int, code: str, coder: str | None) -> None:
    """Accept a suggestion: codes the turn (origin `suggestion`), undoable."""
    _review(project, transcript, turn, code, coder, True)


@main.command()
@turn_code_arguments
def reject(project: str, transcript: str, turn: int, code: str, coder: str | None) -> None:
    """Reject a suggestion; it stays rejected unless its evidence changes."""
    _review(project, transcript, turn, code, coder, False)


@main.command()
@project_argument
@click.option("--coder", help="Learn from this coder's codings (default: consensus, else the only coder).")
@click.option("--status", is_flag=True, help="Only say what the suggestions rest on now (team model or shipped).")
@click.option("--epochs", type=click.IntRange(1, 100), default=12, hidden=True,
              help="Ignored (the textcat learner it was for is gone); kept so that old scripts still run.")
@json_option
def train(project: str, coder: str | None, status: bool, epochs: int, as_json: bool) -> None:  # noqa: ARG001
    """Fine-tune the suggestion model on the team's coded transcripts (stored in the project).

    Starts from the model that ships with mivcode, so three coded transcripts are enough to move it
    where this team codes differently (moderator questions, reporting, double coding).
    """
    from mivcode.core.suggest.service import model_state, train_model

    if status:
        with open_project(project, readonly=True) as p:
            state = model_state(p)
        if as_json:
            click.echo(json.dumps(state, ensure_ascii=False))
        else:
            click.echo(t(f"cli.model_state_{state['model']}", **{k: v for k, v in state.items() if k != "model"}))
        return
    with open_project(project) as p:
        r = train_model(p, coder, _progress_printer(not as_json))
    if as_json:
        click.echo(json.dumps({"coder": r.coder, "transcripts": r.transcripts, "turns": r.turns, "themes": r.labels,
                               "prior_only": r.rules_only, "seconds": round(r.seconds, 2)}, ensure_ascii=False))
        return
    click.echo(t("cli.trained", turns=r.turns, transcripts=r.transcripts, coder=r.coder, labels=len(r.labels),
                 seconds=f"{r.seconds:.1f}"))
    if r.rules_only:
        click.echo(t("cli.rules_only", codes=", ".join(r.rules_only)), err=True)
    click.echo(t("cli.run_suggest"), err=True)


@main.command()
@project_argument
@click.option("--coder", required=True, help="Compare with this coder's codings.")
@click.option("--rules-only", is_flag=True, help="Only the codebook's rules (no learned model).")
@click.option("--learning-curve", is_flag=True,
              help="Also train on the coder's first k transcripts (k = 1, 2, ...) and test on the rest.")
@click.option("--epochs", type=click.IntRange(1, 100), default=12, hidden=True, help="Ignored; kept for old scripts.")
@json_option
def evaluate(project: str, coder: str, rules_only: bool, learning_curve: bool, epochs: int,  # noqa: ARG001
             as_json: bool) -> None:
    """Precision, recall and F1 per theme (turn level, sub-codes rolled up): rules, shipped model, team model.

    `team` is leave one transcript out: trained on the coder's other transcripts, tested on the one left out.
    """
    from mivcode.core.suggest.service import evaluate as run

    with open_project(project, readonly=True) as p:
        scores = run(p, coder, _progress_printer(not as_json), with_model=not rules_only,
                     learning_curve=learning_curve)
    rows = [
        {"method": s.method if s.k is None else f"{s.method} k={s.k}", "k": s.k, "code": s.code,
         "precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
         "support": s.support, "predicted": s.predicted, "tp": s.tp, "turns": s.turns}
        for s in scores
    ]
    emit(rows, as_json, ["method", "code", "precision", "recall", "f1", "support", "predicted", "turns"])


@main.command("import-codings")
@project_argument
@click.argument("csv_file", metavar="CSV", type=click.Path(dir_okay=False))
@click.option("--coder", required=True, help="Coder name the codings are stored under.")
def import_codings(project: str, csv_file: str, coder: str) -> None:
    """Load turn codings from a CSV with columns transcript,turn,code (one undoable action)."""
    from mivcode.core.exchange.codings_csv import import_codings as run

    with open_project(project) as p:
        n = run(p, csv_file, coder)
    click.echo(t("cli.codings_imported", n=n, coder=coder))
