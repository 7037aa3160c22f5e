"""REFI-QDA parsing: `.qdpx` projects and `.qdc` codebooks from ATLAS.ti, MAXQDA, NVivo, QualCoder, Taguette.

This module turns the bytes of such a file into plain dataclasses (codes,
transcripts, codings placed on our text, memos); `mivcode.core.exchange.refi_import`
writes them into a project. Safety first, because these files come from outside:
- XML is parsed with defusedxml (no DTDs, no entities, no external references);
- the zip is never extracted: members are read in memory, by name, with a
  cap on declared and actual sizes (zip bombs) — a member name like
  `../../x` is simply a name we never resolve against the disk;
- the whole file is parsed and checked before the project is touched.

Tools differ: `Sources/` or `sources/`, a `.qde` named after the project,
`plainTextPath` with or without `internal://`, a BOM before the text (the
positions then count from after it), NVivo's rich-text-only sources. Text
becomes our canonical layout (one `Speaker: utterance` line per turn, or one
paragraph per turn with speaker "Onbekend" when the text has no labels), and
every selection's positions are mapped from the tool's text to ours.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
import zlib
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from mivcode.core.clock import now_iso
from mivcode.core.codebook import COLOR_RE, RESERVED_SHORTCUTS
from mivcode.core.errors import InputError
from mivcode.core.importers.turn_builder import content_hash, split_speaker
from mivcode.core.model import ORIGINS, STANDARD_META, Code, Transcript, TranscriptMeta, Turn
from mivcode.core.spans import turn_at

MAX_MEMBER_BYTES = 64 * 2**20  # one .qde or source text
MAX_TOTAL_BYTES = 512 * 2**20  # everything we read from one archive
MAX_RATIO = 200  # declared uncompressed / compressed size beyond which a member is a bomb
UNKNOWN_SPEAKER = "Onbekend"
IMPORT_CODER = "refi-import"
SIDECAR = "mivcode.json"
_META_NAMES = {
    "institution": "institution", "instelling": "institution", "school": "institution",
    "group": "group", "groep": "group", "leerweg": "leerweg", "niveau": "niveau", "level": "niveau",
    "locatie": "locatie", "location": "locatie", "datum": "datum", "date": "datum",
}


@dataclass(slots=True)
class RefiCoding:
    """A coding of a source, placed on our canonical text."""

    start: int
    end: int
    code_guid: str  # a code of the file's codebook
    coder: str
    origin: str
    memo: str | None
    created_at: str


@dataclass(slots=True)
class RefiTurnMemo:
    turn: int
    coder: str
    text: str


@dataclass(slots=True)
class RefiSource:
    """One text source: the transcript as we lay it out (named as in the other tool), its codings and memos."""

    transcript: Transcript
    guid_spelling: str = ""  # the source's guid as the other tool wrote it, given back on our export
    codings: list[RefiCoding] = field(default_factory=list)
    memos: list[RefiTurnMemo] = field(default_factory=list)


@dataclass(slots=True)
class RefiProject:
    codes: list[RefiCode]
    sidecar_codes: dict  # code guid → our full code record, when the file is our own export
    sources: list[RefiSource]
    warnings: list[str]


# -- reading the archive safely ----------------------------------------------------------


class _Archive:
    """Members of a zip by case-insensitive name, read in memory with size caps."""

    def __init__(self, data: bytes, filename: str):
        self.filename = filename
        self.read_total = 0
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except Exception as exc:  # noqa: BLE001 - zipfile raises many types on hostile bytes; all mean "no valid zip"
            detail = " ".join(str(exc).split())[:120]
            kind = "not a zip archive" if isinstance(exc, zipfile.BadZipFile) else f"unreadable zip: {detail}"
            raise InputError(f"{filename}: not a REFI-QDA project ({kind})") from None
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.is_dir():
                continue
            self.members.setdefault(_norm_member(info.filename), info)

    def find(self, name: str) -> zipfile.ZipInfo | None:
        return self.members.get(_norm_member(name))

    def read(self, info: zipfile.ZipInfo) -> bytes:
        if info.flag_bits & 0x1:
            raise InputError(f"{self.filename}: member '{info.filename}' is encrypted")
        if info.file_size > MAX_MEMBER_BYTES or (
            info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 2**20
        ):
            raise InputError(f"{self.filename}: member '{info.filename}' unpacks to {info.file_size // 2**20} MB "
                             "(too large, possibly a zip bomb)")
        try:
            with self.zf.open(info) as fh:
                data = fh.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError,
                ValueError) as exc:  # zlib.error/ValueError: a damaged deflate stream or header offset
            raise InputError(f"{self.filename}: member '{info.filename}' is damaged ({exc})") from None
        if len(data) > MAX_MEMBER_BYTES:  # the declared size lied
            raise InputError(f"{self.filename}: member '{info.filename}' is larger than it claims (zip bomb)")
        self.read_total += len(data)
        if self.read_total > MAX_TOTAL_BYTES:
            raise InputError(f"{self.filename}: unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB (zip bomb)")
        return data

    def qde(self) -> zipfile.ZipInfo:
        roots = [i for n, i in self.members.items() if n.endswith(".qde") and "/" not in n]
        if not roots:
            roots = [i for n, i in self.members.items() if n.endswith(".qde")]
        if not roots:
            raise InputError(f"{self.filename}: not a REFI-QDA project (no .qde file in the archive)")
        roots.sort(key=lambda i: (_norm_member(i.filename) != "project.qde", i.filename))
        return roots[0]


def _norm_member(name: str) -> str:
    """Compare member names without case, backslashes or leading './' (Sources/ vs sources/)."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts).lower()


