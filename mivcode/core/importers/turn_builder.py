"""Recognising speaker labels and assembling turns into canonical transcript text.

Every importer ends here, so all formats produce the same canonical layout:
one line `Speaker: utterance` per turn (continuation lines kept inside the
turn), and turn offsets that point at the utterance only. The speaker label
is deliberately strict — a capitalised name or role of at most four words,
optionally numbered — so that "Ik zei: doe normaal" stays inside a turn.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from mivcode.core.model import Transcript, TranscriptMeta, Turn

TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"  # 1:02, 00:01:02, 00:01:02.500
_RANGE_END = rf"(?:\s*[-–]\s*{TIME})?"  # "00:01:02 - 00:01:09": the start is kept
# Optional leading timestamp "[00:01:23]", "00:01:23 -" or a range, then the label, then ":".
_TS = rf"(?:\[?\(?(?P<ts>{TIME}){_RANGE_END}\)?\]?\s*[-–]?\s*)?"
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*"
_LABEL = (
    rf"(?P<label>(?:{_NAME_WORD}|[A-ZÀ-ÖØ-Þ]{{1,3}}\d{{1,3}})"  # Gespreksleider, Fatima, R1, GL
    rf"(?:\s+(?:{_NAME_WORD}|\d{{1,3}}(?!\d|:\d)|[a-z]{{1,3}}\s+{_NAME_WORD}|\([^()\n]{{1,30}}\)"  # Student 2, van Dijk, (docent)
    rf"|[-–]\s+{_NAME_WORD}|\[\d{{1,2}}:\d{{2}}(?::\d{{2}})?\])){{0,3}})"  # Student 1 - Daan, Spreker 1 [00:01:02]
)
# `Label: text`, also bold (**Label:**), bracketed ([Label]: text) or tab-separated (LABEL<TAB>text, pasted tables).
SPEAKER_LINE = re.compile(
    rf"^\s*{_TS}(?:\*\*|__|\[)?{_LABEL}[ ]*(?:\*\*|__|\])?[ ]*(?::|\t)\s*(?:\*\*|__)?\s*(?P<rest>.*)$"
)
# Transcription services (Amberscript, Otter, Zoom's captions) put "Spreker 1  00:01:23", "[Anouk de Vries]
# 10:03:15" or "Spreker 1 (00:00:03 - 00:00:09)" on a line of its own, the text below.
SPEAKER_HEADER = re.compile(rf"^\s*\[?{_LABEL}\]?\s*[\[(]?(?P<ts>{TIME}){_RANGE_END}[\])]?\s*$")
# The same with the text on the line, when the name is bracketed: "[Anouk de Vries] 10:03:15 Welkom allemaal".
BRACKET_NAME_TS_LINE = re.compile(rf"^\s*\[{_LABEL}\]\s*[\[(]?(?P<ts>{TIME}){_RANGE_END}[\])]?\s+(?P<rest>\S.*)$")
# Lower-case role labels ("student 2: ...") are accepted only for these words, so "ik zei: ..." stays speech.
_ROLE_WORDS = (r"(?:gespreksleider|interviewer|moderator|onderzoeker|student|studente|leerling|docent|docente|mentor|"
               r"medewerker|medewerkster|respondent|deelnemer|spreker|begeleider|stagebegeleider|teamleider|"
               r"conciërge|beveiliger|vertrouwenspersoon|decaan|coördinator|zorgcoördinator|directeur|receptionist|"
               r"receptioniste)")
LOWER_ROLE_LINE = re.compile(rf"^\s*(?P<label>{_ROLE_WORDS}(?:\s+\d{{1,3}})?)\s*:\s*(?P<rest>.*)$", re.I)
# A role with what it is for, in lower case: "Docent burgerschap:", "Medewerker receptie:", "Mentor klas 2B:".
ROLE_SPECIFIER_LINE = re.compile(
    rf"^\s*{_TS}(?P<label>{_ROLE_WORDS}(?P<spec>(?:\s+[a-zà-ÿ][\w'’\-]{{2,}}){{1,2}})(?:\s+\d{{1,3}}[A-Za-z]?)?"
    rf"(?:\s+\([^()\n]{{1,30}}\))?)\s*:\s*(?P<rest>.*)$", re.I)
# ... but "Docent zei: doe normaal" is speech that reports speech
_NOT_SPECIFIERS = {"zei", "zegt", "zeggen", "zeiden", "vroeg", "vraagt", "vroegen", "riep", "roept", "riepen",
                   "antwoordde", "antwoordt", "dacht", "denkt", "schreef", "schrijft", "vertelde", "vertelt",
                   "reageerde", "reageert", "had", "heeft", "was", "is", "kwam", "komt", "moet", "mag", "kan", "wil",
                   "zou", "die", "dat", "van", "uit", "met", "ook", "nog", "dan", "toen", "maar", "want", "zelf",
                   "vond", "vindt", "sprak", "spreekt", "schreeuwde", "gaf", "geeft"}
# "[Student 2] tekst" without a colon (subtitle exports): only a role or a code like R1, since "[Gelach] ..."
# and "[Onverstaanbaar]" at the start of a line are the transcriber's notes, not speakers.
BRACKET_ROLE_LINE = re.compile(
    rf"^\s*{_TS}\[(?P<label>{_ROLE_WORDS}(?:\s+\d{{1,3}})?|[A-Z]{{1,3}}\d{{1,3}})\]\s*(?P<rest>\S.*)$", re.I
)
# Trailing timestamp inside the label: "Student 2 (00:03:12): ..."
_LABEL_TS = re.compile(rf"\s*[\[(](?P<ts>{TIME})[\])]\s*$")
# Words that start a sentence, not a label: "Nou: ...", "Dus: ..." are speech.
_NOT_LABELS = {
    "nou", "dus", "maar", "en", "ja", "nee", "want", "ook", "toen", "zoals", "bijvoorbeeld", "let", "op", "noot",
    "note", "ik", "jij", "je", "wij", "we", "hij", "zij", "ze", "het", "dat", "die", "dit", "wat", "waarom", "hoe",
    "zo", "oké", "oke", "om", "vraag", "antwoord", "tip", "conclusie", "stelling", "thema", "onderwerp", "pauze",
    # the transcriber's notes: "[Gelach] 10:03:15 ...", "Onverstaanbaar: ..."
    "gelach", "lacht", "lachen", "stilte", "onverstaanbaar", "inaudible", "crosstalk", "applaus", "hoest", "zucht",
    "geroezemoes", "onduidelijk",
}


# A transcript often opens with a header of "Datum: 14 maart 2023", "Locatie: Tiel", "Aanwezig: ...": before
# the first turn, a label starting with one of these words is a header field, not a speaker.
_HEADER_WORDS = {
    "datum", "date", "tijd", "time", "tijdstip", "duur", "duration", "locatie", "location", "plaats", "place",
    "aanwezig", "aanwezigen", "afwezig", "present", "deelnemers", "participants", "aantal", "naam", "instelling",
    "opleiding", "niveau", "leerweg", "groep", "focusgroep", "onderwerp", "titel", "title", "project", "opname",
    "recording", "transcriptie", "transcript", "transcribent", "getranscribeerd", "notulist", "notulen", "bestand",
    "file", "versie", "version", "sessie", "session",
}


# f4/f5transkript closes each paragraph with the time it ends at: "… gescholden. #00:00:31-4#" (tenths after
# the dash). It is not speech: it is taken out of the text and kept as the turn's end time.
_F4_STAMP = re.compile(r"\s*#(\d{1,2}:\d{2}:\d{2})(?:-(\d))?#")


@dataclass(slots=True)
class Segment:
    """A piece of speech before it becomes a turn."""

    speaker: str
    text: str
    t_start: float | None = None
    t_end: float | None = None


def parse_timestamp(value: str | None) -> float | None:
    if not value:
        return None
    value = value.replace(",", ".")
    parts = value.split(":")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        return None
    seconds = 0.0
    for n in nums:
        seconds = seconds * 60 + n
    return seconds


def split_speaker(line: str) -> tuple[str, str, float | None] | None:
    """`Speaker: utterance` → (speaker, utterance, timestamp) or None when the line has no label."""
    for pattern in (SPEAKER_HEADER, BRACKET_NAME_TS_LINE):
        m = pattern.match(line)
        if m and m.group("label").split()[0].lower() not in _NOT_LABELS:
            rest = m.group("rest").strip() if pattern is BRACKET_NAME_TS_LINE else ""
            return clean_speaker(m.group("label")), rest, parse_timestamp(m.group("ts"))
    m = SPEAKER_LINE.match(line)
    if not m:
        role = LOWER_ROLE_LINE.match(line)
        if role:
            label = role.group("label")
            return label[0].upper() + label[1:], role.group("rest").strip(), None
        spec = ROLE_SPECIFIER_LINE.match(line)
        if spec and not _NOT_SPECIFIERS.intersection(spec.group("spec").lower().split()):
            label = spec.group("label").strip()
            return label[0].upper() + label[1:], spec.group("rest").strip(), parse_timestamp(spec.group("ts"))
        bracket = BRACKET_ROLE_LINE.match(line)
        if bracket:
            label = bracket.group("label")
            return label[0].upper() + label[1:], bracket.group("rest").strip(), parse_timestamp(bracket.group("ts"))
        return None
    label = m.group("label").strip()
    ts = parse_timestamp(m.group("ts"))
    lm = _LABEL_TS.search(label)
    if lm:
        ts = ts if ts is not None else parse_timestamp(lm.group("ts"))
        label = label[: lm.start()].strip()
    first = label.split()[0].lower().strip(".")
    if first in _NOT_LABELS or not label:
        return None
    # A label is short: reject things like "Toen zei de docent tegen mij" that happen to be capitalised.
    if len(label) > 40:
        return None
    return label, m.group("rest").strip(), ts


def is_header_label(label: str) -> bool:
    """A header field's name ("Datum", "Aantal deelnemers"): only meaningful above the first turn."""
    return label.split()[0].lower().strip(".") in _HEADER_WORDS


