"""Rich Text Format transcripts: f4/f5transkript saves RTF, and older Word and WordPad files are RTF too.

The control words are stripped by the striprtf package (paragraphs become
lines, `\\'e9` and `\\u8216?` become characters); then the plain-text
convention applies. Bold labels without a colon are not recognised here: RTF
transcripts carry the colon in practice.
"""

from __future__ import annotations

from mivcode.core.errors import InputError
from mivcode.core.importers.turn_builder import Segment, segments_from_lines


def read_rtf(data: bytes, filename: str) -> list[Segment]:
    from striprtf.striprtf import rtf_to_text

    if not data.strip():
        raise InputError(f"{filename}: empty file")
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise InputError(f"{filename}: not an RTF file (does not start with '{{\\rtf')")
    # RTF is 7-bit ASCII with escapes for everything else; a stray 8-bit byte is read as Windows-1252
    source = data.decode("cp1252", errors="replace")
    try:
        text = rtf_to_text(source, errors="replace")
    except (ValueError, LookupError, IndexError, RecursionError) as exc:  # a damaged group or escape
        raise InputError(f"{filename}: not a readable RTF file ({exc.__class__.__name__})") from None
    return segments_from_lines(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