def parse_xml(data: bytes, filename: str) -> Element:
    """defusedxml: DTDs, entity declarations and external references are refused."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        return DET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise InputError(f"{filename}: refused unsafe XML ({exc.__class__.__name__}: DTDs and entities are not "
                         "allowed)") from None
    except (ParseError, ValueError, LookupError) as exc:  # LookupError: <?xml encoding="no-such-codec"?>
        raise InputError(f"{filename}: not valid XML ({exc})") from None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: Element, name: str) -> list[Element]:
    return [c for c in el if _local(c.tag) == name]


def _child(el: Element, name: str) -> Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _grand(root: Element, name: str, child: str) -> list[Element]:
    """`<Users><User/>…</Users>` → the User elements (none when the wrapper is missing)."""
    wrapper = _child(root, name)
    return _children(wrapper, child) if wrapper is not None else []


def _raw_text(el: Element | None) -> str:
    """Text exactly as written (a memo may begin with a tab)."""
    return "".join(el.itertext()) if el is not None else ""


def _text_of(el: Element | None) -> str:
    return "".join(el.itertext()).strip() if el is not None else ""


# -- codes -------------------------------------------------------------------------------


def slugify(name: str) -> str:
    """A REFI code name → an id our codebook accepts: lower-case ASCII, digits and `_`."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")[:60].strip("_")
    return s or "code"


@dataclass(slots=True)
class RefiCode:
    guid: str
    name: str
    parent_guid: str | None
    color: str | None
    description: str
    spelling: str = ""  # the guid as the tool wrote it (MAXQDA: upper case); our export writes it back
    codable: bool = True


MAX_CODE_DEPTH = 64


def _walk_codes(codes_el: Element | None, where: str = "codebook") -> list[RefiCode]:
    """Depth-first, parents before children; iterative, and refusing absurd nesting."""
    out: list[RefiCode] = []
    if codes_el is None:
        return out
    stack: list[tuple[Element, str | None, int]] = [(el, None, 1) for el in reversed(_children(codes_el, "Code"))]
    while stack:
        el, parent, depth = stack.pop()
        if depth > MAX_CODE_DEPTH:
            raise InputError(f"{where}: codes nested deeper than {MAX_CODE_DEPTH} levels")
        guid = _guid(el.get("guid"))
        if not guid:
            continue
        out.append(RefiCode(guid, " ".join((el.get("name") or "").split()) or guid, parent, el.get("color"),
                            _text_of(_child(el, "Description")), _spelling(el.get("guid")),
                            (el.get("isCodable") or "true").strip().lower() not in ("false", "0")))
        stack.extend((c, guid, depth + 1) for c in reversed(_children(el, "Code")))
    return out