def clean_speaker(label: str) -> str:
    return " ".join(label.replace("**", "").replace("__", "").strip(" :").split())


def build_transcript(
    name: str,
    segments: list[Segment],
    *,
    merge_same_speaker: bool = False,
    meta: TranscriptMeta | None = None,
    source_file: str = "",
    source_format: str = "",
) -> Transcript:
    """Join segments into canonical text; consecutive segments of one speaker merge when asked (subtitles)."""
    merged: list[Segment] = []
    for seg in segments:
        text = unicodedata.normalize("NFC", seg.text.strip())
        if not text:
            continue
        if merge_same_speaker and merged and merged[-1].speaker == seg.speaker:
            prev = merged[-1]
            prev.text = f"{prev.text} {text}"
            prev.t_end = seg.t_end if seg.t_end is not None else prev.t_end
            continue
        merged.append(Segment(clean_speaker(seg.speaker), text, seg.t_start, seg.t_end))
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for i, seg in enumerate(merged):
        prefix = f"{seg.speaker}: "
        start = pos + len(prefix)
        end = start + len(seg.text)
        turns.append(Turn(i, seg.speaker, start, end, seg.t_start, seg.t_end))
        parts.append(prefix + seg.text)
        pos = end + 1  # the newline between turns
    text = "\n".join(parts)
    return Transcript(
        name=name, text=text, turns=turns, meta=meta or TranscriptMeta(),
        content_hash=content_hash(text), source_file=source_file, source_format=source_format,
    )


