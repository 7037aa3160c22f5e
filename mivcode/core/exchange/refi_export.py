"""REFI-QDA export: a `.qdpx` project and a `.qdc` codebook other QDA tools open.

Layout (QDA-XML 1.0): the zip holds `project.qde` and a flat `sources/`
folder with one UTF-8 text file (no BOM) per transcript, referenced as
`internal://<guid>.txt`. Positions are code points from 0, end exclusive —
the same convention as our offsets, so they are written unchanged.

GUIDs are derived from stable names (uuid5), so exporting the same project
twice gives the same ids and other tools recognise codes they have seen;
a code that came from another tool keeps that tool's guid.

Beside the standard parts the zip carries `mivcode.json`: the turn layout,
all metadata and the full code records, which QDA-XML has no place for.
Other tools ignore it; our importer uses it so that export → import gives
back exactly the same transcripts, codes and codings.
"""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from mivcode import __version__
from mivcode.core.model import STANDARD_META, Code
from mivcode.core.spans import TurnIndex

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
SIDECAR = "mivcode.json"
_NAMESPACE = uuid.UUID("8f0c2f8e-5b7a-4f0e-9a52-6d4d1c0b7e31")  # mivcode's uuid5 namespace
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
VARIABLES = {"institution": "Instelling", "group": "Groep", "leerweg": "Leerweg", "niveau": "Niveau",
             "locatie": "Locatie", "datum": "Datum"}


def stable_guid(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join([kind, *map(str, parts)])))


def _t(value: str) -> str:
    """Element text; a carriage return is written as a character reference so parsers keep it."""
    return escape(_XML_ILLEGAL.sub("", value)).replace("\r", "&#13;")


def _a(value: object) -> str:
    return quoteattr(_XML_ILLEGAL.sub("", str(value)))


def _iso(ts: str | None) -> str | None:
    """Our timestamps are ISO 8601 with offset; xsd:dateTime wants the same without a space."""
    if not ts:
        return None
    try:
        return datetime.fromisoformat(ts).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


@dataclass(slots=True)
class RefiExportResult:
    path: Path
    sources: int
    codes: int
    selections: int
    codings: int


def code_guids(project) -> dict[str, str]:
    """Our code id → guid: the guid a code was imported with, else one derived from the id."""
    imported = {cid: g for g, cid in project.refi_guids().items()}
    return {c.id: imported.get(c.id) or stable_guid("code", c.id) for c in project.codes()}


def _codes_xml(codes: list[Code], guids: dict[str, str]) -> str:
    children: dict[str | None, list[Code]] = defaultdict(list)
    ids = {c.id for c in codes}
    for c in codes:
        children[c.parent if c.parent in ids else None].append(c)
    out: list[str] = []

    def walk(parent: str | None) -> None:
        for c in children.get(parent, []):
            out.append(f"<Code guid={_a(guids[c.id])} name={_a(c.label)} isCodable=\"true\" color={_a(c.color)}>")
            desc = _describe(c)
            if desc:
                out.append(f"<Description>{_t(desc)}</Description>")
            walk(c.id)
            out.append("</Code>")

    walk(None)
    return "<Codes>" + "".join(out) + "</Codes>"


def _describe(c: Code) -> str:
    """Definition plus criteria, the way codebooks in QDA tools carry them in one text."""
    parts = [c.definition]
    if c.include:
        parts.append(f"Wel coderen als: {c.include}")
    if c.exclude:
        parts.append(f"Niet coderen als: {c.exclude}")
    return "\n\n".join(p for p in parts if p)


def codebook_xml(project) -> str:
    codes = project.codes()
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="{NS_CODEBOOK}" '
            f'origin={_a("mivcode " + __version__)}>{_codes_xml(codes, code_guids(project))}</CodeBook>\n')


def export_qdc(project, out: str | Path) -> int:
    Path(out).write_text(codebook_xml(project), encoding="utf-8")
    return len(project.codes())