def _color(value: object) -> str:
    if not isinstance(value, str) or not value:
        return "#888888"
    v = value.strip()
    if re.fullmatch(r"#[0-9a-fA-F]{3}", v):
        v = "#" + "".join(ch * 2 for ch in v[1:])
    return v.lower() if COLOR_RE.match(v) else "#888888"


def code_from(full: dict | None, cid: str, rc: RefiCode, parent_id: str | None, order: int) -> Code:
    """A code from our sidecar (every field, each checked for its type) or from the REFI attributes."""
    if not full:
        return Code(id=cid, label=rc.name, parent=parent_id, definition=rc.description, color=_color(rc.color),
                    order=order)

    def txt(key: str) -> str:
        v = full.get(key)
        return v.strip() if isinstance(v, str) else ""

    def lst(key: str) -> list:
        v = full.get(key)
        return [x for x in v if isinstance(x, str)] if isinstance(v, list) else []

    patterns = full.get("patterns") if isinstance(full.get("patterns"), list) else []
    sc = full.get("shortcut")
    return Code(
        id=cid, label=txt("label") or rc.name, parent=parent_id, label_en=txt("label_en") or None,
        definition=txt("definition"), include=txt("include"), exclude=txt("exclude"), examples=lst("examples"),
        keywords=lst("keywords"),
        patterns=[q for q in patterns if isinstance(q, list) and q and all(isinstance(t, dict) for t in q)],
        markers=lst("markers"), requires=lst("requires"), color=_color(txt("color") or rc.color),
        shortcut=sc if isinstance(sc, str) and len(sc) == 1 and sc not in RESERVED_SHORTCUTS else None,
        order=full["order"] if type(full.get("order")) is int else order,
    )


# -- text → canonical transcript, with an offset map ----------------------------------------


@dataclass(slots=True)
class _Piece:
    """A run of source text copied into the canonical text."""

    src_start: int
    src_end: int
    dst_start: int
    src_text: str
    dst_len: int


