"""Bytes → canonical text: the encodings transcripts really arrive in.

Order: a BOM decides (UTF-8, UTF-16 LE/BE); else strict UTF-8; else cp1252,
the Windows default in which Dutch offices still save .txt files. Text is
NFC-normalised with `\\n` newlines so that offsets mean the same thing in
every tool (REFI-QDA counts code points). Binary input is refused rather
than decoded into mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from mivcode.core.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in a real transcript (tab, LF, CR, FF are fine).
_BAD_CONTROLS = {chr(c) for c in range(32) if c not in (9, 10, 12, 13)} | {"\x7f"}
_BAD_CONTROL_RE = re.compile("[" + "".join(sorted(_BAD_CONTROLS)).replace("\\", "\\\\") + "]")


def decode_bytes(data: bytes, filename: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise InputError naming the file."""
    if not data.strip():
        raise InputError(f"{filename}: empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(f"{filename}: invalid {enc.upper()} text at byte {exc.start}") from None
            return _check(canonical(text), filename), enc
    if b"\x00" in data[:4096]:
        raise InputError(f"{filename}: binary data, not a text file")
    try:
        return _check(canonical(data.decode("utf-8")), filename), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return _check(canonical(data.decode("cp1252")), filename), "cp1252"
    except UnicodeDecodeError:
        raise InputError(f"{filename}: not a text file (neither UTF-8, UTF-16 nor Windows-1252)") from None


def canonical(text: str) -> str:
    """NFC, `\\n` newlines, no BOM, no trailing blanks on lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _check(text: str, filename: str) -> str:
    # the whole text: a NUL or escape code further down would be stored and break exports (XML) and the screen
    bad = _BAD_CONTROL_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(f"{filename}:{line}: binary data (control character U+{ord(bad.group()):04X}), not a text file")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise InputError(f"{filename}: broken text (unpaired surrogate characters)")
    if not text.strip():
        raise InputError(f"{filename}: empty file")
    return text
