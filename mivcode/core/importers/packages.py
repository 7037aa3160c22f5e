"""Zip-packaged documents (.docx, .odt): refuse bombs before a parser unpacks them.

Both python-docx and odfpy read the XML parts whole into memory, so the sizes
are checked from the zip's directory first.
"""

from __future__ import annotations

import io
import zipfile

from mivcode.core.errors import InputError

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # the whole unpacked document may not exceed this
# The XML parts are what the parsers hold in memory (~15x their size in RSS), so they get their own limits:
# 64 MB is a document of several million words; and a part that compresses better than 100:1 is a bomb, not
# a transcript (real Word and OpenDocument XML compresses 5-20:1).
MAX_PARSED_BYTES = 64 * 1024 * 1024
MAX_XML_RATIO = 100


def check_zip_package(data: bytes, filename: str, kind: str) -> None:
    """Raise InputError unless `data` is a zip whose XML parts can be parsed safely; `kind`: "a Word .docx file"."""
    if not data.strip():
        raise InputError(f"{filename}: empty file")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(f"{filename}: not {kind} (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"{filename}: not {kind} ({exc.__class__.__name__})") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise InputError(f"{filename}: unpacks to {total // 2**20} MB, too large for a transcript")
    xml = [i for i in infos if i.filename.lower().endswith((".xml", ".rels"))]
    parsed = sum(i.file_size for i in xml)
    if parsed > MAX_PARSED_BYTES:
        raise InputError(f"{filename}: its text parts unpack to {parsed // 2**20} MB, too large for a transcript")
    for i in xml:
        if i.file_size > 2**20 and i.file_size > MAX_XML_RATIO * max(i.compress_size, 1):
            raise InputError(f"{filename}: '{i.filename}' unpacks {i.file_size // max(i.compress_size, 1)}"
                             " times its size (a zip bomb, not a document)")
