"""The Excel report: per institution, ready to paste into a report.

Written with openpyxl's write-only mode (rows stream to disk), so a study of
50,000 codings is written in seconds; every sheet still gets a title row,
a note row saying whose codings count, a frozen header, an autofilter and
column widths. Text cells that a spreadsheet could run as a formula are
stored as plain strings with Excel's quote prefix (see `safe_text`).
"""

from __future__ import annotations

from copy import copy
from functools import lru_cache
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mivcode import __version__
from mivcode.core.exchange.safe_text import is_risky, xlsx_clean
from mivcode.core.i18n import Texts
from mivcode.core.queries import frequencies as fq

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_NOTE = Font(italic=True, color="555555")
_HEAD_FILL = PatternFill("solid", fgColor="DDE5F0")
_WRAP = Alignment(wrap_text=True, vertical="top")
_ROTATED = Alignment(text_rotation=90, vertical="bottom", horizontal="center")
_HEAT = dict(start_type="num", start_value=0, start_color="FFFFFF", end_type="max", end_color="F8696B")
_MAX_QUOTE = 32_000  # Excel holds at most 32,767 characters per cell


@dataclass(slots=True)
class ExcelOptions:
    coder: str | None = None
    min_cell: int | None = None
    lang: str = "nl"
    institution: str | None = None


@dataclass(slots=True)
class ExcelResult:
    path: Path
    sheets: list[str]
    layer: fq.Layer
    segments: int


class _Sheet:
    """A write-only sheet with our layout: title, notes, header, data; widths set before rows."""

    def __init__(self, wb: Workbook, title: str, headers: list[str], widths: list[float], notes: list[str],
                 heading: str, freeze_col: int = 1, rotate_from: int | None = None):
        self.ws = wb.create_sheet(title)
        self.headers = headers
        self._wrap_style = None
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        self.header_row = 2 + len(notes) + 1
        self.ws.freeze_panes = f"{get_column_letter(freeze_col)}{self.header_row + 1}"
        self.rows = self.header_row
        self.ws.append([self._cell(heading, font=_TITLE)])
        for n in notes:
            self.ws.append([self._cell(n, font=_NOTE)])
        self.ws.append([])
        head = [self._cell(h, font=_BOLD, fill=_HEAD_FILL, wrap=True) for h in headers]
        for cell in head[rotate_from - 1:] if rotate_from else []:
            cell.alignment = _ROTATED  # matrix columns stay narrow; their labels read upwards
        self.ws.append(head)

    def _cell(self, value: Any, *, font=None, fill=None, wrap: bool = False, fmt: str | None = None):
        if isinstance(value, str):
            value = xlsx_clean(value)[:_MAX_QUOTE]
        risky = isinstance(value, str) and is_risky(value)
        if wrap and not risky and font is None and fill is None and not fmt and self._wrap_style is not None:
            cell = WriteOnlyCell(self.ws, value=value)
            cell._style = copy(self._wrap_style)  # copying a style array is cheaper than setting it (50,000 quotes)
            if isinstance(value, str):
                cell.data_type = "s"
            return cell
        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text begins with
            if risky:
                cell.quotePrefix = True
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if wrap:
            cell.alignment = _WRAP
            if not risky and font is None and fill is None and not fmt:
                self._wrap_style = copy(cell._style)
        if fmt:
            cell.number_format = fmt
        return cell

    def row(self, values: list[Any], *, formats: dict[int, str] | None = None, wrap_cols: tuple[int, ...] = ()) -> None:
        out = []
        for i, v in enumerate(values):
            if v == "":
                out.append(None)  # an empty cell is not written at all; an empty string is
            elif isinstance(v, str) and i not in wrap_cols and not _needs_cell(v):
                out.append(v[:_MAX_QUOTE])  # a plain value is far cheaper than a cell object (50,000 quotes)
            elif isinstance(v, str) or (formats and i in formats) or i in wrap_cols:
                fmt = None if isinstance(v, str) else (formats or {}).get(i)
                out.append(self._cell(v, wrap=i in wrap_cols, fmt=fmt))
            else:
                out.append(v)
        self.ws.append(out)
        self.rows += 1

    def finish(self, *, heat_from_col: int | None = None) -> None:
        last_col = get_column_letter(max(len(self.headers), 1))
        last_row = max(self.rows, self.header_row)
        self.ws.auto_filter.ref = f"A{self.header_row}:{last_col}{last_row}"
        if heat_from_col is not None and self.rows > self.header_row and len(self.headers) >= heat_from_col:
            rng = f"{get_column_letter(heat_from_col)}{self.header_row + 1}:{last_col}{last_row}"
            self.ws.conditional_formatting.add(rng, ColorScaleRule(**_HEAT))


