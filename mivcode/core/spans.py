"""The one rule for which turns a span touches.

A coding is a span [start, end) of a transcript's text; reports, agreement,
consensus and the coding screen count it at turn level. They must agree on a
span that ends exactly where the next turn starts (it does not touch that turn)
and on an empty turn (it is touched by a span over its position), so every
place asks this module instead of writing its own comparison.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from mivcode.core.model import Turn


def turn_end(u: Turn) -> int:
    """A turn's end for overlap tests: an empty turn still occupies its position."""
    return max(u.end, u.start + 1)


def touches(u: Turn, start: int, end: int) -> bool:
    return u.start < end and start < turn_end(u)


def turns_touched(turns: Sequence[Turn], start: int, end: int) -> range:
    """Positions in `turns` (sorted, disjoint, as every transcript's are) that [start, end) touches.

    Two binary searches, so a toggle on a 100,000-turn transcript costs the same as on a short one.
    """
    first = bisect_right(turns, start, key=turn_end)
    last = bisect_left(turns, end, key=lambda u: u.start)
    return range(first, max(first, last))
