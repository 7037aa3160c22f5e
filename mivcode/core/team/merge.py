"""Merge coders' project files into one: transcripts, codes, codings and turn memos.

Why it works this way:

* Transcripts are matched by `content_hash`, not by name, because two coders
  may have imported the same file under different names (or different files
  under the same name). A transcript the target lacks is added whole.
* A coding's identity across files is (transcript hash, start, end, code,
  coder). It keeps its coder, origin, memo and time, so merging is a set
  union: idempotent (the same file twice adds nothing) and order-independent
  (A+B and B+A hold the same transcripts, codes and codings).
* Codebook conflicts (same id, other label, parent or definition) are never
  resolved silently: the default refuses with the full list; `ours` keeps the
  target's codes, `theirs` takes the other file's label, parent and
  definition.
* Every source is read and checked (integrity, schema, codebook) before the
  target is touched, and the whole merge is one transaction, logged as one
  undoable `do` batch (codes and codings; added transcripts stay, harmless
  without codings) plus a `merge` event with the provenance of each file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mivcode.core.codebook import validate_structure
from mivcode.core.errors import InputError, ProjectError
from mivcode.core.model import ORIGINS, Code, Coding, Transcript
from mivcode.core.ops import AddCoding, Batch, Op, PutCode, SetTurnMemo, code_dict
from mivcode.core.project import Project

CONFLICT_MODES = ("refuse", "ours", "theirs")
# The fields that change what a code means; others (colour, shortcut, keywords) are the target's to keep.
MEANING_FIELDS = ("label", "parent", "definition")


@dataclass(slots=True)
class CodebookConflict:
    source: str
    code: str
    fields: list[str]
    ours: dict
    theirs: dict

    def describe(self) -> str:
        diffs = "; ".join(f"{f}: ons {self.ours[f]!r} / hun {self.theirs[f]!r}" for f in self.fields)
        return f"{self.source}: code '{self.code}' verschilt ({diffs})"


@dataclass(slots=True)
class SourceReport:
    """What one file brought in, and where it came from (also written to the event log)."""

    path: str
    sha256: str
    size: int
    modified: str
    created_at: str | None
    written_with: str | None
    schema: int
    transcripts_added: list[str] = field(default_factory=list)
    transcripts_matched: int = 0
    codes_added: list[str] = field(default_factory=list)
    codes_replaced: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_present: int = 0
    memos_added: int = 0
    memos_kept: int = 0
    codings_differing: int = 0  # same coding (span, code, coder), other origin or memo: ours kept
    meta_differing: list[str] = field(default_factory=list)  # matched transcripts whose metadata differ: ours kept
    coders: list[str] = field(default_factory=list)

    def provenance(self) -> dict:
        return {
            "file": self.path, "sha256": self.sha256, "size": self.size, "modified": self.modified,
            "created_at": self.created_at, "written_with": self.written_with, "schema": self.schema,
            "transcripts_added": self.transcripts_added, "transcripts_matched": self.transcripts_matched,
            "codes_added": self.codes_added, "codes_replaced": self.codes_replaced,
            "codings_added": self.codings_added, "codings_present": self.codings_present,
            "memos_added": self.memos_added, "memos_kept": self.memos_kept,
            "codings_differing": self.codings_differing, "meta_differing": self.meta_differing, "coders": self.coders,
        }


@dataclass(slots=True)
class MergeReport:
    sources: list[SourceReport]
    conflicts: list[CodebookConflict]
    mode: str

    @property
    def codings_added(self) -> int:
        return sum(s.codings_added for s in self.sources)

    @property
    def changed(self) -> bool:
        return any(s.codings_added or s.transcripts_added or s.codes_added or s.codes_replaced or s.memos_added
                   for s in self.sources)


@dataclass(slots=True)
class _Source:
    report: SourceReport
    transcripts: list[Transcript]
    codes: list[Code]
    codings: list[tuple]  # (hash, start, end, code, coder, origin, memo, created_at)
    memos: list[tuple]  # (hash, turn, coder, text)


# -- reading a source ------------------------------------------------------------


def _file_facts(path: Path) -> tuple[str, int, str]:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    st = path.stat()
    modified = datetime.fromtimestamp(st.st_mtime, timezone.utc).isoformat(timespec="seconds")
    return digest.hexdigest(), st.st_size, modified


def read_source(path: str | Path) -> _Source:
    """Read everything a merge needs from another project, opened read-only and never changed.

    A file written by an older mivcode is upgraded as a temporary copy; a
    corrupt, foreign or newer file raises ProjectError naming it.
    """
    p = Path(path)
    if not p.exists():
        raise ProjectError(f"{p}: no such project file")
    if p.is_dir():
        raise ProjectError(f"{p}: is a folder, not a project file")
    if Project.is_older_schema(p):
        with tempfile.TemporaryDirectory(prefix="mivcode-merge-") as tmp:
            copy = Path(tmp) / p.name
            Project.copy_file(p, copy)
            return _read(p, copy)
    return _read(p, p)


def _read(original: Path, path: Path) -> _Source:
    sha, size, modified = _file_facts(original)
    try:
        project = Project.open(path, readonly=path == original)
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{original}: corrupt or unreadable project ({exc})") from None
    except ProjectError as exc:
        raise ProjectError(str(exc).replace(str(path), str(original))) from None
    try:
        bulk = project.bulk
        try:
            problems = project.problems(quick=True, foreign_keys=False)
            if problems:
                check = "; ".join(problems[:3])
                raise ProjectError(f"{original}: corrupt project file ({' '.join(check.split())[:160]})")
            names = [r[1] for r in bulk.transcript_index()]
            transcripts = [project.transcript(n) for n in names]
            codes = project.codes()
            codings = bulk.full_coding_rows()
            memos = bulk.turn_memo_rows()
            report = SourceReport(
                path=str(original.resolve()), sha256=sha, size=size, modified=modified,
                created_at=project.meta("created_at"), written_with=project.meta("written_with"),
                schema=project.schema_version(), coders=sorted({c[4] for c in codings}),
            )
        except (sqlite3.DatabaseError, ValueError) as exc:  # ValueError: damaged text or JSON in a sound page
            why = ("damaged text" if isinstance(exc, UnicodeDecodeError) else "damaged data" if isinstance(exc, ValueError)
                   else " ".join(str(exc).split())[:160])
            raise ProjectError(f"{original}: corrupt or unreadable project ({why})") from None
    finally:
        project.close()
    _check_source(original, transcripts, codes, codings, memos)
    return _Source(report, transcripts, codes, codings, memos)


def _check_source(original: Path, transcripts: list[Transcript], codes: list[Code], codings: list[tuple],
                  memos: list[tuple]) -> None:
    """A hand-edited or damaged file can hold codings no mivcode writes: refuse it rather than copy them in."""
    lengths = {t.content_hash: len(t.text) for t in transcripts}
    turns = {t.content_hash: len(t.turns) for t in transcripts}
    names = {t.content_hash: t.name for t in transcripts}
    code_ids = {c.id for c in codes}
    problems: list[str] = []
    for h, start, end, code, coder, origin, *_ in codings:
        where = f"coding {code!r} by {coder!r} at {start}-{end} in {names.get(h, '?')!r}"
        if h not in lengths or not (isinstance(start, int) and isinstance(end, int)
                                    and 0 <= start < end <= lengths[h]):
            problems.append(f"{where} lies outside its transcript (0-{lengths.get(h, 0)})")
        elif code not in code_ids:
            problems.append(f"{where} uses a code that is not in its codebook")
        elif origin not in ORIGINS:
            problems.append(f"{where} has unknown origin {origin!r}")
    for h, turn, coder, _text in memos:
        if h not in turns or not (isinstance(turn, int) and 0 <= turn < turns[h]):
            problems.append(f"memo by {coder!r} on turn {turn} of {names.get(h, '?')!r}, which has no such turn")
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise ProjectError(f"{original}: damaged or hand-edited project: {problems[0]}{more}; nothing was merged")


# -- planning and applying -------------------------------------------------------


def _conflict_fields(ours: Code, theirs: Code) -> list[str]:
    return [f for f in MEANING_FIELDS if (getattr(ours, f) or None) != (getattr(theirs, f) or None)]


def merge_projects(
    project: Project, others: list[str | Path], *, conflicts: str = "refuse", coder: str | None = None
) -> MergeReport:
    """Merge `others` into `project` in one transaction; see the module docstring.

    Raises InputError listing every codebook conflict when `conflicts` is
    "refuse", ProjectError for an unusable file; the project is then unchanged.
    """
    if conflicts not in CONFLICT_MODES:
        raise InputError(f"--codebook-conflicts must be one of {', '.join(CONFLICT_MODES)}, not '{conflicts}'")
    if project.readonly:
        raise ProjectError(f"{project.path}: opened read-only; cannot merge into it")
    target = project.path.resolve()
    paths: list[Path] = []
    for o in others:
        p = Path(o)
        if p.exists() and (p.resolve() == target or os.path.samefile(p, target)):
            raise InputError(f"{o}: this is the project itself; name the other coders' files")
        if p.resolve() not in {q.resolve() for q in paths}:
            paths.append(p)
    if not paths:
        raise InputError("name at least one project file to merge")
    sources = [read_source(p) for p in paths]

    codes = {c.id: c for c in project.codes()}
    original_codes = dict(codes)
    found: list[CodebookConflict] = []
    code_ops: list[Op] = []
    for src in sources:
        for theirs in src.codes:
            ours = codes.get(theirs.id)
            if ours is None:
                taken = {c.shortcut for c in codes.values() if c.shortcut}
                new = Code(**{**code_dict(theirs), "shortcut": None if theirs.shortcut in taken else theirs.shortcut})
                codes[new.id] = new
                src.report.codes_added.append(new.id)
                continue
            diff = _conflict_fields(ours, theirs)
            if not diff:
                continue
            found.append(CodebookConflict(src.report.path, theirs.id, diff, code_dict(ours), code_dict(theirs)))
            if conflicts == "theirs":
                codes[theirs.id] = Code(**{**code_dict(ours), **{f: getattr(theirs, f) for f in MEANING_FIELDS}})
                src.report.codes_replaced.append(theirs.id)
    if found and conflicts == "refuse":
        lines = [c.describe() for c in found]
        raise InputError(
            f"{len(found)} codebook conflict(s); nothing merged. Choose --codebook-conflicts ours or theirs. "
            f"First: {lines[0]}", details=lines,
        )
    errors = validate_structure(list(codes.values()), "merged codebook")
    if errors:
        raise InputError(errors[0].split(": ", 1)[-1] + " (after merging the codebooks; nothing merged)")
    for cid, code in codes.items():
        old = original_codes.get(cid)
        if old is None or code_dict(old) != code_dict(code):
            code_ops.append(PutCode(old, code))

    with project.transaction():  # reads and writes see one state, and all of it lands or none
        index = project.bulk.transcript_index()
        by_hash = {h: name for _, name, h, _ in index}
        names = {name for _, name, _, _ in index}
        for src in sources:
            for t in src.transcripts:
                if t.content_hash in by_hash:
                    src.report.transcripts_matched += 1
                    ours = project.transcript(by_hash[t.content_hash])
                    if ours.meta.as_dict() != t.meta.as_dict():
                        src.report.meta_differing.append(ours.name)
                    continue
                name = t.name if t.name not in names else f"{t.name}_{t.content_hash[:8]}"
                project.add_transcript(Transcript(name, t.text, list(t.turns), t.meta, t.content_hash, t.source_file,
                                                  t.source_format), coder)
                by_hash[t.content_hash] = name
                names.add(name)
                src.report.transcripts_added.append(name)
        coding_ops: list[Op] = []
        memo_ops: list[Op] = []
        existing = project.bulk.coding_details()
        planned: set[tuple] = set()
        memos: dict[tuple[str, int, str], str | None] = {}
        for src in sources:
            added = 0
            for h, start, end, code, who, origin, memo, created in src.codings:
                key = (h, start, end, code, who)
                if key in existing or key in planned:
                    continue
                planned.add(key)
                coding_ops.append(AddCoding(Coding(by_hash[h], start, end, code, who, origin, memo, created)))
                added += 1
            src.report.codings_added = added
            src.report.codings_present = len(src.codings) - added
            src.report.codings_differing = sum(
                1 for h, start, end, code, who, origin, memo, _ in src.codings
                if existing.get((h, start, end, code, who), (origin, memo)) != (origin, memo)
            )
            for h, turn, who, text in src.memos:
                name = by_hash[h]
                key = (name, turn, who)
                current = memos[key] if key in memos else project.turn_memo(name, turn, who)
                if current == text:
                    continue
                if current:
                    src.report.memos_kept += 1
                    continue
                memos[key] = text
                memo_ops.append(SetTurnMemo(name, turn, who, None, text))
                src.report.memos_added += 1
        todo = code_ops + coding_ops + memo_ops
        if todo:
            project.apply(Batch(tuple(todo)), coder, label="merge")
        project.log(coder, "merge", {
            "by": coder, "into": str(target), "mode": conflicts, "conflicts": [c.describe() for c in found],
            "sources": [s.report.provenance() for s in sources],
        })
    return MergeReport([s.report for s in sources], found, conflicts)
