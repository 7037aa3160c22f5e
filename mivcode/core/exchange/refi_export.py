"""REFI-QDA export: a `.qdpx` project and a `.qdc` codebook other QDA tools open.

Layout (QDA-XML 1.0): the zip holds `project.qde` and a flat `sources/`
folder with one UTF-8 text file (no BOM) per transcript, referenced as
`internal://<guid>.txt`. Positions are code points from 0, end exclusive —
the same convention as our offsets, so they are written unchanged.

GUIDs are derived from stable names (uuid5), so exporting the same project
twice gives the same ids and other tools recognise codes they have seen;
a code or transcript that came from another tool keeps that tool's guid,
spelled as it was (MAXQDA writes upper case).

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
from mivcode.core import i18n
from mivcode.core.model import STANDARD_META, Code
from mivcode.core.spans import TurnIndex

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
SIDECAR = "mivcode.json"
_NAMESPACE = uuid.UUID("8f0c2f8e-5b7a-4f0e-9a52-6d4d1c0b7e31")  # mivcode's uuid5 namespace
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LANG = "nl"  # the exchanged project is read by the team in other tools: Dutch, like the codebook
VARIABLES = {k: i18n.t(f"refi.variable.{k}", lang=LANG)
             for k in ("institution", "group", "leerweg", "niveau", "locatie", "datum")}


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


def _codes_xml(codes: list[Code], guids: dict[str, str], extra: str = "") -> str:
    children: dict[str | None, list[Code]] = defaultdict(list)
    ids = {c.id for c in codes}
    for c in codes:
        children[c.parent if c.parent in ids else None].append(c)
    out: list[str] = []

    def walk(parent: str | None) -> None:
        for c in children.get(parent, []):
            out.append(f"<Code guid={_a(guids[c.id])} name={_a(c.label)} isCodable=\"true\" color={_a(c.color)}>")
            desc = describe(c)
            if desc:
                out.append(f"<Description>{_t(desc)}</Description>")
            walk(c.id)
            out.append("</Code>")

    walk(None)
    return "<Codes>" + "".join(out) + extra + "</Codes>"


def describe(c: Code) -> str:
    """Definition plus criteria, the way codebooks in QDA tools carry them in one text."""
    parts = [c.definition]
    if c.include:
        parts.append(i18n.t("refi.include", lang=LANG, text=c.include))
    if c.exclude:
        parts.append(i18n.t("refi.exclude", lang=LANG, text=c.exclude))
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

    What the other tools read, and so what is written for them (see the README's table):
    - every `Note`, source, selection and coding carries `creatingUser` and `creationDateTime`
      (QualCoder stops with an error on a note without a date);
    - one `PlainTextSelection` per coder, span and memo, with the coder as its `creatingUser`
      (QualCoder takes the coder and the coding memo from the selection, not from the `Coding`);
      a coding memo is the selection's `Description` and also a `NoteRef` to a `Note`;
    - a turn memo is a selection without codings whose `Description` is the memo (QualCoder's
      annotation), with a `NoteRef` to its `Note`;
    - selection names start with `line:N` (N counts newlines before the span, from 0), the form
      qc writes and the only position qc reads;
    - source and code guids that came from another tool are written back as that tool spelled
      them, so MAXQDA or NVivo recognise their own documents and codes;
    - a case per institution (and institution × group) with a `SourceRef` per transcript, and the
      same link as a code with the case's guid that codes the whole transcript, under the
      non-codable code "Casussen": QualCoder links cases to documents only that way (NVivo's
      convention). Instelling, Groep etc. stay document variables: a case value of the same
      variable makes QualCoder turn it into a case attribute.
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
    turn_memos: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
    for tid, turn, who, text, created in bulk.turn_memo_table(with_dates=True):
        if coder is None or who == coder:
            turn_memos[tid].append((turn, who, text, created))
    importers = bulk.transcript_importers()
    source_importer = {t["id"]: importers.get(t["content_hash"]) for t in transcripts}
    cases = _cases(transcripts)
    # A case link needs a creatingUser (qc stops without one): whoever imported the transcript, else mivcode.
    linker = {t["id"]: source_importer[t["id"]] or PROGRAM_USER for ts in cases.values() for t in ts}
    coders = sorted({c[4] for c in codings} | {m[1] for ms in turn_memos.values() for m in ms}
                    | {w for w in source_importer.values() if w} | set(linker.values()))
    user_guid = {name: stable_guid("user", name) for name in coders}
    source_guid = _source_guids(bulk, transcripts)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    parts: list[str] = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<Project xmlns="{NS_PROJECT}" name={_a(project.path.stem)} origin={_a("mivcode " + __version__)} '
        f'creationDateTime="{now}">',
    ]
    if coders:
        parts.append("<Users>" + "".join(f"<User guid={_a(user_guid[n])} name={_a(n)}/>" for n in coders) + "</Users>")
    if codes or cases:
        parts.append(f"<CodeBook>{_codes_xml(codes, guids, _case_codes_xml(cases))}</CodeBook>")
    used_vars = [k for k in STANDARD_META if any(t[k] for t in transcripts)]
    extra_vars = sorted({k for t in transcripts for k, v in t["extra"].items() if v and k not in VARIABLES})
    var_guid = {k: stable_guid("variable", k) for k in used_vars + extra_vars}
    if var_guid:
        parts.append("<Variables>" + "".join(
            f'<Variable guid="{var_guid[k]}" name={_a(VARIABLES.get(k, k))} typeOfVariable="Text"/>'
            for k in used_vars + extra_vars
        ) + "</Variables>")
    parts.append(_cases_xml(cases, source_guid))

    notes: list[str] = []
    by_source: dict[int, dict[tuple[int, int, str, str], list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for c in codings:
        by_source[c[0]][(c[1], c[2], c[4], c[6] or "")].append(c)
    n_sel = n_cod = 0
    sidecar_sources: dict[str, dict] = {}
    sidecar_codings: dict[str, dict] = {}
    sidecar_memos: dict[str, dict] = {}
    texts: dict[str, str] = {}
    if transcripts:
        parts.append("<Sources>")
    for t in transcripts:
        sg = source_guid[t["id"]]
        text = t["text"]
        texts[sg] = text
        by = source_importer[t["id"]]
        parts.append(f"<TextSource guid={_a(sg)} name={_a(t['name'])} plainTextPath={_a(_text_member(sg, 'internal://'))}"
                     + _stamp(user_guid.get(by) if by else None, t["imported_at"]) + ">")
        tturns = turns.get(t["id"], [])
        index = TurnIndex([u[2] for u in tturns], [u[3] for u in tturns])

        def sel_name(start: int, end: int) -> str:
            line = text.count("\n", 0, start)
            if not tturns:
                return f"line:{line}"
            turn = _first_turn(index, start, end)
            return f"line:{line} {tturns[turn][1]} ({turn})"

        for (start, end, who, memo), group in sorted(by_source[t["id"]].items()):
            sel = stable_guid("selection", sg.lower(), start, end, who, memo)
            parts.append(f'<PlainTextSelection guid="{sel}" name={_a(sel_name(start, end))} startPosition="{start}" '
                         f'endPosition="{end}"' + _stamp(user_guid[who], min(g[7] for g in group)) + ">")
            if memo:
                parts.append(f"<Description>{_t(memo)}</Description>")
            n_sel += 1
            for (_, _, _, code, _, origin, _, created) in group:
                cg = stable_guid("coding", sg.lower(), start, end, code, who)
                parts.append(f'<Coding guid="{cg}"' + _stamp(user_guid[who], created) + ">")
                parts.append(f'<CodeRef targetGUID={_a(guids.get(code) or stable_guid("code", code))}/>')
                if memo:
                    ng = stable_guid("note", cg)
                    parts.append(f'<NoteRef targetGUID="{ng}"/>')
                    note_name = _a(i18n.t("refi.memo", lang=LANG,
                                          name=code_by_id[code].label if code in code_by_id else code))
                    notes.append(f'<Note guid="{ng}" name={note_name}' + _stamp(user_guid[who], created)
                                 + f"><PlainTextContent>{_t(memo)}</PlainTextContent></Note>")
                parts.append("</Coding>")
                sidecar_codings[cg] = {"origin": origin, "created_at": created}
                n_cod += 1
            parts.append("</PlainTextSelection>")
        for turn, who, memo_text, created in turn_memos.get(t["id"], []):
            if not 0 <= turn < len(tturns):
                continue
            u = tturns[turn]
            sel = stable_guid("turnmemo", sg.lower(), turn, who)
            ng = stable_guid("note", sel)
            stamp = _stamp(user_guid[who], created)
            parts.append(f'<PlainTextSelection guid="{sel}" name={_a(sel_name(u[2], u[3]))} startPosition="{u[2]}" '
                         f'endPosition="{u[3]}"{stamp}><Description>{_t(memo_text)}</Description>'
                         f'<NoteRef targetGUID="{ng}"/></PlainTextSelection>')
            memo_name = _a(i18n.t("refi.turn_memo", lang=LANG, transcript=t["name"], turn=turn))
            notes.append(f'<Note guid="{ng}" name={memo_name}{stamp}>'
                         f"<PlainTextContent>{_t(memo_text)}</PlainTextContent></Note>")
            sidecar_memos[ng] = {"turn": turn, "coder": who}
        for case_guid, name in _case_links(cases, t["id"]):
            stamp = _stamp(user_guid[linker[t["id"]]], t["imported_at"])
            parts.append(f'<PlainTextSelection guid="{stable_guid("caselink", case_guid, sg.lower())}" '
                         f'name={_a("line:0 " + name)} startPosition="0" endPosition="{len(text)}"{stamp}>'
                         f'<Coding guid="{stable_guid("casecoding", case_guid, sg.lower())}"{stamp}>'
                         f'<CodeRef targetGUID="{case_guid}"/></Coding></PlainTextSelection>')
        values = {**{k: t[k] for k in used_vars}, **{k: t["extra"].get(k) for k in extra_vars}}
        for k, v in values.items():
            if v:
                parts.append(f'<VariableValue><VariableRef targetGUID="{var_guid[k]}"/>'
                             f"<TextValue>{_t(v)}</TextValue></VariableValue>")
        parts.append("</TextSource>")
        sidecar_sources[sg.lower()] = {
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
        "codes": {guids[c.id].lower(): {k: v for k, v in asdict(c).items() if k != "line"} for c in codes},
        "sources": sidecar_sources, "codings": sidecar_codings, "turn_memos": sidecar_memos,
    }
    path = Path(out)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("project.qde", "".join(parts).encode("utf-8"))
        for sg, text in texts.items():
            zf.writestr(_text_member(sg, "sources/"), text.encode("utf-8"))
        zf.writestr(SIDECAR, json.dumps(sidecar, ensure_ascii=False).encode("utf-8"))
    return RefiExportResult(path, len(transcripts), len(codes), n_sel, n_cod)


def _first_turn(index: TurnIndex, start: int, end: int) -> int:
    """The turn a selection is named after: the first it touches, else the nearest after it."""
    touched = index.touched(start, end)
    if touched:
        return touched[0]
    return min(index.touched(start, start + 1).start, max(len(index.starts) - 1, 0))


def _stamp(user: str | None, ts: str | None) -> str:
    """` creatingUser=… creationDateTime=…` for the attributes we know."""
    when = _iso(ts)
    return (f' creatingUser="{user}"' if user else "") + (f' creationDateTime="{when}"' if when else "")


def _text_member(guid: str, prefix: str) -> str:
    return f"{prefix}{guid.strip('{}')}.txt"


def _source_guids(bulk, transcripts: list[dict]) -> dict[int, str]:
    """The guid a transcript was imported with (as the other tool spelled it), else one derived from its text.

    Two transcripts never share one: a second text imported under the same foreign guid gets its own.
    """
    foreign = bulk.refi_source_guids()
    out: dict[int, str] = {}
    taken: set[str] = set()
    for t in transcripts:
        g = foreign.get(t["content_hash"])
        if not g or g.strip("{}").lower() in taken:
            g = stable_guid("source", t["content_hash"])
        taken.add(g.strip("{}").lower())
        out[t["id"]] = g
    return out


CASES_PARENT = i18n.t("refi.cases_parent", lang=LANG)
PROGRAM_USER = "mivcode"


def _cases(transcripts: list[dict]) -> dict[tuple[str, str | None], list[dict]]:
    """One case per institution and one per institution × group, each with its transcripts."""
    cases: dict[tuple[str, str | None], list[dict]] = defaultdict(list)
    for t in transcripts:
        if t["institution"]:
            cases[(t["institution"], None)].append(t)
            if t["group"]:
                cases[(t["institution"], t["group"])].append(t)
    return dict(sorted(cases.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")))


def _case_guid(inst: str, grp: str | None) -> str:
    return stable_guid("case", inst, grp or "")


def _case_name(inst: str, grp: str | None) -> str:
    return inst if grp is None else f"{inst} — {grp}"


def _case_links(cases: dict, tid: int) -> list[tuple[str, str]]:
    return [(_case_guid(*key), _case_name(*key)) for key, ts in cases.items() if any(t["id"] == tid for t in ts)]


def _case_codes_xml(cases: dict) -> str:
    """The cases again as codes with the case's guid, under a non-codable parent (see `export_qdpx`)."""
    if not cases:
        return ""
    desc = i18n.t("refi.cases_description", lang=LANG)
    return (f'<Code guid="{stable_guid("cases-parent")}" name="{CASES_PARENT}" isCodable="false">'
            f"<Description>{_t(desc)}</Description>"
            + "".join(f'<Code guid="{_case_guid(*key)}" name={_a(_case_name(*key))} isCodable="true"/>'
                      for key in cases) + "</Code>")


def _cases_xml(cases: dict, source_guid: dict[int, str]) -> str:
    if not cases:
        return ""
    out = ["<Cases>"]
    for (inst, grp), ts in cases.items():
        out.append(f'<Case guid="{_case_guid(inst, grp)}" name={_a(_case_name(inst, grp))}>')
        out.extend(f"<SourceRef targetGUID={_a(source_guid[t['id']])}/>" for t in ts)
        out.append("</Case>")
    out.append("</Cases>")
    return "".join(out)
