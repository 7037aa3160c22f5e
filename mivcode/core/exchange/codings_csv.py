"""A CSV of codings into a project: `transcript,turn,code` rows as one coder's codings.

The reference codings of the bundled examples and of the held-out sets come
this way, and so does another tool's export reduced to turns.
"""

from __future__ import annotations

import csv
from pathlib import Path

from mivcode.core.clock import now_iso
from mivcode.core.errors import InputError
from mivcode.core.files import read_input_text
from mivcode.core.model import Coding, Transcript
from mivcode.core.ops import AddCoding, Batch
from mivcode.core.project import Project


def import_codings(project: Project, path: str | Path, coder: str) -> int:
    """Load `transcript,turn,code` rows (a reference coding, another tool's export) as one coder's codings.

    All rows are checked first; one bad row stops the import with its line
    number and nothing is written. Rows already coded are skipped. The whole
    import is one undoable action.
    """
    p = Path(path)
    text = read_input_text(p, "codings CSV")
    try:  # read every row first: csv.Error (a field over 128 KB, a broken quote) is the file's fault
        reader = csv.DictReader(text.splitlines())
        fieldnames, rows = reader.fieldnames, list(reader)
    except csv.Error as exc:
        raise InputError(f"{p}: not a readable CSV file ({exc})") from None
    missing = {"transcript", "turn", "code"} - set(fieldnames or [])
    if missing:
        raise InputError(f"{p}:1: missing column(s) {', '.join(sorted(missing))} (need transcript,turn,code)")
    known_codes = {c.id for c in project.codes()}
    transcripts: dict[str, Transcript] = {}
    ops: list[AddCoding] = []
    seen: set[tuple[str, int, int, str]] = set()
    for line, row in enumerate(rows, start=2):
        name, code = (row.get("transcript") or "").strip(), (row.get("code") or "").strip()
        if name not in transcripts:
            try:
                transcripts[name] = project.transcript(name)
            except InputError:
                raise InputError(f"{p}:{line}: unknown transcript '{name}'") from None
        t = transcripts[name]
        try:
            turn = int((row.get("turn") or "").strip())
        except ValueError:
            raise InputError(f"{p}:{line}: turn '{row.get('turn')}' is not a number") from None
        if not 0 <= turn < len(t.turns):
            raise InputError(f"{p}:{line}: transcript '{name}' has turns 0-{len(t.turns) - 1}, not {turn}")
        if code not in known_codes:
            raise InputError(f"{p}:{line}: unknown code '{code}' (see `mivcode codebook`)")
        u = t.turns[turn]
        start, end = u.start, max(u.end, u.start + 1)
        key = (name, start, end, code)
        if key in seen or project.has_coding(name, start, end, code, coder):
            continue
        seen.add(key)
        ops.append(AddCoding(Coding(name, start, end, code, coder, "import", None, now_iso())))
    if ops:
        project.apply(Batch(tuple(ops)), coder, label="import-codings")
    return len(ops)
