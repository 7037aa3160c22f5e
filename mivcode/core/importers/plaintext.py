"""Plain text and Markdown transcripts: `Speaker: utterance` per line."""

from __future__ import annotations

import re

from mivcode.core.importers.text_decoding import decode_bytes
from mivcode.core.importers.turn_builder import Segment, segments_from_lines

_MD_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)]|>)\s+")


def read_plaintext(data: bytes, filename: str) -> list[Segment]:
    text, _ = decode_bytes(data, filename)
    return segments_from_lines(text.split("\n"))


def read_markdown(data: bytes, filename: str) -> list[Segment]:
    """Markdown adds headings (skipped: they are section titles, not speech), bullets and emphasis."""
    text, _ = decode_bytes(data, filename)
    lines = []
    for line in text.split("\n"):
        if line.lstrip().startswith("#") or line.strip() in ("---", "***", "___"):
            lines.append("")
            continue
        lines.append(_MD_BULLET.sub("", line))
    return segments_from_lines(lines)