def content_hash(text: str) -> str:
    """Of the canonical text, so the same transcript saved in another encoding or format is recognised."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def segments_from_lines(lines: list[str]) -> list[Segment]:
    """The plain-text convention: a labelled line opens a turn, an unlabelled line continues it."""
    segments: list[Segment] = []
    for raw in lines:
        line = raw.strip()
        stamp = None
        if "#" in line:
            for m in _F4_STAMP.finditer(line):
                stamp = m
            if stamp is not None:
                line = _F4_STAMP.sub("", line).strip()
        if not line:
            continue
        hit = split_speaker(line)
        if hit and not segments and is_header_label(hit[0]):
            continue  # "Datum: 14 maart 2023" above the first turn: a header field, not a speaker
        if hit:
            speaker, rest, ts = hit
            segments.append(Segment(speaker, rest, ts))
        elif segments:
            segments[-1].text = f"{segments[-1].text}\n{line}" if segments[-1].text else line
        else:
            continue  # text before the first speaker (a title, a date line) is not speech: it is left out
        if stamp is not None:
            tenths = stamp.group(2)
            segments[-1].t_end = parse_timestamp(stamp.group(1)) + (int(tenths) / 10 if tenths else 0.0)
    return segments


def segments_from_rows(rows: list[tuple[str, str]]) -> list[Segment]:
    """A two-column table (speaker | utterance), the layout transcription agencies often deliver: a row
    without a speaker continues the turn above; header rows (Datum | 14 maart 2023) above the first turn
    are no turns."""
    out: list[Segment] = []
    for speaker, utterance in rows:
        hit = split_speaker(f"{speaker}: x") if speaker else None
        if hit and not out and is_header_label(hit[0]):
            continue
        if hit and utterance:
            out.append(Segment(hit[0], utterance))
        elif out and utterance and not speaker:
            out[-1].text += "\n" + utterance
    return out