_ERROR_CODES = frozenset(ERROR_CODES)


@lru_cache(maxsize=4096)
def _needs_cell_cached(value: str) -> bool:
    return is_risky(value) or value in _ERROR_CODES or xlsx_clean(value) != value


def _needs_cell(value: str) -> bool:
    """Text openpyxl would not store as a plain string: formula-like, an error code, or with control characters.

    Short values (names, labels, speakers) repeat on every quote row, so their answer is cached.
    """
    if len(value) <= 80:
        return _needs_cell_cached(value)
    return is_risky(value) or value in _ERROR_CODES or xlsx_clean(value) != value


def _width(values: list[Any], lo: float = 8, hi: float = 60) -> float:
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return float(min(max(lo, longest + 2), hi))


def export_excel(project, out: str | Path, options: ExcelOptions | None = None) -> ExcelResult:
    """Write the report workbook; returns the sheet names and the layer counted."""
    opts = options or ExcelOptions()
    h = Texts("xlsx", opts.lang)  # sheet names, headings and notes in --lang
    data = fq.load_report_data(project, opts.coder, opts.institution)
    wb = Workbook(write_only=True)
    notes = [f"{h['layer']}: {data.layer.describe(opts.lang)}"]
    if opts.institution:
        notes.append(h("only_institution", name=opts.institution))
    if opts.min_cell:
        notes.append(h("min_cell", n=opts.min_cell))
    label = {c.id: c.display(opts.lang) for c in data.codes}
    agreement_rows, agreement_note = _agreement(project, data, h)

    present = ["overview", "chart", "overview_codes", "by_group"]
    present += [f"by_{k}" for k in ("leerweg", "niveau") if any(t.key(k) for t in data.transcripts)]
    present += ["matrix", "cooc", "quotes", "codebook"] + (["agreement"] if agreement_rows else [])
    _about(wb, project, data, h, notes, agreement_note, opts.lang, present)
    _breakdown(wb, data, h, opts, notes, "overview", ("institution",), rollup=True, label=label)
    _chart(wb, data, h, opts, notes, label)
    _breakdown(wb, data, h, opts, notes, "overview_codes", ("institution",), rollup=False, label=label)
    _breakdown(wb, data, h, opts, notes, "by_group", ("institution", "group"), rollup=True, label=label)
    for key in ("leerweg", "niveau"):
        if any(t.key(key) for t in data.transcripts):
            _breakdown(wb, data, h, opts, notes, f"by_{key}", ("institution", key), rollup=True, label=label,
                       known_only=(key,))
    _matrix(wb, data, h, opts, notes, label)
    _cooccurrence(wb, data, h, opts, notes, label)
    _quotes(wb, data, h, notes, label)
    _codebook(wb, data, h, label, opts.min_cell)
    if agreement_rows:
        _agreement_sheet(wb, agreement_rows, h, notes + ([h["agreement_all"]] if opts.institution else []))
    path = Path(out)
    wb.save(path)
    return ExcelResult(path, wb.sheetnames, data.layer, len(data.segments))


