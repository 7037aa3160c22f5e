"""Reading a file the researcher named: its content, or one line that says which file and what is wrong.

Every importer, the manifest, the codebook and the CSV of codings start here,
so a missing file, a folder, a permission problem or text that is not UTF-8
reads the same everywhere.
"""

from __future__ import annotations

from pathlib import Path

from mivcode.core.errors import InputError


def read_input(path: str | Path, what: str = "file") -> bytes:
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a folder, not a {what}")
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: {what} not found") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read {what} ({exc.strerror or exc.__class__.__name__})") from None


def read_input_text(path: str | Path, what: str = "file") -> str:
    """UTF-8 text (a BOM is dropped) for the formats we define ourselves: codebook YAML, codings CSV."""
    data = read_input(path, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{Path(path)}: {what} is not UTF-8 text (byte {exc.start})") from None
