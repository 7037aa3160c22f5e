"""The one rule for which turns a span touches.

A coding is a span [start, end) of a transcript's text; reports, agreement,
consensus and the coding screen count it at turn level. They must agree on a
span that ends exactly where the next turn starts (it does not touch that turn)
and on an empty turn (it is touched by a span over its position), so every
place asks this module instead of writing its own comparison: one function per
shape of data (turns, plain bounds, numpy arrays), tested against `touches`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    import numpy as np


class Bounds(Protocol):
    """Anything with a turn's offsets: a `Turn`, a consensus comparison of one turn."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=Bounds)


def turn_end(u: Bounds) -> int:
    """A turn's end for overlap tests: an empty turn still occupies its position."""
    return max(u.end, u.start + 1)


def touches(u: Bounds, start: int, end: int) -> bool:
    return u.start < end and start < turn_end(u)


def turns_touched(turns: Sequence[Bounds], start: int, end: int) -> range:
    """Positions in `turns` (sorted, disjoint, as every transcript's are) that [start, end) touches.

    Two binary searches, so a toggle on a 100,000-turn transcript costs the same as on a short one.
    """
    first = bisect_right(turns, start, key=turn_end)
    last = bisect_left(turns, end, key=lambda u: u.start)
    return range(first, max(first, last))


def turn_at(turns: Sequence[T], offset: int) -> T | None:
    """The turn that holds `offset` (an empty turn holds its position), else the nearest turn after it,
    else the last: where a click or a selection that starts in a speaker label belongs."""
    if not turns:
        return None
    return turns[min(bisect_right(turns, offset, key=turn_end), len(turns) - 1)]


class TurnIndex:
    """One transcript's turns as two sorted lists, for many lookups over plain rows (reports, consensus)."""

    __slots__ = ("starts", "ends")

    def __init__(self, starts: Sequence[int], ends: Sequence[int]):
        self.starts = list(starts)
        self.ends = [max(e, s + 1) for s, e in zip(starts, ends)]  # turn_end of each

    def touched(self, start: int, end: int) -> range:
        """As `turns_touched`."""
        first = bisect_right(self.ends, start)
        return range(first, max(first, bisect_left(self.starts, end)))


def touched_arrays(turn_starts: "np.ndarray", turn_ends: "np.ndarray", starts: "np.ndarray", ends: "np.ndarray"
                   ) -> tuple["np.ndarray", "np.ndarray"]:
    """`turns_touched` for arrays of spans at once: per span the first touched position and one past the last
    (equal when it touches none). The turns are sorted and disjoint; the offsets may be global (transcripts
    laid end to end with a gap), as the agreement table lays them out."""
    import numpy as np

    occupied = np.maximum(turn_ends, turn_starts + 1)
    first = np.searchsorted(occupied, starts, side="right")
    stop = np.maximum(np.searchsorted(turn_starts, ends, side="left"), first)
    return first, stop
