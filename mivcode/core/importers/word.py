"""Word `.docx` transcripts: a paragraph per turn, the label as text or as a bold run.

Also reads a two-column table (speaker | utterance), the layout transcription
agencies often deliver.
"""

from __future__ import annotations

import io
import re

from mivcode.core.errors import InputError
from mivcode.core.importers.packages import check_zip_package
from mivcode.core.importers.turn_builder import TIME, Segment, segments_from_lines, segments_from_rows, split_speaker

# A time stamp that services put before the bold name: "[00:01:23] **Spreker 1** tekst"
_LEADING_TS = re.compile(rf"^\s*[\[(]?{TIME}[\])]?\s*[-–]?\s*$")


def read_docx(data: bytes, filename: str) -> list[Segment]:
    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover - a dependency
        raise InputError(f"{filename}: python-docx is not installed") from exc
    check_zip_package(data, filename, "a Word .docx file")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises a zoo of errors for broken packages
        raise InputError(f"{filename}: not a valid Word .docx file ({exc.__class__.__name__})") from None

    lines: list[str] = []
    for para in document.paragraphs:
        # a soft line break (Shift+Enter, or a transcript pasted into Word) puts several turns in one paragraph
        lines.extend(_paragraph_line(para).split("\n"))
    segments = segments_from_lines(lines)
    for table in document.tables:
        segments.extend(segments_from_rows(_table_rows(table)))
    return segments


# The runs Word shows with tracked changes: inserted text (w:ins) and links included, deleted text (w:del,
# w:moveFrom) and text boxes drawn inside the paragraph left out.
_VISIBLE_RUNS = ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"


def _visible_runs(para) -> list:
    """python-docx's `paragraph.runs` and `.text` skip tracked insertions: a transcript whose corrections
    were never accepted lost the corrected words."""
    from docx.text.run import Run

    return [Run(r, para) for r in para._p.xpath(_VISIBLE_RUNS)]


def _paragraph_line(para) -> str:
    """Turn a bold leading run into a `Speaker:` label so one parser handles both conventions."""
    runs = [r for r in _visible_runs(para) if r.text]
    text = "".join(r.text for r in runs)
    stamp = ""
    while runs and not runs[0].bold and _LEADING_TS.match(stamp + runs[0].text):
        stamp += runs.pop(0).text
    if not runs or not runs[0].bold:
        return text
    bold = ""
    for r in runs:
        if not r.bold:
            break
        bold += r.text
    label = bold.strip().rstrip(":").strip()
    rest = text[len(stamp) + len(bold):].lstrip().lstrip(":").strip()
    if label and split_speaker(f"{label}: x"):
        # a bold name alone on its paragraph labels the paragraphs below it
        line = f"{label}: {rest}" if rest else f"{label}:"
        return f"{stamp.strip()} {line}" if stamp else line
    return text


def _table_rows(table) -> list[tuple[str, str]]:
    rows = []
    for row in table.rows:
        cells = [c.text.strip() for c in row.cells]
        if len(cells) >= 2:
            rows.append((cells[-2], cells[-1]))
    return rows


__all__ = ["read_docx", "segments_from_lines"]