def _about(wb, project, data: fq.ReportData, h, notes, agreement_note: str | None, lang: str,
           present: list[str]) -> None:
    s = _Sheet(wb, h["about"], [h["metric"], h["value"]], [28, 90], notes, h("about_title", project=project.path.stem))
    s.row([h["project"], str(project.path.name)])
    s.row([h["made"], h("made_value", time=f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M}", version=__version__)])
    s.row([h["layer"], data.layer.describe(lang)])
    s.row([h["n_transcripts"], len(data.transcripts)])
    s.row([h["n_segments"], len(data.segments)])
    s.row([h["coders"], ", ".join(data.coders) or "-"])
    s.row(["", h["share_note"]])
    if agreement_note:
        s.row(["", agreement_note])
    s.row([])
    s.row([h["sheets"], ""])
    for key in present:
        s.row([h[key], h[f"t_{key}"]], wrap_cols=(1,))
    s.finish()


def _breakdown(wb, data, h, opts: ExcelOptions, notes, key: str, by: tuple[str, ...], *, rollup: bool,
               label: dict[str, str], known_only: tuple[str, ...] = ()) -> None:
    table = fq.frequency_table(data, by, rollup=rollup, total=by == ("institution",) and not opts.institution,
                               lang=opts.lang, known_only=known_only)
    code_head = h["theme"] if rollup else h["code"]
    extra = [] if rollup else [h["theme"]]
    headers = [h[b] for b in by] + [code_head] + extra + [
        h["segments"], h["transcripts"], h["transcripts_total"], h["turns"], h["turns_total"], h["share"]]
    key_widths = [_width([r.keys[i] for r in table] + [h[b]], 12, 40) for i, b in enumerate(by)]
    widths = key_widths + [_width([label.get(r.code, r.code) for r in table], 14, 50)] + \
        ([30] if extra else []) + [12] * 6
    s = _Sheet(wb, h[key], headers, widths, notes + [h["share_note"]], h[f"t_{key}"], freeze_col=len(by) + 2)
    by_id = data.by_id
    pct = len(headers) - 1
    for r in table:
        theme = [] if rollup else [label.get(fq.top_level_of(by_id, r.code), "")]
        suppressed = fq.share_hidden(r, opts.min_cell)
        share: Any = f"<{opts.min_cell}" if suppressed else r.share
        keys = [int(k) if b == "niveau" and k.isdigit() else k for b, k in zip(by, r.keys)]  # a number, not text
        s.row([*keys, label.get(r.code, r.code), *theme, fq.suppress(r.segments, opts.min_cell),
               fq.suppress(r.transcripts, opts.min_cell), r.transcripts_total,
               fq.suppress(r.turns, opts.min_cell), r.turns_total, share], formats={pct: "0.0%"})
    s.finish()


def _chart(wb, data, h, opts: ExcelOptions, notes, label) -> None:
    """A wide table (theme × institution) and a native clustered bar chart on it."""
    table = fq.frequency_table(data, ("institution",), rollup=True, lang=opts.lang)
    insts = list(dict.fromkeys(r.keys[0] for r in table))
    themes = [c.id for c in data.themes()]
    counts = {(r.keys[0], r.code): r.segments for r in table}
    s = _Sheet(wb, h["chart"], [h["theme"], *insts], [_width([label[t] for t in themes], 14, 45)] +
               [_width([i], 12, 30) for i in insts], notes, h["t_chart"], freeze_col=2)
    for t in themes:
        s.row([label[t], *(fq.suppress(counts.get((i, t), 0), opts.min_cell) for i in insts)])
    s.finish()
    if not insts or not themes:
        return
    chart = BarChart()
    chart.type = "bar"  # horizontal bars: long Dutch theme names stay readable
    chart.grouping = "clustered"
    chart.title = h["t_chart"]
    chart.y_axis.title = h["segments"]
    chart.x_axis.title = h["theme"]
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    first, last = s.header_row + 1, s.header_row + len(themes)
    chart.add_data(Reference(s.ws, min_col=2, max_col=1 + len(insts), min_row=s.header_row, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(s.ws, min_col=1, min_row=first, max_row=last))
    chart.height = max(9, 0.45 * len(themes) * max(1, min(len(insts), 4)) + 3)
    chart.width = 24
    s.ws.add_chart(chart, f"{get_column_letter(len(insts) + 3)}{s.header_row}")


def _matrix(wb, data, h, opts, notes, label) -> None:
    transcripts, codes, m = fq.transcript_code_matrix(data)
    fixed = [h["transcript"], h["institution"], h["group"]]
    headers = fixed + [label[c.id] for c in codes]
    widths = [_width([t.name for t in transcripts] + [h["transcript"]], 14, 40),
              _width([t.institution for t in transcripts], 12, 30), 13] + [6.5] * len(codes)
    s = _Sheet(wb, h["matrix"], headers, widths, notes, h["t_matrix"], freeze_col=4, rotate_from=len(fixed) + 1)
    for t, row in zip(transcripts, m):
        s.row([t.name, t.institution or "", t.group or "", *(fq.suppress(v, opts.min_cell) for v in row)])
    s.finish(heat_from_col=len(fixed) + 1)


def _cooccurrence(wb, data, h, opts, notes, label) -> None:
    codes, m = fq.cooccurrence_matrix(data)
    headers = [h["code"]] + [label[c.id] for c in codes]
    widths = [_width([label[c.id] for c in codes], 14, 45)] + [6.5] * len(codes)
    s = _Sheet(wb, h["cooc"], headers, widths, notes, h["t_cooc"], freeze_col=2, rotate_from=2)
    for c, row in zip(codes, m):
        s.row([label[c.id], *(fq.suppress(v, opts.min_cell) for v in row)])
    s.finish(heat_from_col=2)


def _quotes(wb, data: fq.ReportData, h, notes, label) -> None:
    keys = ["institution", "group", "transcript", "turn", "speaker", "theme", "code", "text", "memo", "turn_memo",
            "coder"]
    widths = [20, 13, 24, 7, 16, 26, 26, 80, 30, 30, 14]
    s = _Sheet(wb, h["quotes"], [h[k] for k in keys], widths, notes, h["t_quotes"], freeze_col=1)
    order = {c.id: i for i, c in enumerate(data.code_order())}
    segs = sorted(data.segments, key=lambda g: (g.transcript.institution or "", order.get(g.theme, 0),
                                                order.get(g.code, 0), g.transcript.name, g.start))
    wrap = (7,)
    for g in segs:
        t = g.transcript
        s.row([t.institution or "", t.group or "", t.name,
               g.turn if g.turn is not None else "", g.speaker, label.get(g.theme, g.theme),
               label.get(g.code, g.code), g.text, g.memo or "", data.turn_memo(g), g.coder], wrap_cols=wrap)
    s.finish()


def _codebook(wb, data: fq.ReportData, h, label, min_cell: int | None = None) -> None:
    keys = ["code_id", "label", "label_en", "parent", "definition", "include", "exclude", "examples", "keywords",
            "count"]
    s = _Sheet(wb, h["codebook"], [h[k] for k in keys], [22, 28, 28, 26, 60, 40, 40, 50, 40, 12], [],
               h["t_codebook"], freeze_col=3)
    counts: dict[str, int] = {}
    for g in data.segments:
        counts[g.code] = counts.get(g.code, 0) + 1
    for c in data.code_order():
        s.row([c.id, c.label, c.label_en or "", label.get(c.parent, "") if c.parent else "", c.definition,
               c.include, c.exclude, "\n".join(c.examples), ", ".join(c.keywords),
               fq.suppress(counts.get(c.id, 0), min_cell)],
              wrap_cols=(4, 5, 6, 7))
    s.finish()


def _agreement(project, data: fq.ReportData, h) -> tuple[list[dict], str | None]:
    """Agreement rows when two or more coders coded."""
    human = [c for c in data.coders if c != fq.CONSENSUS_CODER]
    if len(human) < 2:
        return [], h["agreement_single"]
    from mivcode.core.team.agreement import agreement_table  # lazy: numpy work only when coders compare

    return list(agreement_table(project, coders=human, level="turn")), None


_AGREEMENT_KEYS = ("label", "code", "level", "coders", "units", "percent", "cohen_kappa", "fleiss_kappa",
                   "krippendorff_alpha", "ac1", "notes")


def _agreement_sheet(wb, rows: list[dict], h, notes) -> None:
    keys = [k for k in _AGREEMENT_KEYS if any(k in r for r in rows)]
    heads = [h[f"agreement_head.{k}"] for k in keys]
    widths = [36 if k == "label" else 60 if k == "notes" else 24 if k in ("code", "coders") else 14 for k in keys]
    s = _Sheet(wb, h["agreement"], heads, widths, notes, h["t_agreement"], freeze_col=2)
    for r in rows:
        vals: list[Any] = []
        for k in keys:
            v = r.get(k)
            if isinstance(v, dict):
                v = "; ".join(f"{a}: {b}" for a, b in v.items())
            elif isinstance(v, (list, tuple)):
                v = ", ".join(map(str, v))
            if k == "label" and r.get("code") == "_all":
                v = h["all_codes"]
            vals.append("" if v is None else v)
        fmts = {i: "0.0%" if k == "percent" else "0.000" for i, k in enumerate(keys) if isinstance(r.get(k), float)}
        s.row(vals, formats=fmts)
    s.finish()