@dataclass(slots=True)
class _Layout:
    transcript_text: str
    turns: list[Turn]
    pieces: list[_Piece]

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Source positions → canonical positions; a span in a gap snaps to the text next to it."""
        if not self.pieces:
            return None
        starts = [p.src_start for p in self.pieces]
        i = bisect_right(starts, start) - 1
        if i >= 0 and start < self.pieces[i].src_end:
            new_start = self._inside(self.pieces[i], start)
        else:
            i += 1
            if i >= len(self.pieces):
                return None
            new_start = self.pieces[i].dst_start
        j = bisect_right(starts, end - 1) - 1
        if j < 0:
            return None
        p = self.pieces[j]
        new_end = self._inside(p, end) if end <= p.src_end else p.dst_start + p.dst_len
        if new_end <= new_start:
            return None
        return new_start, new_end

    @staticmethod
    def _inside(p: _Piece, pos: int) -> int:
        k = pos - p.src_start
        if p.dst_len == len(p.src_text):
            return p.dst_start + k
        return p.dst_start + len(unicodedata.normalize("NFC", p.src_text[:k]))


# Transcription software pads the label: "admin-1:     Sure." — a lower-case or numbered label is still a
# label when a tab or two or more spaces follow the colon.
_PADDED_LABEL = re.compile(r"^(?P<label>[^\W_][\w .'’()\-]{0,38}?)\s*:(?:\t|\s{2,})\s*(?P<rest>\S.*)$")


def _padded_label(line: str) -> tuple[str, str, None] | None:
    m = _PADDED_LABEL.match(line)
    return (m.group("label").strip(), m.group("rest").strip(), None) if m else None


def layout_text(raw: str) -> _Layout:
    """Turns by speaker label where the text has them, else one turn per paragraph."""
    lines: list[tuple[int, str]] = []  # (source offset of the stripped line, stripped line)
    for m in re.finditer(r"[^\r\n]+", raw):
        line = m.group(0)
        stripped = line.strip()
        if stripped:
            lines.append((m.start() + (len(line) - len(line.lstrip())), stripped))
    labelled = [split_speaker(s) or _padded_label(s) for _, s in lines]
    n_labels = sum(1 for h in labelled if h)
    use_labels = n_labels >= 2 or (n_labels == 1 and len(lines) == 1)
    turns_src: list[tuple[str, list[tuple[int, str]]]] = []  # speaker, [(offset, text)]
    for (off, s), hit in zip(lines, labelled):
        if use_labels and hit:
            speaker, rest, _ = hit
            turns_src.append((speaker, [(off + len(s) - len(rest), rest)] if rest else []))
        elif use_labels and turns_src:
            turns_src[-1][1].append((off, s))
        else:
            turns_src.append((UNKNOWN_SPEAKER, [(off, s)]))
    text_parts: list[str] = []
    turns: list[Turn] = []
    pieces: list[_Piece] = []
    pos = 0
    for speaker, chunks in turns_src:
        if not chunks:
            continue
        speaker = " ".join(speaker.split())
        prefix = f"{speaker}: "
        pos_turn = pos + len(prefix)
        body: list[str] = []
        cur = pos_turn
        for k, (off, chunk) in enumerate(chunks):
            if k:
                cur += 1  # "\n" between lines of one turn
            norm = unicodedata.normalize("NFC", chunk)
            pieces.append(_Piece(off, off + len(chunk), cur, chunk, len(norm)))
            body.append(norm)
            cur += len(norm)
        utter = "\n".join(body)
        turns.append(Turn(len(turns), speaker, pos_turn, pos_turn + len(utter)))
        text_parts.append(prefix + utter)
        pos = pos_turn + len(utter) + 1
    return _Layout("\n".join(text_parts), turns, pieces)


def _sidecar_layout(text: str, info: dict) -> _Layout | None:
    """Our own export: take the turns as they were, if they fit the text."""
    turns_raw = info.get("turns")
    if not isinstance(turns_raw, list) or not turns_raw:
        return None
    turns: list[Turn] = []
    prev = 0
    for i, u in enumerate(turns_raw):
        if not (isinstance(u, list) and len(u) >= 3 and isinstance(u[0], str) and isinstance(u[1], int)
                and isinstance(u[2], int) and prev <= u[1] <= u[2] <= len(text)):
            return None
        ts = u[3] if len(u) > 3 and isinstance(u[3], (int, float)) else None
        te = u[4] if len(u) > 4 and isinstance(u[4], (int, float)) else None
        turns.append(Turn(i, u[0], u[1], u[2], ts, te))
        prev = u[2]
    return _Layout(text, turns, [_Piece(0, len(text), 0, text, len(text))])


# -- the import ------------------------------------------------------------------------------


def _decode_source(data: bytes, where: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # the positions of a tool that writes a BOM count from after it
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            raise InputError(f"{where}: invalid UTF-16 text") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: source text is not UTF-8 (byte {exc.start})") from None


def _source_text(arc: _Archive, el: Element, where: str, warnings: list[str]) -> tuple[str | None, bool]:
    """The plain text of a TextSource, and whether the selections' positions refer to it."""
    inline = _child(el, "PlainTextContent")
    if inline is not None and inline.text:
        return inline.text, True
    path = el.get("plainTextPath") or ""
    data = _member_by_path(arc, path)
    if data is not None:
        text = _decode_source(data, f"{arc.filename}: {path}")
        if text.strip():
            return text, True
    rich = el.get("richTextPath") or ""
    if rich.lower().endswith(".docx"):
        rdata = _member_by_path(arc, rich)
        if rdata is not None:
            from mivcode.core.importers.word import read_docx

            segs = read_docx(rdata, f"{arc.filename}: {rich}")
            lines = [f"{s.speaker}: {s.text}" if s.speaker else s.text for s in segs]
            if not segs:  # no labels: the docx importer found no turns; fall back to its paragraphs
                import docx

                lines = [p.text for p in docx.Document(io.BytesIO(rdata)).paragraphs]
            text = "\n".join(lines)
            if text.strip():
                return text, False
    if not path and not rich:
        warnings.append(f"{where}: no plainTextPath; skipped")
    else:
        warnings.append(f"{where}: text '{path or rich}' is missing or empty; skipped")
    return None, False


def _member_by_path(arc: _Archive, path: str) -> bytes | None:
    """`internal://x.txt` → sources/x.txt; a bare or relative path → sources/<name> or <name>."""
    if not path:
        return None
    p = path[len("internal://"):] if path.lower().startswith("internal://") else path
    name = PurePosixPath(p.replace("\\", "/")).name
    if not name:
        return None
    for candidate in (f"sources/{name}", name, p):
        info = arc.find(candidate)
        if info is not None:
            return arc.read(info)
    return None


