"""The codebook as a CSV that Taguette's "Import codebook" accepts.

Taguette has no REFI-QDA import; it reads a CSV with a `tag` column (also `name` or `path`) and an
optional `description`, finds the encoding with chardet, and skips other columns. So: those two
columns, UTF-8 with a byte-order mark (chardet then never takes "één" for Windows-1252), every
code one row. Taguette's tags are flat; a sub-code is written as `Theme.Sub-code`, because Taguette
lists a tag's highlights together with those of every tag whose name starts with it. Labels are
written as they are (no apostrophe against spreadsheet formulas: it would become part of the tag).
"""

from __future__ import annotations

import csv
from pathlib import Path

from mivcode.core.exchange.refi_export import describe

COLUMNS = ("tag", "description")


def tag_paths(codes) -> dict[str, str]:
    """Code id → Taguette tag: the labels from the top-level code down, joined by '.'."""
    by_id = {c.id: c for c in codes}

    def path(c, seen: frozenset = frozenset()) -> str:
        parent = by_id.get(c.parent) if c.parent and c.parent not in seen else None
        return f"{path(parent, seen | {c.id})}.{c.label}" if parent else c.label

    return {c.id: path(c) for c in codes}


def export_taguette_csv(project, out: str | Path) -> int:
    codes = project.codes()
    paths = tag_paths(codes)
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for c in codes:
            w.writerow([paths[c.id], describe(c)])
    return len(codes)