def export_qdpx(project, out: str | Path, coder: str | None = None) -> RefiExportResult:
    """Write the whole project (transcripts, codebook, every coder's codings, memos, metadata).

    `coder` limits codings and memos to one coder (e.g. only the consensus layer for a colleague).
    """
    bulk = project.bulk
    if coder is not None and coder not in project.coders_with_codings():
        from mivcode.core.errors import InputError

        known = ", ".join(project.coders_with_codings()) or "none"
        raise InputError(f"--coder {coder}: no codings by '{coder}' in this project (coders: {known})")
    codes = project.codes()
    guids = code_guids(project)
    code_by_id = {c.id: c for c in codes}
    transcripts = bulk.transcript_table()
    turns = bulk.turn_table()
    codings = bulk.coding_table(coder)
    turn_memos: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for tid, turn, who, text in bulk.turn_memo_table():
        if coder is None or who == coder:
            turn_memos[tid].append((turn, who, text))
    coders = sorted({c[4] for c in codings} | {m[1] for ms in turn_memos.values() for m in ms})
    user_guid = {name: stable_guid("user", name) for name in coders}
    source_guid = {t["id"]: stable_guid("source", t["content_hash"]) for t in transcripts}
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    parts: list[str] = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<Project xmlns="{NS_PROJECT}" name={_a(project.path.stem)} origin={_a("mivcode " + __version__)} '
        f'creationDateTime="{now}">',
    ]
    if coders:
        parts.append("<Users>" + "".join(f"<User guid={_a(user_guid[n])} name={_a(n)}/>" for n in coders) + "</Users>")
    if codes:
        parts.append(f"<CodeBook>{_codes_xml(codes, guids)}</CodeBook>")
    used_vars = [k for k in STANDARD_META if any(t[k] for t in transcripts)]
    extra_vars = sorted({k for t in transcripts for k, v in t["extra"].items() if v and k not in VARIABLES})
    var_guid = {k: stable_guid("variable", k) for k in used_vars + extra_vars}
    if var_guid:
        parts.append("<Variables>" + "".join(
            f'<Variable guid="{var_guid[k]}" name={_a(VARIABLES.get(k, k))} typeOfVariable="Text"/>'
            for k in used_vars + extra_vars
        ) + "</Variables>")
    parts.append(_cases_xml(transcripts, source_guid, var_guid))

    notes: list[str] = []
    by_source: dict[int, dict[tuple[int, int], list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for c in codings:
        by_source[c[0]][(c[1], c[2])].append(c)
    n_sel = n_cod = 0
    sidecar_sources: dict[str, dict] = {}
    sidecar_codings: dict[str, dict] = {}
    sidecar_memos: dict[str, dict] = {}
    texts: dict[str, str] = {}
    if transcripts:
        parts.append("<Sources>")
    for t in transcripts:
        sg = source_guid[t["id"]]
        texts[sg] = t["text"]
        parts.append(f"<TextSource guid=\"{sg}\" name={_a(t['name'])} plainTextPath=\"internal://{sg}.txt\">")
        tturns = turns.get(t["id"], [])
        index = TurnIndex([u[2] for u in tturns], [u[3] for u in tturns])
        for (start, end), group in sorted(by_source[t["id"]].items()):
            sel = stable_guid("selection", sg, start, end)
            first = _first_turn(index, start, end)
            name = f"{tturns[first][1]} ({first})" if tturns else f"{start}-{end}"
            parts.append(f'<PlainTextSelection guid="{sel}" name={_a(name)} startPosition="{start}" '
                         f'endPosition="{end}">')
            n_sel += 1
            for (_, _, _, code, who, origin, memo, created) in group:
                cg = stable_guid("coding", sg, start, end, code, who)
                when = _iso(created)
                parts.append(f'<Coding guid="{cg}" creatingUser="{user_guid[who]}"'
                             + (f' creationDateTime="{when}"' if when else "") + ">")
                parts.append(f'<CodeRef targetGUID="{guids.get(code) or stable_guid("code", code)}"/>')
                if memo:
                    ng = stable_guid("note", cg)
                    parts.append(f'<NoteRef targetGUID="{ng}"/>')
                    note_name = _a("Memo " + (code_by_id[code].label if code in code_by_id else code))
                    notes.append(f'<Note guid="{ng}" name={note_name} creatingUser="{user_guid[who]}">'
                                 f"<PlainTextContent>{_t(memo)}</PlainTextContent></Note>")
                parts.append("</Coding>")
                sidecar_codings[cg] = {"origin": origin, "created_at": created}
                n_cod += 1
            parts.append("</PlainTextSelection>")
        for turn, who, text in turn_memos.get(t["id"], []):
            if not 0 <= turn < len(tturns):
                continue
            u = tturns[turn]
            sel = stable_guid("turnmemo", sg, turn, who)
            ng = stable_guid("note", sel)
            parts.append(f'<PlainTextSelection guid="{sel}" name={_a(f"{u[1]} ({turn})")} startPosition="{u[2]}" '
                         f'endPosition="{u[3]}" creatingUser="{user_guid[who]}">'
                         f'<NoteRef targetGUID="{ng}"/></PlainTextSelection>')
            memo_name = _a(f"Memo {t['name']} {turn}")
            notes.append(f'<Note guid="{ng}" name={memo_name} creatingUser="{user_guid[who]}">'
                         f"<PlainTextContent>{_t(text)}</PlainTextContent></Note>")
            sidecar_memos[ng] = {"turn": turn, "coder": who}
        values = {**{k: t[k] for k in used_vars}, **{k: t["extra"].get(k) for k in extra_vars}}
        for k, v in values.items():
            if v:
                parts.append(f'<VariableValue><VariableRef targetGUID="{var_guid[k]}"/>'
                             f"<TextValue>{_t(v)}</TextValue></VariableValue>")
        parts.append("</TextSource>")
        sidecar_sources[sg] = {
            "name": t["name"], "hash": t["content_hash"], "turns": [list(u[1:]) for u in tturns],
            "meta": {**{k: t[k] for k in STANDARD_META}, "extra": t["extra"]},
            "source_file": t["source_file"], "source_format": t["source_format"],
        }
    if transcripts:
        parts.append("</Sources>")
    if notes:
        parts.append("<Notes>" + "".join(notes) + "</Notes>")
    parts.append("</Project>\n")

    sidecar = {
        "format": "mivcode-refi", "version": 1, "mivcode": __version__,
        "codes": {guids[c.id]: {k: v for k, v in asdict(c).items() if k != "line"} for c in codes},
        "sources": sidecar_sources, "codings": sidecar_codings, "turn_memos": sidecar_memos,
    }
    path = Path(out)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("project.qde", "".join(parts).encode("utf-8"))
        for sg, text in texts.items():
            zf.writestr(f"sources/{sg}.txt", text.encode("utf-8"))
        zf.writestr(SIDECAR, json.dumps(sidecar, ensure_ascii=False).encode("utf-8"))
    return RefiExportResult(path, len(transcripts), len(codes), n_sel, n_cod)


def _first_turn(index: TurnIndex, start: int, end: int) -> int:
    """The turn a selection is named after: the first it touches, else the nearest after it."""
    touched = index.touched(start, end)
    if touched:
        return touched[0]
    return min(index.touched(start, start + 1).start, max(len(index.starts) - 1, 0))


def _cases_xml(transcripts: list[dict], source_guid: dict[int, str], var_guid: dict[str, str]) -> str:
    """One case per institution and one per institution × group, each pointing at its transcripts."""
    cases: dict[tuple[str, str | None], list[dict]] = defaultdict(list)
    for t in transcripts:
        if t["institution"]:
            cases[(t["institution"], None)].append(t)
            if t["group"]:
                cases[(t["institution"], t["group"])].append(t)
    if not cases:
        return ""
    out = ["<Cases>"]
    for (inst, grp), ts in sorted(cases.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        name = inst if grp is None else f"{inst} — {grp}"
        out.append(f'<Case guid="{stable_guid("case", inst, grp or "")}" name={_a(name)}>')
        for key, value in (("institution", inst), ("group", grp)):
            if value and key in var_guid:
                out.append(f'<VariableValue><VariableRef targetGUID="{var_guid[key]}"/>'
                           f"<TextValue>{_t(value)}</TextValue></VariableValue>")
        out.extend(f'<SourceRef targetGUID="{source_guid[t["id"]]}"/>' for t in ts)
        out.append("</Case>")
    out.append("</Cases>")
    return "".join(out)
