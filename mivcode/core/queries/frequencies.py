"""The counting shared by the Excel and CSV exports: which codings, and how often.

Reports are written per institution, so every table is a breakdown by
transcript metadata (institution, group, leerweg, niveau) × code or theme.
Three counts answer the questions a report asks:

- *segments* (fragmenten): distinct coded spans — a span coded with a theme
  and one of its sub-codes counts once for the theme;
- *transcripts* (focusgroepen): in how many focus groups the theme occurs,
  out of how many there are in that breakdown cell;
- *turns* (beurten): how many turns a coding of the theme touches, as a share
  of all turns in those transcripts (moderator turns included, so shares are
  comparable between groups of different size).

Which coder's codings count is the *layer*: one coder, the consensus, or all
coders de-duplicated (a span coded with the same code by two coders counts
once).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from mivcode.core import i18n
from mivcode.core.codebook import code_tree, top_level_of
from mivcode.core.errors import InputError
from mivcode.core.model import CONSENSUS_CODER, Code
from mivcode.core.spans import TurnIndex

BREAKDOWNS = ("institution", "group", "leerweg", "niveau")


@dataclass(frozen=True, slots=True)
class Layer:
    """Whose codings a report counts; `coder=None` means every coder, de-duplicated."""

    coder: str | None
    reason: str  # why this layer, for the header row: flag | consensus | only | several | none (report.why.*)
    n_coders: int = 0

    def describe(self, lang: str = "nl") -> str:
        why = i18n.t(f"report.why.{self.reason}", lang=lang, n=self.n_coders)
        if self.coder is None:
            what = i18n.t("report.layer.all", lang=lang)
        elif self.coder == CONSENSUS_CODER:
            what = i18n.t("report.layer.consensus_layer", lang=lang)
        else:
            what = i18n.t("report.layer.coder", lang=lang, coder=self.coder)
        return i18n.t("report.layer", lang=lang, what=what, why=why)


def choose_layer(coders: list[str], requested: str | None) -> Layer:
    """`--coder NAME|consensus`; without it: consensus if it exists, the only coder, else all coders."""
    if requested:
        if requested not in coders:
            known = ", ".join(coders) or "none"
            raise InputError(f"--coder {requested}: no codings by '{requested}' in this project (coders: {known})")
        return Layer(requested, "flag", len(coders))
    if CONSENSUS_CODER in coders:
        return Layer(CONSENSUS_CODER, "consensus", len(coders))
    if len(coders) == 1:
        return Layer(coders[0], "only", 1)
    return Layer(None, "several" if coders else "none", len(coders))


@dataclass(slots=True)
class TranscriptInfo:
    id: int
    name: str
    institution: str | None
    group: str | None
    leerweg: str | None
    niveau: str | None
    n_turns: int
    text: str
    turns: list[tuple]  # (idx, speaker, start, end, t_start, t_end)
    index: TurnIndex

    def key(self, by: str) -> str | None:
        return getattr(self, by)

    def turns_touched(self, start: int, end: int) -> tuple[int, ...]:
        """Indexes of the turns a span [start, end) touches (`spans`): none for a span inside a speaker label."""
        return tuple(self.turns[i][0] for i in self.index.touched(start, end))


@dataclass(slots=True)
class Segment:
    """One coded span as a report shows it (a row of *Citaten* and of the tidy CSV)."""

    transcript: TranscriptInfo
    start: int
    end: int
    code: str
    theme: str
    coder: str
    origin: str
    memo: str | None
    created_at: str | None
    turns: tuple[int, ...]

    @property
    def turn(self) -> int | None:
        return self.turns[0] if self.turns else None

    @property
    def speaker(self) -> str:
        turns = self.transcript.turns
        i = self.turn
        if i is None:
            return ""
        if i < len(turns) and turns[i][0] == i:  # turns are stored 0..n-1, so the index is the position
            return turns[i][1]
        return next((u[1] for u in turns if u[0] == i), "")

    @property
    def text(self) -> str:
        return self.transcript.text[self.start : self.end]


@dataclass(slots=True)
class ReportData:
    """Everything a report needs, read in one go."""

    layer: Layer
    codes: list[Code]
    transcripts: list[TranscriptInfo]
    segments: list[Segment]
    coders: list[str] = field(default_factory=list)
    institution: str | None = None  # the report is limited to this institution
    # (transcript id, turn) → memo text on that turn, of the layer's coder (all coders, named, when de-duplicated)
    turn_memos: dict[tuple[int, int], str] = field(default_factory=dict)

    def turn_memo(self, s: "Segment") -> str:
        return self.turn_memos.get((s.transcript.id, s.turn), "") if s.turn is not None else ""

    @property
    def by_id(self) -> dict[str, Code]:
        return {c.id: c for c in self.codes}

    def themes(self) -> list[Code]:
        return [c for c in self.codes if c.parent is None or c.parent not in self.by_id]

    def code_order(self) -> list[Code]:
        """Depth-first codebook order: a theme, then its sub-codes."""
        return [row.code for row in code_tree(self.codes)]


def load_report_data(project, coder: str | None = None, institution: str | None = None) -> ReportData:
    """Read the project once and pick the layer (see `choose_layer`).

    `institution` keeps only that institution's transcripts: the report an institution
    receives must not carry other schools' quotes.
    """
    bulk = project.bulk
    coders = project.coders_with_codings()
    layer = choose_layer(coders, coder)
    codes = project.codes()
    by_id = {c.id: c for c in codes}
    conventions = project.conventions()
    turns = bulk.turn_table()
    infos: dict[int, TranscriptInfo] = {}
    table = bulk.transcript_table()
    if institution is not None:
        known = sorted({r["institution"] for r in table if r["institution"]})
        if institution not in known:
            raise InputError(f"--institution {institution}: no transcripts of '{institution}' in this project "
                             f"(institutions: {', '.join(known) or 'none recorded'})")
        table = [r for r in table if r["institution"] == institution]
    for r in table:
        tt = turns.get(r["id"], [])
        infos[r["id"]] = TranscriptInfo(
            r["id"], r["name"], r["institution"], r["group"], r["leerweg"], r["niveau"], len(tt), r["text"],
            tt, TurnIndex([u[2] for u in tt], [u[3] for u in tt]),
        )
    theme_cache: dict[str, str] = {}
    segments: list[Segment] = []
    merged: dict[tuple, Segment] = {}
    for tid, start, end, code, who, origin, memo, created in bulk.coding_table(layer.coder):
        info = infos.get(tid)
        if info is None:
            continue
        theme = theme_cache.get(code)
        if theme is None:  # where the team counts it (its conventions' report_under), else its top-level theme
            theme = theme_cache[code] = conventions.report_theme(by_id, code, top_level_of)
        if layer.coder is None:
            key = (tid, start, end, code)
            seg = merged.get(key)
            if seg is not None:  # the same span and code by another coder: one segment, coders listed
                seg.coder = f"{seg.coder}, {who}"
                if memo:
                    seg.memo = f"{seg.memo}\n{who}: {memo}" if seg.memo else f"{who}: {memo}"
                continue
        seg = Segment(info, start, end, code, theme, who, origin, memo, created, info.turns_touched(start, end))
        if layer.coder is None:
            if memo:
                seg.memo = f"{who}: {memo}"
            merged[(tid, start, end, code)] = seg
        segments.append(seg)
    memos: dict[tuple[int, int], str] = {}
    for tid, turn, who, text in bulk.turn_memo_table():
        if tid not in infos or (layer.coder is not None and who != layer.coder):
            continue
        line = text if layer.coder is not None else f"{who}: {text}"
        memos[(tid, turn)] = f"{memos[(tid, turn)]}\n{line}" if (tid, turn) in memos else line
    return ReportData(layer, codes, list(infos.values()), segments, coders, institution, memos)


# -- frequency tables -----------------------------------------------------------


@dataclass(slots=True)
class FreqRow:
    """One cell group of a breakdown: keys (e.g. institution, group) × one code or theme."""

    keys: tuple[str, ...]
    code: str
    segments: int
    transcripts: int
    transcripts_total: int
    turns: int
    turns_total: int

    @property
    def share(self) -> float:
        return self.turns / self.turns_total if self.turns_total else 0.0


def frequency_table(
    data: ReportData, by: tuple[str, ...] = ("institution",), *, rollup: bool = True, total: bool = False,
    lang: str = "nl", known_only: tuple[str, ...] = (),
) -> list[FreqRow]:
    """Counts per combination of `by` values × theme (rollup) or × code; zero rows included.

    `known_only` drops transcripts whose value for those keys is unknown (leerweg and
    niveau are often not recorded); other unknown values show as "(onbekend)".
    `total` adds rows over all transcripts, keyed "Alle instellingen".
    """
    unknown = i18n.t("report.unknown", lang=lang)

    def keys_of(t: TranscriptInfo) -> tuple[str, ...] | None:
        vals = []
        for b in by:
            v = t.key(b)
            if not v:
                if b in known_only:
                    return None
                v = unknown
            vals.append(v)
        return tuple(vals)

    cells: dict[tuple[str, ...], list[TranscriptInfo]] = defaultdict(list)
    for t in data.transcripts:
        k = keys_of(t)
        if k is not None:
            cells[k].append(t)
    groups = sorted(cells.items(), key=lambda kv: tuple((v == unknown, v.lower()) for v in kv[0]))
    if total and cells:
        groups.append(((i18n.t("report.all_institutions", lang=lang),) + ("",) * (len(by) - 1),
                       [t for ts in cells.values() for t in ts]))
    columns = [c.id for c in (data.themes() if rollup else data.code_order())]
    per_t: dict[int, dict[str, tuple[set, set]]] = defaultdict(lambda: defaultdict(lambda: (set(), set())))
    for s in data.segments:
        target = s.theme if rollup else s.code
        spans, turns = per_t[s.transcript.id][target]
        spans.add((s.start, s.end))
        turns.update(s.turns)
    out: list[FreqRow] = []
    for key, ts in groups:
        turns_total = sum(t.n_turns for t in ts)
        for code in columns:
            segs = n_t = n_turns = 0
            for t in ts:
                hit = per_t.get(t.id, {}).get(code)
                if hit and hit[0]:
                    segs += len(hit[0])
                    n_t += 1
                    n_turns += len(hit[1])
            out.append(FreqRow(key, code, segs, n_t, len(ts), n_turns, turns_total))
    return out


def transcript_code_matrix(data: ReportData) -> tuple[list[TranscriptInfo], list[Code], list[list[int]]]:
    """Segments per transcript × code (not rolled up)."""
    codes = data.code_order()
    col = {c.id: i for i, c in enumerate(codes)}
    row = {t.id: i for i, t in enumerate(data.transcripts)}
    m = [[0] * len(codes) for _ in data.transcripts]
    seen: set[tuple] = set()
    for s in data.segments:
        k = (s.transcript.id, s.start, s.end, s.code)
        if k in seen or s.code not in col:
            continue
        seen.add(k)
        m[row[s.transcript.id]][col[s.code]] += 1
    return data.transcripts, codes, m


def cooccurrence_matrix(data: ReportData) -> tuple[list[Code], list[list[int]]]:
    """Turns in which both codes occur; the diagonal is the number of turns with the code."""
    codes = data.code_order()
    col = {c.id: i for i, c in enumerate(codes)}
    per_turn: dict[tuple[int, int], set[int]] = defaultdict(set)
    for s in data.segments:
        if s.code in col:
            for u in s.turns:
                per_turn[(s.transcript.id, u)].add(col[s.code])
    m = [[0] * len(codes) for _ in codes]
    for present in per_turn.values():
        idx = sorted(present)
        for i in idx:
            row = m[i]
            for j in idx:
                row[j] += 1
    return codes, m


def suppress(value: int, min_cell: int | None) -> int | str:
    """`--min-cell N`: a count from 1 to N-1 becomes "<N" so small groups cannot be singled out."""
    if min_cell and 0 < value < min_cell:
        return f"<{min_cell}"
    return value


def share_hidden(row: FreqRow, min_cell: int | None) -> bool:
    """The share of turns would give a hidden count away, so it hides with either count."""
    return bool(min_cell) and any(0 < v < (min_cell or 0) for v in (row.segments, row.turns))
