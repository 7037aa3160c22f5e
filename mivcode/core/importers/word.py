"""Word `.docx` transcripts: a paragraph per turn, the label as text or as a bold run.

Also reads a two-column table (speaker | utterance), the layout transcription
agencies often deliver.
"""

from __future__ import annotations

import io
import re
import zipfile

from mivcode.core.errors import InputError
from mivcode.core.importers.turn_builder import Segment, is_header_label, segments_from_lines, split_speaker

MAX_DOCX_XML_BYTES = 200 * 1024 * 1024  # zip-bomb guard: the unpacked document may not exceed this
# The XML parts are what python-docx parses into memory (~15x their size in RSS), so they get their own
# limits: 64 MB is a document of several million words; and a part that compresses better than 100:1 is
# a bomb, not a transcript (real Word XML compresses 5-20:1).
MAX_DOCX_PARSED_BYTES = 64 * 1024 * 1024
MAX_XML_RATIO = 100
# A time stamp that services put before the bold name: "[00:01:23] **Spreker 1** tekst"
_LEADING_TS = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?\s*[-–]?\s*$")


def read_docx(data: bytes, filename: str) -> list[Segment]:
    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover - a dependency
        raise InputError(f"{filename}: python-docx is not installed") from exc
    if not data.strip():
        raise InputError(f"{filename}: empty file")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(f"{filename}: not a Word .docx file (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
            if total > MAX_DOCX_XML_BYTES:
                raise InputError(f"{filename}: unpacks to {total // 2**20} MB, too large for a transcript")
            xml = [i for i in zf.infolist() if i.filename.lower().endswith((".xml", ".rels"))]
            parsed = sum(i.file_size for i in xml)
            if parsed > MAX_DOCX_PARSED_BYTES:
                raise InputError(f"{filename}: its text parts unpack to {parsed // 2**20} MB, too large for a "
                                 "transcript")
            for i in xml:
                if i.file_size > 2**20 and i.file_size > MAX_XML_RATIO * max(i.compress_size, 1):
                    raise InputError(f"{filename}: '{i.filename}' unpacks {i.file_size // max(i.compress_size, 1)}"
                                     " times its size (a zip bomb, not a Word document)")
        document = docx.Document(io.BytesIO(data))
    except InputError:
        raise
    except Exception as exc:  # python-docx raises a zoo of errors for broken packages
        raise InputError(f"{filename}: not a valid Word .docx file ({exc.__class__.__name__})") from None

    lines: list[str] = []
    for para in document.paragraphs:
        # a soft line break (Shift+Enter, or a transcript pasted into Word) puts several turns in one paragraph
        lines.extend(_paragraph_line(para).split("\n"))
    segments = segments_from_lines(lines)
    for table in document.tables:
        segments.extend(_table_segments(table))
    return segments


def _paragraph_line(para) -> str:
    """Turn a bold leading run into a `Speaker:` label so one parser handles both conventions."""
    text = para.text
    runs = [r for r in para.runs if r.text]
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


def _table_segments(table) -> list[Segment]:
    out: list[Segment] = []
    for row in table.rows:
        cells = [c.text.strip() for c in row.cells]
        if len(cells) < 2:
            continue
        speaker, utterance = cells[-2], cells[-1]
        hit = split_speaker(f"{speaker}: x") if speaker else None
        if hit and not out and is_header_label(hit[0]):
            continue  # a header row (Datum | 14 maart 2023) above the first turn
        if hit and utterance:
            out.append(Segment(hit[0], utterance))
        elif out and utterance and not speaker:
            out[-1].text += "\n" + utterance
    return out


__all__ = ["read_docx", "segments_from_lines"]
