"""CSV exports: one tidy row per coded segment, or the per-institution frequency table.

Tidy rows (one observation per row, one variable per column) are what R,
SPSS and pandas want. Files are UTF-8 *with* a byte-order mark by default,
because Excel on Windows otherwise reads them as Windows-1252 and mangles
"één"; `bom=False` writes plain UTF-8 for scripts. Text that a spreadsheet
could run as a formula gets an apostrophe in front (see `safe_text`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from mivcode.core.exchange.safe_text import csv_safe
from mivcode.core.queries import frequencies as fq

# The columns are identifiers, like the CLI's JSON keys, not headings: the same in every language so that
# scripts, R and pandas read them by name (the workbook is the translated report); for the same reason the
# frequency table's own rows ("All institutions", "(unknown)") are the catalogue's English texts.
SEGMENT_COLUMNS = ("transcript", "institution", "group", "leerweg", "niveau", "turn", "speaker", "start", "end",
                   "code", "theme", "coder", "origin", "memo", "turn_memo", "text")
FREQUENCY_COLUMNS = ("institution", "theme", "segments", "transcripts", "transcripts_total", "turns", "turns_total",
                     "share_turns")


@dataclass(slots=True)
class CsvOptions:
    coder: str | None = None
    frequencies: bool = False
    min_cell: int | None = None
    bom: bool = True
    delimiter: str = ","
    institution: str | None = None


def _safe(v):
    return csv_safe(v) if isinstance(v, str) else ("" if v is None else v)


def export_csv(project, out: str | Path, options: CsvOptions | None = None) -> tuple[int, fq.Layer]:
    """Write the CSV; returns the number of data rows and the layer counted."""
    opts = options or CsvOptions()
    data = fq.load_report_data(project, opts.coder, opts.institution)
    path = Path(out)
    with open(path, "w", encoding="utf-8-sig" if opts.bom else "utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=opts.delimiter, lineterminator="\r\n")
        if opts.frequencies:
            w.writerow(FREQUENCY_COLUMNS)
            n = 0
            for r in fq.frequency_table(data, ("institution",), rollup=True, total=not opts.institution, lang="en"):
                hidden = fq.share_hidden(r, opts.min_cell)
                w.writerow([_safe(r.keys[0]), r.code, fq.suppress(r.segments, opts.min_cell),
                            fq.suppress(r.transcripts, opts.min_cell), r.transcripts_total,
                            fq.suppress(r.turns, opts.min_cell), r.turns_total,
                            f"<{opts.min_cell}" if hidden else round(r.share, 6)])
                n += 1
            return n, data.layer
        w.writerow(SEGMENT_COLUMNS)
        for s in data.segments:
            t = s.transcript
            w.writerow([_safe(v) for v in (t.name, t.institution, t.group, t.leerweg, t.niveau, s.turn, s.speaker,
                                           s.start, s.end, s.code, s.theme, s.coder, s.origin, s.memo,
                                           data.turn_memo(s), s.text)])
    return len(data.segments), data.layer