def _meta_from(el: Element, var_names: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for vv in _children(el, "VariableValue"):
        ref = _child(vv, "VariableRef")
        name = var_names.get((ref.get("targetGUID") or "").strip("{} ").lower()) if ref is not None else None
        if not name:
            continue
        value = next((_text_of(c) for c in vv if _local(c.tag).endswith("Value") and _local(c.tag) != "VariableRef"),
                     "")
        if value:
            out[name] = value
    return out


def _meta(values: dict[str, str]) -> TranscriptMeta:
    std: dict[str, str] = {}
    extra: dict[str, str] = {}
    for k, v in values.items():
        key = _META_NAMES.get(k.strip().lower())
        if key:
            std.setdefault(key, v)
        else:
            extra[k] = v
    return TranscriptMeta(**std, extra=extra)


def normalise_guid(value: str | None) -> str:
    """A guid as we compare it: no braces, lower case (tools differ in both)."""
    return (value or "").strip("{} ").lower()


_guid = normalise_guid


def _spelling(value: str | None) -> str:
    """A guid as the tool wrote it, for writing it back (only surrounding spaces dropped)."""
    return (value or "").strip()


def parse_qdpx(data: bytes, filename: str) -> RefiProject:
    """A REFI-QDA project's codes, sources, codings and memos, checked whole; InputError for a bad file."""
    p = Path(filename)
    if not data:
        raise InputError(f"{p}: empty file, not a REFI-QDA project")
    arc = _Archive(data, str(p))
    root = parse_xml(arc.read(arc.qde()), f"{p}: {arc.qde().filename}")
    if _local(root.tag) != "Project":
        raise InputError(f"{p}: the .qde is not a REFI-QDA project (root element <{_local(root.tag)}>)")
    sidecar = _read_sidecar(arc)
    users = {_guid(u.get("guid")): (u.get("name") or u.get("id") or u.get("guid") or "").strip()
             for u in _grand(root, "Users", "User")}
    codebook_el = _child(root, "CodeBook")
    refi_codes = _walk_codes(_child(codebook_el, "Codes") if codebook_el is not None else None, str(p))
    var_names = {_guid(v.get("guid")): v.get("name") or "" for v in
                 _grand(root, "Variables", "Variable")}
    note_els = _grand(root, "Notes", "Note")
    notes = {_guid(n.get("guid")): _raw_text(_child(n, "PlainTextContent")) or _text_of(_child(n, "Description"))
             for n in note_els}
    note_users = {_guid(n.get("guid")): _guid(n.get("creatingUser")) for n in note_els}
    case_meta: dict[str, dict[str, str]] = {}
    case_guids: set[str] = set()
    for case in _grand(root, "Cases", "Case"):
        case_guids.add(_guid(case.get("guid")))
        values = _meta_from(case, var_names)
        for ref in _children(case, "SourceRef"):
            case_meta.setdefault(_guid(ref.get("targetGUID")), {}).update(values)
    if (root.get("origin") or "").startswith("mivcode"):
        refi_codes, case_codes = _without_case_codes(refi_codes, case_guids)
    else:  # another tool's case codes (NVivo) may code a participant's turns: keep them as codes for now
        case_codes = set()

    parsed = RefiProject(refi_codes, sidecar.get("codes", {}), [], [])
    code_guids = {rc.guid for rc in refi_codes}
    sources_el = _child(root, "Sources")
    for el in list(sources_el) if sources_el is not None else []:
        source = _parse_source(arc, el, p, users, code_guids, var_names, (notes, note_users), case_meta, sidecar,
                               parsed.warnings, case_codes)
        if source is not None:
            parsed.sources.append(source)
    return parsed


def _without_case_codes(codes: list[RefiCode], case_guids: set[str]) -> tuple[list[RefiCode], set[str]]:
    """In our own export, codes that stand for cases (a code with a case's guid that codes whole
    transcripts, for QualCoder) are no codes; nor is the non-codable code that holds them."""
    if not case_guids:
        return codes, set()
    dropped = {c.guid for c in codes if c.guid in case_guids}
    children: dict[str, list[str]] = {}
    for c in codes:
        if c.parent_guid:
            children.setdefault(c.parent_guid, []).append(c.guid)
    for c in reversed(codes):  # children before parents
        kids = children.get(c.guid)
        if kids and not c.codable and all(k in dropped for k in kids):
            dropped.add(c.guid)
    return [c for c in codes if c.guid not in dropped], dropped


def _read_sidecar(arc: _Archive) -> dict:
    info = arc.find(SIDECAR)
    if info is None:
        return {}
    try:
        data = json.loads(arc.read(info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("format") != "mivcode-refi":
        return {}
    for key in ("codes", "sources", "codings", "turn_memos"):
        if not isinstance(data.get(key), dict):
            data[key] = {}
    return data


def _parse_source(arc: _Archive, el: Element, p: Path, users: dict[str, str], code_guids: set[str],
                  var_names: dict[str, str], notes: tuple[dict, dict], case_meta: dict[str, dict[str, str]],
                  sidecar: dict, warnings: list[str], case_codes: set[str] = frozenset()) -> RefiSource | None:
    kind = _local(el.tag)
    sguid = _guid(el.get("guid"))
    text_path = (el.get("plainTextPath") or el.get("richTextPath") or "").replace("\\", "/")
    name = (el.get("name") or "").strip() or PurePosixPath(text_path).stem or sguid or "source"
    where = f"{p}: source '{name}'"
    if kind != "TextSource":
        warnings.append(f"{where}: {kind} is not text; skipped")
        return None
    raw, positions_fit = _source_text(arc, el, where, warnings)
    if raw is None:
        return None
    info = sidecar.get("sources", {}).get(sguid)
    if isinstance(info, dict) and info.get("hash") not in (None, content_hash(raw)):
        info = None  # the text was changed after our export: its turns no longer fit
    layout = _sidecar_layout(raw, info) if isinstance(info, dict) else None
    if layout is None:
        layout = layout_text(raw)
    if not layout.turns:
        warnings.append(f"{where}: no text; skipped")
        return None
    if isinstance(info, dict):
        name = str(info.get("name") or name)
        m = info.get("meta") if isinstance(info.get("meta"), dict) else {}
        extra = m.get("extra") if isinstance(m.get("extra"), dict) else {}
        meta = TranscriptMeta(**{k: (str(m[k]) if m.get(k) is not None else None) for k in STANDARD_META},
                              extra={str(k): str(v) for k, v in extra.items()})
        source_file = str(info.get("source_file") or p.name)
        source_format = str(info.get("source_format") or "refi-qda")
    else:
        meta = _meta({**case_meta.get(sguid, {}), **_meta_from(el, var_names)})
        source_file, source_format = p.name, "refi-qda"
    t = Transcript(name, layout.transcript_text, layout.turns, meta, content_hash(layout.transcript_text),
                   source_file, source_format)
    source = RefiSource(t, _spelling(el.get("guid")))
    _parse_codings(source, el, layout, positions_fit, users, code_guids, notes, sidecar, where, warnings, case_codes)
    return source


def _parse_codings(source: RefiSource, el: Element, layout: _Layout, positions_fit: bool, users: dict[str, str],
                   code_guids: set[str], notes_and_users: tuple[dict, dict], sidecar: dict, where: str,
                   warnings: list[str], case_codes: set[str] = frozenset()) -> None:
    notes, note_users = notes_and_users
    side_codings = sidecar.get("codings", {})
    skipped = 0
    whole = [(0, len(layout.transcript_text), el)]  # TextSource-level codings code the whole text
    sels = [(s.get("startPosition"), s.get("endPosition"), s) for s in _children(el, "PlainTextSelection")]
    for start_raw, end_raw, holder in whole + sels:
        codings = [c for c in _children(holder, "Coding") if _coded_guid(c) not in case_codes]
        if len(codings) < len(_children(holder, "Coding")) and not codings:
            continue  # only a case link (see `_without_case_codes`): the case is read from <Cases>
        if not codings:
            if holder is not el:
                source.memos.extend(_turn_memos(layout, holder, start_raw, end_raw, positions_fit, users, notes,
                                                note_users, sidecar))
            continue
        if holder is el:
            span: tuple[int, int] | None = (layout.turns[0].start, layout.turns[-1].end)
        else:
            try:
                s0, e0 = int(str(start_raw)), int(str(end_raw))
            except ValueError:
                skipped += len(codings)
                continue
            if not positions_fit or s0 < 0 or e0 <= s0:
                skipped += len(codings)
                continue
            span = layout.map_span(s0, e0)
        if span is None:
            skipped += len(codings)
            continue
        sel_memo = _text_of(_child(holder, "Description")) or " ".join(
            notes.get(_guid(r.get("targetGUID")), "") for r in _children(holder, "NoteRef")).strip()
        for cod in codings:
            code = _coded_guid(cod)
            if code not in code_guids:
                skipped += 1
                continue
            user = _guid(cod.get("creatingUser") or holder.get("creatingUser"))
            who = users.get(user) or IMPORT_CODER
            extra = side_codings.get(_guid(cod.get("guid")))
            extra = extra if isinstance(extra, dict) else {}
            memo = "\n".join(m for m in (notes.get(_guid(r.get("targetGUID"))) for r in _children(cod, "NoteRef")) if m)
            origin = extra.get("origin") if extra.get("origin") in ORIGINS else "import"
            source.codings.append(RefiCoding(
                span[0], span[1], code, who, origin, memo or sel_memo or None,
                _timestamp(extra.get("created_at")) or _timestamp(cod.get("creationDateTime")) or now_iso()))
    if skipped:
        warnings.append(f"{where}: {skipped} coding(s) skipped (position outside the text, unknown code, "
                        "or text only available as rich text)")


def _coded_guid(coding: Element) -> str:
    ref = _child(coding, "CodeRef")
    return _guid(ref.get("targetGUID")) if ref is not None else ""


def _turn_memos(layout: _Layout, sel: Element, start_raw, end_raw, positions_fit: bool, users: dict[str, str],
                notes: dict[str, str], note_users: dict[str, str], sidecar: dict) -> list[RefiTurnMemo]:
    """A selection that only carries notes (ours: a memo on a turn) becomes a memo on the turn it starts in."""
    refs = [_guid(r.get("targetGUID")) for r in _children(sel, "NoteRef")]
    refs = [g for g in refs if notes.get(g)]
    if not refs or not positions_fit:
        return []
    try:
        span = layout.map_span(int(str(start_raw)), max(int(str(end_raw)), int(str(start_raw)) + 1))
    except ValueError:
        return []
    if span is None:
        return []
    default_turn = turn_at(layout.turns, span[0]).index  # type: ignore[union-attr]  (layout.turns is not empty)
    out: list[RefiTurnMemo] = []
    side = sidecar.get("turn_memos", {})
    for g in refs:
        info = side.get(g) if isinstance(side.get(g), dict) else {}
        turn = info.get("turn") if isinstance(info.get("turn"), int) and 0 <= info["turn"] < len(layout.turns) \
            else default_turn
        who = info.get("coder") if isinstance(info.get("coder"), str) and info["coder"] else (
            users.get(note_users.get(g, "")) or users.get(_guid(sel.get("creatingUser"))) or IMPORT_CODER)
        out.append(RefiTurnMemo(turn, who, notes[g]))
    return out


def _timestamp(value) -> str | None:
    """An ISO 8601 time as written by the tool, or None when it is not one."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value


def parse_qdc(data: bytes, filename: str) -> list[RefiCode]:
    """The codes of a REFI-QDA codebook (`.qdc`, or the codebook inside a `.qde`), parents first."""
    p = Path(filename)
    if len(data) > MAX_MEMBER_BYTES:
        raise InputError(f"{p}: {len(data) // 2**20} MB is too large for a codebook")
    if not data.strip():
        raise InputError(f"{p}: empty file, not a REFI-QDA codebook")
    root = parse_xml(data, str(p))
    if _local(root.tag) == "Project":
        book = _child(root, "CodeBook")
        root = book if book is not None else Element("CodeBook")
    if _local(root.tag) != "CodeBook":
        raise InputError(f"{p}: not a REFI-QDA codebook (root element <{_local(root.tag)}>)")
    refi_codes = _walk_codes(_child(root, "Codes"), str(p))
    if not refi_codes:
        raise InputError(f"{p}: the codebook has no codes")
    return refi_codes
