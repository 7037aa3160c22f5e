"""Reading a project: `segments` (coded segments with context) and `search` (fuzzy, over all transcripts).

The same queries as the segments screen and `/` in the coding screen, for a
shell, a script or a report draft: a table for people, JSON lines for tools.
"""

from __future__ import annotations

import click

from mivcode.cli.base import emit, json_option, main, open_project, project_argument


@main.command()
@project_argument
@click.argument("code")
@click.option("--institution", help="Only transcripts of this institution.")
@click.option("--group", help="Only this group (studenten or medewerkers).")
@click.option("--coder", help="Only this coder's codings (default: every coder).")
@json_option
def segments(project: str, code: str, institution: str | None, group: str | None, coder: str | None,
             as_json: bool) -> None:
    """List the segments coded CODE (and its sub-codes), with the turn before and after in --json."""
    from mivcode.core.queries.retrieval import check_filters, collect_segments

    with open_project(project, readonly=True) as p:
        p.code(code)
        check_filters(p, institution=institution, group=group, coder=coder)
        found = collect_segments(p, code, institution=institution, group=group, coder=coder)
    if as_json:
        emit(({"transcript": s.coding.transcript, "turn": s.turn, "speaker": s.speaker, "code": s.coding.code,
               "coder": s.coding.coder, "origin": s.coding.origin, "start": s.coding.start, "end": s.coding.end,
               "text": s.quote, "turn_text": s.text, "before": s.before, "after": s.after, "memo": s.coding.memo}
              for s in found), True)
        return
    emit(({"transcript": s.coding.transcript, "turn": s.turn, "speaker": s.speaker, "code": s.coding.code,
           "coder": s.coding.coder, "text": s.quote} for s in found), False)


@main.command()
@project_argument
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True, help="At most this many hits.")
@json_option
def search(project: str, query: str, limit: int, as_json: bool) -> None:
    """Search every transcript for QUERY, tolerating typos and inflections (best hits first).

    Queries of two or three letters match exactly; longer ones fuzzily. Offsets
    are the transcript's, as `turns` shows them and `code --start/--end` takes them.
    """
    from mivcode.core.queries.search import load_corpus, search as run, snippet

    if len(query.strip()) < 2:
        raise click.UsageError("QUERY: give at least two characters")
    with open_project(project, readonly=True) as p:
        hits = run(load_corpus(p), query, limit=limit)
        starts = {name: [u.start for u in p.transcript(name).turns] for name in {h.transcript for h in hits}}
    rows = []
    for h in hits:
        base = starts[h.transcript][h.turn]
        if as_json:
            rows.append({"transcript": h.transcript, "turn": h.turn, "score": round(h.score, 1),
                         "start": base + h.start, "end": base + h.end, "match": h.text[h.start:h.end], "text": h.text})
        else:
            text, _, _ = snippet(h.text, h.start, h.end)
            rows.append({"transcript": h.transcript, "turn": h.turn, "score": round(h.score),
                         "match": h.text[h.start:h.end], "text": text})
    emit(rows, as_json)
