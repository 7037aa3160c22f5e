"""Retrieval: every segment coded with a code, across transcripts, with context.

This is what researchers read when they write the report chapter on, say,
discrimination at internships: all quotes for the code and its sub-codes,
filterable by institution, group and coder, each with the turn before and
after so a quote is never read out of context. The segments screen and
`mivcode segments` show the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

from mivcode.core.errors import InputError
from mivcode.core.model import Coding, Transcript, Turn
from mivcode.core.project import Project
from mivcode.core.spans import turns_touched


@dataclass(slots=True)
class Segment:
    coding: Coding
    turn: int
    speaker: str
    before: str | None  # the turn before, as "Speaker: text"
    text: str  # the whole turn the segment starts in
    span: tuple[int, int]  # the coded part, relative to `text`
    after: str | None

    @property
    def quote(self) -> str:
        return self.text[self.span[0]:self.span[1]]


def collect_segments(project: Project, code: str, *, institution: str | None = None, group: str | None = None,
                     coder: str | None = None) -> list[Segment]:
    """The segments of `code` and its sub-codes, in transcript order (fast enough for a worker thread)."""
    metas = {s.name: s.meta for s in project.transcripts()}
    cache: dict[str, Transcript] = {}
    out = []
    for c in project.codings(code=code, include_subcodes=True, coder=coder):
        meta = metas.get(c.transcript)
        if meta is None or (institution and meta.institution != institution) or (group and meta.group != group):
            continue
        tr = cache.get(c.transcript) or cache.setdefault(c.transcript, project.transcript(c.transcript))
        u = _first_turn(tr, c)
        if u is None:
            continue

        def line(i: int) -> str | None:
            if 0 <= i < len(tr.turns):
                v = tr.turns[i]
                return f"{v.speaker}: {tr.turn_text(v)}"
            return None

        end = min(c.end, u.end)
        out.append(Segment(c, u.index, u.speaker, line(u.index - 1), tr.turn_text(u),
                           (max(0, c.start - u.start), max(0, end - u.start)), line(u.index + 1)))
    return out


def _first_turn(t: Transcript, c: Coding) -> Turn | None:
    """The first turn the segment touches; one lying wholly in a speaker label is shown with the next turn."""
    touched = turns_touched(t.turns, c.start, c.end)
    return t.turns[touched[0]] if touched else t.turn_at(c.start)


def check_filters(project: Project, *, institution: str | None = None, group: str | None = None,
                  coder: str | None = None) -> None:
    """A filter value the project does not have is a typo, not an empty result: say which values there are."""
    summaries = project.transcripts()
    for flag, value, known in (
        ("--institution", institution, {s.meta.institution for s in summaries if s.meta.institution}),
        ("--group", group, {s.meta.group for s in summaries if s.meta.group}),
        ("--coder", coder, set(project.coders_with_codings())),
    ):
        if value is not None and value not in known:
            raise InputError(f"{flag} {value}: not in this project ({', '.join(sorted(known)) or 'none recorded'})")
