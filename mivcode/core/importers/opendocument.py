"""OpenDocument `.odt` transcripts (LibreOffice, and Word's "save as ODF"): the same conventions as `.docx`.

Read with odfpy, which parses through defusedxml. Paragraphs and headings in
document order, soft line breaks inside a paragraph as separate lines, and a
two-column table (speaker | utterance) as in word.py.
"""

from __future__ import annotations

import io

from mivcode.core.errors import InputError
from mivcode.core.importers.packages import check_zip_package
from mivcode.core.importers.turn_builder import Segment, segments_from_lines, segments_from_rows


def read_odt(data: bytes, filename: str) -> list[Segment]:
    from odf import opendocument, table, teletype
    from odf.namespaces import TABLENS, TEXTNS

    check_zip_package(data, filename, "an OpenDocument .odt file")
    try:
        doc = opendocument.load(io.BytesIO(data))
        body = doc.text
    except Exception as exc:  # odfpy raises KeyError, SAX errors, … for a broken package
        raise InputError(f"{filename}: not a valid OpenDocument .odt file ({exc.__class__.__name__})") from None
    if body is None:
        raise InputError(f"{filename}: not a text document (an .odt without a text body)")
    lines: list[str] = []
    rows: list[tuple[str, str]] = []
    try:
        for element in _walk(body, {(TEXTNS, "p"), (TEXTNS, "h"), (TABLENS, "table-row")}):
            if element.qname == (TABLENS, "table-row"):
                cells = [teletype.extractText(c).strip() for c in element.getElementsByType(table.TableCell)]
                if len(cells) >= 2:
                    rows.append((cells[-2], cells[-1]))
            else:
                lines.extend(teletype.extractText(element).split("\n"))
    except RecursionError:
        raise InputError(f"{filename}: nested too deeply to be a transcript") from None
    segments = segments_from_lines(lines)
    segments.extend(segments_from_rows(rows))
    return segments


def _walk(node, names: set[tuple[str, str]]):
    """Paragraphs, headings and table rows in document order, not descending into what was yielded."""
    for child in node.childNodes:
        if getattr(child, "qname", None) in names:
            yield child
        elif child.childNodes:
            yield from _walk(child, names)
