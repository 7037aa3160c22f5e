"""A batch import: read every file, apply the manifest, and only then write.

Everything is parsed and checked before the project is touched, so one bad
file in a batch of twelve leaves the project exactly as it was and the error
names that file.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mivcode.core.errors import InputError
from mivcode.core.files import read_input
from mivcode.core.importers.opendocument import read_odt
from mivcode.core.importers.plaintext import read_markdown, read_plaintext
from mivcode.core.importers.rtf import read_rtf
from mivcode.core.importers.subtitles import read_srt, read_vtt
from mivcode.core.importers.text_decoding import decode_bytes
from mivcode.core.importers.turn_builder import Segment, build_transcript
from mivcode.core.importers.word import read_docx
from mivcode.core.model import STANDARD_META, Transcript, TranscriptMeta

READERS: dict[str, tuple[Callable[[bytes, str], list[Segment]], bool]] = {
    # extension: (reader, merge consecutive segments of one speaker)
    ".txt": (read_plaintext, False),
    ".md": (read_markdown, False),
    ".markdown": (read_markdown, False),
    ".docx": (read_docx, False),
    ".odt": (read_odt, False),
    ".rtf": (read_rtf, False),
    ".vtt": (read_vtt, True),
    ".srt": (read_srt, True),
}
MAX_FILE_BYTES = 100 * 1024 * 1024

GROUP_SYNONYMS = {
    "studenten": "studenten", "student": "studenten", "students": "studenten", "leerlingen": "studenten",
    "deelnemers": "studenten",
    "medewerkers": "medewerkers", "medewerker": "medewerkers", "staff": "medewerkers",
    "personeel": "medewerkers", "docenten": "medewerkers", "employees": "medewerkers",
}
# Dutch and English column names in a manifest.
COLUMN_ALIASES = {
    "file": "file", "bestand": "file", "filename": "file", "bestandsnaam": "file",
    "name": "name", "naam": "name", "transcript": "name",
    "institution": "institution", "instelling": "institution", "school": "institution",
    "group": "group", "groep": "group", "doelgroep": "group",
    "leerweg": "leerweg", "niveau": "niveau", "level": "niveau",
    "locatie": "locatie", "location": "locatie", "datum": "datum", "date": "datum",
}


@dataclass(slots=True)
class ImportPlan:
    new: list[Transcript] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # messages for re-imported content


def normalise_group(value: str | None, where: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    key = str(value).strip().lower()
    if key not in GROUP_SYNONYMS:
        raise InputError(f"{where}: unknown group '{value}' (use studenten or medewerkers)")
    return GROUP_SYNONYMS[key]


def parse_meta_flags(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair or not pair.split("=", 1)[0].strip():
            raise InputError(f"--meta {pair!r}: expected key=value")
        k, v = pair.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def meta_from_mapping(values: dict[str, str], where: str) -> TranscriptMeta:
    std = {k: (values.get(k) or None) for k in STANDARD_META}
    std["group"] = normalise_group(std["group"], where)
    extra = {k: v for k, v in values.items() if k not in STANDARD_META and k not in ("file", "name") and v}
    return TranscriptMeta(**std, extra=extra)


def check_transcript_name(name: str, where: str) -> None:
    """A name is shown on one line and may end up in export file names: no line breaks, controls or slashes."""
    bad = next((ch for ch in name if ch in "/\\" or unicodedata.category(ch) in ("Cc", "Zl", "Zp")), None)
    if bad is not None:
        raise InputError(f"{where}: transcript name {name!r} contains {bad!r}; use letters, digits, spaces, - or _")
    if not name.strip() or name.strip() in (".", ".."):
        raise InputError(f"{where}: transcript name {name!r} is empty")


@dataclass(slots=True)
class ManifestRow:
    path: Path
    name: str | None
    meta: TranscriptMeta


def read_manifest(path: Path) -> list[ManifestRow]:
    text, _ = decode_bytes(read_input(path, "manifest"), str(path))
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        return _manifest_rows(path, reader)
    except csv.Error as exc:  # e.g. a field over csv's 128 KB limit: a broken or hostile manifest
        raise InputError(f"{path}: not a readable CSV manifest near line {reader.line_num + 1} ({exc})") from None


def _manifest_rows(path: Path, reader: csv.DictReader) -> list[ManifestRow]:
    if not reader.fieldnames:
        raise InputError(f"{path}: manifest has no header row")
    columns = [COLUMN_ALIASES.get(c.strip().lower(), c.strip()) for c in reader.fieldnames]
    if "file" not in columns:
        raise InputError(f"{path}: manifest needs a 'file' column (has: {', '.join(reader.fieldnames)})")
    rows: list[ManifestRow] = []
    seen: set[Path] = set()
    for lineno, raw in enumerate(reader, start=2):
        values = {col: (str(v).strip() if v is not None else "") for col, v in zip(columns, raw.values())}
        if not any(values.values()):
            continue
        if not values.get("file"):
            raise InputError(f"{path}:{lineno}: row has no file name")
        file_path = (path.parent / values["file"]).resolve()
        if file_path in seen:
            raise InputError(f"{path}:{lineno}: {values['file']!r} is listed twice")
        seen.add(file_path)
        if not file_path.exists():
            raise InputError(f"{path}:{lineno}: names a missing file {values['file']!r}")
        name = values.get("name") or None
        if name is not None:
            check_transcript_name(name, f"{path}:{lineno}")
        rows.append(ManifestRow(file_path, name, meta_from_mapping(values, f"{path}:{lineno}")))
    return rows


def read_transcript_file(path: Path, name: str | None = None, meta: TranscriptMeta | None = None) -> Transcript:
    ext = path.suffix.lower()
    if ext not in READERS:
        supported = ", ".join(sorted(READERS))
        raise InputError(f"{path}: unsupported file type '{ext or '(none)'}' (supported: {supported})")
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a transcript file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MB, not a transcript")
    data = read_input(path, "transcript file")
    reader, merge = READERS[ext]
    segments = reader(data, str(path))
    if not any(s.speaker for s in segments):
        raise InputError(f"{path}: no speaker turns found (expected lines like 'Gespreksleider: ...')")
    check_transcript_name(name or path.stem, str(path))
    transcript = build_transcript(
        name or path.stem, segments, merge_same_speaker=merge, meta=meta,
        source_file=path.name, source_format=ext.lstrip("."),
    )
    if not transcript.turns:
        raise InputError(f"{path}: no speaker turns found (every turn is empty)")
    return transcript


def plan_import(
    files: list[Path],
    *,
    manifest: Path | None = None,
    overrides: TranscriptMeta | None = None,
    existing_hash: Callable[[str], str | None] = lambda h: None,
    existing_name: Callable[[str], bool] = lambda n: False,
) -> ImportPlan:
    """Parse and check a whole batch; raise InputError on the first bad file, before anything is written."""
    rows = read_manifest(manifest) if manifest else []
    by_path = {r.path: r for r in rows}
    batch = [Path(f).resolve() for f in files] if files else [r.path for r in rows]
    if not batch:
        raise InputError("no files to import (name files, or a manifest that lists them)")
    batch_set = set(batch)
    for r in rows:
        if r.path not in batch_set:
            raise InputError(f"{manifest}: lists '{r.path.name}', which is not in this import batch")
    plan = ImportPlan()
    names: dict[str, Path] = {}
    hashes: dict[str, str] = {}
    for original, path in zip(files or batch, batch):
        row = by_path.get(path)
        meta = row.meta if row else TranscriptMeta()
        if overrides:
            meta = meta.merged(overrides)
        t = read_transcript_file(Path(original), row.name if row else None, meta)
        known = existing_hash(t.content_hash) or hashes.get(t.content_hash)
        if known:
            plan.skipped.append(f"{original}: already imported as '{known}' (same content), skipped")
            continue
        if t.name in names or existing_name(t.name):
            raise InputError(
                f"{original}: a transcript named '{t.name}' already exists with other content "
                "(give it another name in the manifest)"
            )
        names[t.name] = path
        hashes[t.content_hash] = t.name
        plan.new.append(t)
    return plan
