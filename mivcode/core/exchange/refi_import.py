"""REFI-QDA import into a project: what `importers.refi_qda` parsed, written through `Project`.

The file is read and checked whole before the project is touched; then the
codes, transcripts and codings land in one transaction, so a broken file
changes nothing. Codes get stable ids (slug of the name); the REFI guid → id
mapping is kept in the project so importing the same file again adds nothing.
Each source's codings and memos are one undoable step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mivcode.core.codebook import ID_RE, Codebook, validate_structure
from mivcode.core.errors import InputError
from mivcode.core.files import read_input
from mivcode.core.importers.refi_qda import (
    RefiCode, RefiSource, code_from, normalise_guid, parse_qdc, parse_qdpx, slugify,
)
from mivcode.core.model import Code, Coding, Transcript
from mivcode.core.ops import AddCoding, Batch, Op, SetTurnMemo
from mivcode.core.project import Project


@dataclass(slots=True)
class RefiImportReport:
    transcripts_added: list[str] = field(default_factory=list)
    transcripts_existing: list[str] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    codes_existing: int = 0
    codings_added: int = 0
    codings_existing: int = 0
    memos_added: int = 0
    warnings: list[str] = field(default_factory=list)


def import_qdpx(project: Project, path: str | Path, coder: str | None = None) -> RefiImportReport:
    """Bring a REFI-QDA project into `project` in one transaction."""
    p = Path(path)
    parsed = parse_qdpx(read_input(p), str(p))
    report = RefiImportReport(warnings=list(parsed.warnings))
    with project.transaction():
        guid_to_id, new_codes, mapping = _plan_codes(project, parsed.codes, parsed.sidecar_codes, report)
        if new_codes:
            _add_codes(project, new_codes, coder, str(p))
        project.save_refi_guids(mapping)
        for source in parsed.sources:
            _import_source(project, source, guid_to_id, coder, report)
    return report


def import_qdc(project: Project, path: str | Path, coder: str | None = None) -> RefiImportReport:
    """Add the codes of a REFI-QDA codebook (`.qdc`, or the codebook inside a `.qde`)."""
    p = Path(path)
    refi_codes = parse_qdc(read_input(p), str(p))
    report = RefiImportReport()
    with project.transaction():
        _, new_codes, mapping = _plan_codes(project, refi_codes, {}, report)
        if new_codes:
            _add_codes(project, new_codes, coder, str(p))
        project.save_refi_guids(mapping)
    return report


# -- codes -------------------------------------------------------------------------------


def _plan_codes(project: Project, refi_codes: list[RefiCode], sidecar_codes: dict, report: RefiImportReport,
                ) -> tuple[dict[str, str], list[Code], dict[str, str]]:
    """guid → our id for every REFI code, the codes to add, and the guid mapping to store."""
    existing = {c.id: c for c in project.codes()}
    by_label = {c.label.casefold(): c.id for c in existing.values()}
    stored = project.refi_guids()
    known = {normalise_guid(g): cid for g, cid in stored.items()}
    shortcuts = {c.shortcut for c in existing.values() if c.shortcut}
    guid_to_id: dict[str, str] = {}
    new: list[Code] = []
    taken = set(existing)
    order = max((c.order for c in existing.values()), default=-1) + 1
    for rc in refi_codes:
        full = sidecar_codes.get(rc.guid)
        full = full if isinstance(full, dict) else None
        parent_id = guid_to_id.get(rc.parent_guid) if rc.parent_guid else None
        if rc.guid in known and known[rc.guid] in existing:
            guid_to_id[rc.guid] = known[rc.guid]
            report.codes_existing += 1
            continue
        if full and isinstance(full.get("id"), str) and full["id"] in existing:
            guid_to_id[rc.guid] = full["id"]
            report.codes_existing += 1
            continue
        same = by_label.get(rc.name.casefold())
        if same is not None and existing[same].parent == parent_id and not full:
            guid_to_id[rc.guid] = same
            report.codes_existing += 1
            continue
        cid = full["id"] if full and isinstance(full.get("id"), str) and ID_RE.match(full["id"]) else slugify(rc.name)
        base, n = cid, 2
        while cid in taken:
            cid, n = f"{base}_{n}", n + 1
        taken.add(cid)
        guid_to_id[rc.guid] = cid
        code = code_from(full, cid, rc, parent_id, order)
        if code.shortcut in shortcuts:
            code.shortcut = None
        if code.shortcut:
            shortcuts.add(code.shortcut)
        order += 1
        new.append(code)
        report.codes_added.append(cid)
    # `requires` may only name codes that exist after the import
    all_ids = taken
    for c in new:
        c.requires = [r for r in c.requires if r in all_ids]
    spelled = {normalise_guid(g): g for g in stored}
    spelled.update({rc.guid: rc.spelling or rc.guid for rc in refi_codes})
    mapping = {spelled.get(g, g): cid for g, cid in {**known, **guid_to_id}.items()}
    return guid_to_id, new, mapping


def _add_codes(project: Project, new_codes: list[Code], coder: str | None, where: str) -> None:
    codes = project.codes() + new_codes
    errors = validate_structure(codes, where)
    if errors:
        raise InputError(errors[0], details=errors)
    project.apply_codebook(Codebook(name="import", codes=codes, path=where, conventions=project.conventions()),
                           coder=coder)


# -- sources ---------------------------------------------------------------------------------


def _import_source(project: Project, source: RefiSource, guid_to_id: dict[str, str], coder: str | None,
                   report: RefiImportReport) -> None:
    t = source.transcript
    tname = project.find_transcript_by_hash(t.content_hash)
    if tname is None:
        tname = _unique_name(project, t.name)
        project.add_transcript(Transcript(tname, t.text, t.turns, t.meta, t.content_hash, t.source_file,
                                          t.source_format), coder)
        report.transcripts_added.append(tname)
    else:
        report.transcripts_existing.append(tname)
    if source.guid_spelling:
        known = project.refi_source_guids()
        if t.content_hash not in known:
            project.save_refi_source_guids({**known, t.content_hash: source.guid_spelling})
    existing = {(c.start, c.end, c.code, c.coder) for c in project.codings(transcript=tname)}
    ops: list[Op] = []
    for c in source.codings:
        code = guid_to_id[c.code_guid]
        key = (c.start, c.end, code, c.coder)
        if key in existing:
            report.codings_existing += 1
            continue
        existing.add(key)
        ops.append(AddCoding(Coding(tname, c.start, c.end, code, c.coder, c.origin, c.memo, c.created_at)))
    memo_ops = _turn_memo_ops(project, tname, source)
    if ops or memo_ops:
        project.apply(Batch(tuple(ops + memo_ops)), coder)
        report.codings_added += len(ops)
        report.memos_added += len(memo_ops)


def _unique_name(project: Project, name: str) -> str:
    existing = set(project.transcript_names())
    base = name.replace("/", "_")
    cand, n = base, 2
    while cand in existing:
        cand, n = f"{base}_{n}", n + 1
    return cand


def _turn_memo_ops(project: Project, tname: str, source: RefiSource) -> list[Op]:
    """Notes on a turn join the memo already there (a second import of the same note adds nothing)."""
    pending: dict[tuple[int, str], str | None] = {}
    ops: list[Op] = []
    for m in source.memos:
        key = (m.turn, m.coder)
        old = pending[key] if key in pending else project.turn_memo(tname, m.turn, m.coder)
        if old and (old == m.text or m.text in old.split("\n\n")):
            continue
        new = f"{old}\n\n{m.text}" if old else m.text
        pending[key] = new
        ops.append(SetTurnMemo(tname, m.turn, m.coder, old, new))
    return ops
