"""Pure text layout for the transcript view: word wrap with character offsets.

Kept free of Textual so it can be tested on plain strings and so the view can
map a mouse position or a screen line back to a character offset exactly:
every wrapped line remembers which characters of its source string it shows.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

_WORD = re.compile(r"\S+")


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap; returns (start, end) per line, end exclusive, trailing spaces dropped.

    Words longer than the width are hard-broken. An empty text still yields one
    (empty) line so every turn takes at least one screen line.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    line_start = line_end = None
    for m in _WORD.finditer(text):
        ws, we = m.start(), m.end()
        while we - ws > width and (line_start is None):
            lines.append((ws, ws + width))
            ws += width
        if line_start is None:
            line_start, line_end = ws, we
            continue
        if we - line_start <= width:
            line_end = we
            continue
        lines.append((line_start, line_end))
        while we - ws > width:
            lines.append((ws, ws + width))
            ws += width
        line_start, line_end = ws, we
    if line_start is not None:
        lines.append((line_start, line_end))
    return lines or [(0, 0)]


@dataclass(slots=True)
class LineSpec:
    """One screen line of a turn block: wrapped text (a, b index the display string) or the tag line."""

    kind: str  # "text" | "tags"
    a: int = 0
    b: int = 0


@dataclass(slots=True)
class Block:
    """The screen lines of one turn; `prefix` = len("Speaker: ") so utterance offset = index - prefix."""

    turn: int
    y: int
    display: str
    prefix: int
    lines: list[LineSpec] = field(default_factory=list)

    @property
    def height(self) -> int:
        return len(self.lines)


def layout_blocks(
    turns: list[tuple[int, str, str]], width: int, has_tags: set[int]
) -> tuple[list[Block], list[int]]:
    """Lay out (turn index, speaker, utterance) triples; returns blocks and their first lines for bisect."""
    blocks: list[Block] = []
    starts: list[int] = []
    y = 0
    for idx, speaker, text in turns:
        prefix = f"{speaker}: " if speaker else ""
        display = prefix + text
        block = Block(idx, y, display, len(prefix))
        block.lines = [LineSpec("text", a, b) for a, b in wrap_offsets(display, width)]
        if idx in has_tags:
            block.lines.append(LineSpec("tags"))
        blocks.append(block)
        starts.append(y)
        y += block.height
    return blocks, starts


def block_at(starts: list[int], y: int) -> int:
    """Index of the block that holds screen line `y` (clamped)."""
    return max(0, bisect_right(starts, y) - 1)


def word_boundaries(text: str) -> tuple[list[int], list[int]]:
    """Where words start and where they end: the stops for word-wise caret moves and selections."""
    starts, ends = [], []
    for m in _WORD.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends
