"""WebVTT and SRT exports of Teams/Zoom recordings.

Written by hand rather than with webvtt-py/pysrt: one small parser covers both
formats, keeps several `<v>` voices inside one cue apart, tolerates what
Teams and Zoom actually write (missing header, cue settings, unclosed voice
tags, `Name:` prefixes instead of voice tags), and reports errors with the
file name in our one-line style. Consecutive cues of one speaker become one
turn, timed from the first cue's start to the last cue's end.
"""

from __future__ import annotations

import html
import re

from mivcode.core.errors import InputError
from mivcode.core.importers.text_decoding import decode_bytes
from mivcode.core.importers.turn_builder import Segment, parse_timestamp, split_speaker

_TIMING = re.compile(
    r"^\s*(?P<a>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<b>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
# The voice name is bounded: an unbounded `[^>]+` rescans the rest of the cue from every unclosed `<v `,
# which made a crafted 100 KB cue take seconds and a 1 MB one many minutes.
_VOICE = re.compile(r"<v(?:\.[\w.]{0,100})?[ \t]+([^>\n]{1,200})>(.*?)(?:</v>|(?=<v[\s.])|$)", re.S)
_TAG = re.compile(r"</?[^>]+>")


def read_vtt(data: bytes, filename: str) -> list[Segment]:
    return _read_cues(data, filename, "vtt")


def read_srt(data: bytes, filename: str) -> list[Segment]:
    return _read_cues(data, filename, "srt")


def _read_cues(data: bytes, filename: str, kind: str) -> list[Segment]:
    text, _ = decode_bytes(data, filename)
    blocks = re.split(r"\n\s*\n", text.strip())
    if kind == "vtt" and blocks and blocks[0].lstrip().startswith("WEBVTT"):
        header_lines = blocks[0].split("\n")
        # the header block may run straight into the first cue when no blank line follows it
        rest = [i for i, line in enumerate(header_lines) if _TIMING.match(line)]
        blocks = blocks[1:] if not rest else ["\n".join(header_lines[max(rest[0] - 1, 1):])] + blocks[1:]
    segments: list[Segment] = []
    cues = 0
    for block in blocks:
        lines = block.split("\n")
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_at = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timing_at is None:
            continue
        cues += 1
        m = _TIMING.match(lines[timing_at])
        t_start, t_end = parse_timestamp(m.group("a")), parse_timestamp(m.group("b"))
        body = "\n".join(lines[timing_at + 1 :]).strip()
        for speaker, utterance in _voices(body, segments[-1].speaker if segments else None):
            if utterance:
                segments.append(Segment(speaker or "", utterance, t_start, t_end))
    if cues == 0:
        raise InputError(f"{filename}: no subtitle cues found (not a {kind.upper()} file?)")
    if not any(s.speaker for s in segments):
        raise InputError(f"{filename}: no speaker turns (cues have no <v Name> tags or 'Name:' prefixes)")
    # cues before the first named speaker cannot be attributed: keep them out rather than invent a name
    first = next(i for i, s in enumerate(segments) if s.speaker)
    return segments[first:]


def _voices(body: str, previous: str | None) -> list[tuple[str | None, str]]:
    """Split a cue body into (speaker, text); unlabelled text continues the previous speaker."""
    out: list[tuple[str | None, str]] = []
    if "<v" in body:
        for m in _VOICE.finditer(body):
            out.append((html.unescape(m.group(1)).strip(), _clean(m.group(2))))
        return out
    speaker = previous
    buf: list[str] = []
    for line in body.split("\n"):
        hit = split_speaker(_clean(line))
        if hit:
            if buf:
                out.append((speaker, " ".join(buf)))
            speaker, first, _ = hit
            buf = [first] if first else []
        else:
            cleaned = _clean(line)
            if cleaned:
                buf.append(cleaned)
    if buf:
        out.append((speaker, " ".join(buf)))
    return out


def _clean(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", text)).split())
