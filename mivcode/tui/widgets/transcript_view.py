"""The transcript as one virtual Line-API widget: thousands of turns, one widget.

Why not a widget per turn: measured in Textual 8 (see DESIGN-NOTES), a
`VerticalScroll` of `Static`s takes seconds past a thousand turns, while a
`ScrollView` that renders only the visible lines paints 20,000 lines in tens of
milliseconds. So the view keeps the transcript, the coder's codings and the
open suggestions as plain data, lays the turns out as wrapped lines and draws
code colours, evidence, search hits and the selection line by line in
`render_line`.

Memory scales with the screen, not the transcript (100,000 turns must stay
well under 500 MB): per turn the view keeps a line count, a flag byte and an
open-suggestion count in arrays; the wrapped lines of a turn and its full
suggestions (with evidence) are built when a turn is drawn or focused and kept
in small LRU caches. Blocks (`Block`) are made on demand from these arrays.

It owns navigation (focused turn, caret, span selection by keyboard and mouse)
but never writes to the project: it posts messages and the screen calls the
core API.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mivcode.core.i18n import t
from mivcode.core.model import Code, Coding, Suggestion, Transcript
from mivcode.core.spans import turns_touched
from mivcode.tui.widgets.layout import Block, LineSpec, block_at, word_boundaries, wrap_offsets

GUTTER = 8  # focus mark, code bar, turn number (5), space
WRAP_CACHE = 4096  # turns whose wrapped lines are kept (a screen shows ~40; page jumps and searches reuse them)
SUGGESTION_CACHE = 256  # turns whose full open suggestions (with evidence) are kept
TAGS = LineSpec("tags")
# per-turn flags: why a turn gets a tag line
HAS_CODINGS, HAS_MEMO, HAS_SUGGESTIONS = 1, 2, 4
_NONZERO = bytes([0] + [1] * 255)


def contrast_text(hex_colour: str) -> str:
    """Black or white text on a code colour, whichever reads better (dark and light themes alike)."""
    try:
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return "white"
    return "black" if (0.299 * r + 0.587 * g + 0.114 * b) > 140 else "white"


@dataclass(slots=True)
class Hit:
    """A search hit: absolute span in a transcript's canonical text."""

    transcript: str
    turn: int
    start: int
    end: int
    score: float = 100.0


class TranscriptView(ScrollView, can_focus=True, inherit_bindings=False):
    """Turns of one transcript with code tags; focus, caret and selection live here.

    It inherits no scrolling keys: the coding screen's bindings own up/down and
    page keys (they move the focused turn, which scrolls), so a user keymap
    reaches them.
    """

    COMPONENT_CLASSES = {
        "transcript-view--speaker",
        "transcript-view--focused",
        "transcript-view--number",
        "transcript-view--selection",
        "transcript-view--caret",
        "transcript-view--evidence",
        "transcript-view--search",
        "transcript-view--muted",
        "transcript-view--mark",
    }

    DEFAULT_CSS = """
    TranscriptView {
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        background: $surface;
    }
    TranscriptView > .transcript-view--speaker { text-style: bold; color: $text-accent; }
    TranscriptView > .transcript-view--focused { background: $boost; }
    TranscriptView > .transcript-view--number { color: $text-muted; }
    TranscriptView > .transcript-view--selection { background: $primary; color: $text; }
    TranscriptView > .transcript-view--caret { text-style: reverse; }
    TranscriptView > .transcript-view--evidence { background: $warning 40%; text-style: bold; }
    TranscriptView > .transcript-view--search { background: $success 45%; text-style: bold; }
    TranscriptView > .transcript-view--muted { color: $text-muted; }
    TranscriptView > .transcript-view--mark { color: $accent; text-style: bold; }
    """

    class FocusChanged(Message):
        """The focused turn moved (keyboard, mouse, filter or jump)."""

        def __init__(self, turn: int | None) -> None:
            super().__init__()
            self.turn = turn

    class SelectionChanged(Message):
        def __init__(self, span: tuple[int, int] | None) -> None:
            super().__init__()
            self.span = span

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.transcript: Transcript | None = None
        self.codes: dict[str, Code] = {}
        self.language = "nl"
        self._codings: dict[int, list[Coding]] = {}
        self._memo_turns: set[int] = set()
        self._n = 0  # turns in the transcript
        # per turn (index = turn): why it has a tag line, how many open suggestions, how many text lines
        self._flags = bytearray()
        self._sugg_counts = array("I")
        self._text_heights = array("I")
        self._suggestions: OrderedDict[int, list[Suggestion]] = OrderedDict()  # LRU of full suggestions
        self._load_suggestions: Callable[[int], list[Suggestion]] | None = None
        # per visible row: its turn and first screen line
        self._visible = array("i")
        self._all_visible = True  # row == turn: no filter
        self._starts = array("q")
        self._total = 0
        self._pos = 0
        self._caret: int | None = None
        self._anchor: int | None = None
        self._hits: dict[int, list[tuple[int, int]]] = {}
        self._wrap_cache: OrderedDict[int, tuple[str, int, list[LineSpec]]] = OrderedDict()
        self._wrap_width = -1
        self._block_cache: dict[int, Block] = {}
        self._dragging = False
        self._styles: dict[str, Style] = {}

    # -- data ------------------------------------------------------------------

    def set_transcript(self, transcript: Transcript, codes: list[Code]) -> None:
        self.transcript = transcript
        self.codes = {c.id: c for c in codes}
        self._n = n = len(transcript.turns)
        self._visible = array("i", range(n))
        self._all_visible = True
        self._pos = 0
        self._codings, self._memo_turns, self._hits = {}, set(), {}
        self._flags = bytearray(n)
        self._sugg_counts = array("I", bytes(4 * n))
        self._suggestions.clear()
        self._load_suggestions = None
        self._wrap_cache.clear()
        self._wrap_width = -1
        self._clear_selection(post=False)
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)

    def set_codes(self, codes: list[Code]) -> None:
        self.codes = {c.id: c for c in codes}
        self.refresh()

    def set_annotations(
        self,
        codings: list[Coding],
        suggestions: Mapping[int, int] | list[Suggestion],
        memo_turns: set[int],
        load_suggestions: Callable[[int], list[Suggestion]] | None = None,
    ) -> None:
        """Replace this coder's codings, the open suggestions and memo marks, then redraw.

        `suggestions` is either {turn: number of open suggestions} with `load_suggestions(turn)` to fetch one
        turn's full suggestions when it is focused or drawn (what the coding screen passes: a 100,000-turn
        transcript has 100,000+ suggestions), or a plain list of suggestions (small transcripts, tests).
        """
        assert self.transcript is not None
        by_turn: dict[int, list[Coding]] = defaultdict(list)
        turns = self.transcript.turns
        for c in codings:  # on every turn it touches (`spans`), as toggling, agreement and reports count it
            for i in turns_touched(turns, c.start, c.end) or (self._turn_of_offset(c.start),):
                by_turn[i].append(c)  # turns are numbered by position
        n = self._n
        counts = array("I", bytes(4 * n))
        self._suggestions.clear()
        if isinstance(suggestions, Mapping):
            for turn, k in suggestions.items():
                if 0 <= turn < n:
                    counts[turn] = k
            self._load_suggestions = load_suggestions
        else:
            full: dict[int, list[Suggestion]] = defaultdict(list)
            for s in suggestions:
                if 0 <= s.turn < n:
                    full[s.turn].append(s)
                    counts[s.turn] += 1
            self._load_suggestions = lambda turn: list(full.get(turn, []))
        flags = bytearray(n)
        for turn in by_turn:
            if 0 <= turn < n:
                flags[turn] |= HAS_CODINGS
        for turn in memo_turns:
            if 0 <= turn < n:
                flags[turn] |= HAS_MEMO
        for turn in _nonzero(counts):
            flags[turn] |= HAS_SUGGESTIONS
        old_tagged = self._flags.translate(_NONZERO)
        self._codings, self._memo_turns, self._sugg_counts, self._flags = dict(by_turn), set(memo_turns), counts, flags
        if flags.translate(_NONZERO) != old_tagged:
            self._relayout()  # a tag line came or went: recompute the line starts (a pass over ints)
        else:
            self._block_cache.clear()
            self.refresh()

    def set_visible(self, turns: list[int] | None) -> None:
        """Show only these turns (a filter), keeping the focus on the nearest visible turn."""
        assert self.transcript is not None
        current = self.focused_turn
        if turns is None:
            self._visible, self._all_visible = array("i", range(self._n)), True
        else:
            self._visible, self._all_visible = array("i", sorted(set(turns))), False
        self._pos = 0
        if current is not None and self._visible:
            i = bisect_left(self._visible, current)
            near = [j for j in (i - 1, i) if 0 <= j < len(self._visible)]
            self._pos = min(near, key=lambda j: abs(self._visible[j] - current))
        self._clear_selection(post=False)
        self._relayout()
        self._scroll_to_focus()
        self.post_message(self.FocusChanged(self.focused_turn))

    def set_hits(self, hits: list[Hit]) -> None:
        """Search hits of this transcript, highlighted wherever they are visible."""
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for h in hits:
            spans[h.turn].append((h.start, h.end))
        self._hits = dict(spans)
        self.refresh()

    # -- queries -----------------------------------------------------------------

    @property
    def focused_turn(self) -> int | None:
        return self._visible[self._pos] if self._visible else None

    @property
    def visible_turns(self) -> list[int]:
        return list(self._visible)

    @property
    def position(self) -> tuple[int, int]:
        """1-based position among the visible turns, and their count (for the status line)."""
        return (self._pos + 1 if self._visible else 0, len(self._visible))

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected span, normalised and trimmed of surrounding whitespace, or None."""
        if self._anchor is None or self._caret is None or self.transcript is None:
            return None
        s, e = sorted((self._anchor, self._caret))
        text = self.transcript.text
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        return (s, e) if e > s else None

    def codings_on(self, turn: int) -> list[Coding]:
        return list(self._codings.get(turn, []))

    def suggestion_count(self, turn: int) -> int:
        """Open suggestions on a turn, without loading them."""
        return self._sugg_counts[turn] if 0 <= turn < len(self._sugg_counts) else 0

    def turns_with_suggestions(self) -> list[int]:
        return list(_nonzero(self._sugg_counts))

    def suggestions_on(self, turn: int) -> list[Suggestion]:
        """The open suggestions of one turn, loaded on first use and kept in a small LRU cache."""
        if not self.suggestion_count(turn) or self._load_suggestions is None:
            return []
        cached = self._suggestions.get(turn)
        if cached is None:
            cached = self._suggestions[turn] = self._load_suggestions(turn)
            if len(self._suggestions) > SUGGESTION_CACHE:
                self._suggestions.popitem(last=False)
        else:
            self._suggestions.move_to_end(turn)
        return list(cached)

    # -- layout ------------------------------------------------------------------

    @property
    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - GUTTER)

    def _display(self, turn: int) -> tuple[str, int]:
        assert self.transcript is not None
        u = self.transcript.turns[turn]
        prefix = f"{u.speaker}: " if u.speaker else ""
        return prefix + self.transcript.text[u.start : u.end], len(prefix)

    def _wrapped(self, turn: int) -> tuple[str, int, list[LineSpec]]:
        cached = self._wrap_cache.get(turn)
        if cached is not None:
            self._wrap_cache.move_to_end(turn)
            return cached
        display, prefix = self._display(turn)
        lines = [LineSpec("text", a, b) for a, b in wrap_offsets(display, self._wrap_width)]
        cached = self._wrap_cache[turn] = (display, prefix, lines)
        if len(self._wrap_cache) > WRAP_CACHE:
            self._wrap_cache.popitem(last=False)
        return cached

    def _count_lines(self) -> None:
        """Text lines of every turn at the current width: only counts are kept, lines are wrapped when drawn."""
        assert self.transcript is not None
        width = self._wrap_width
        text = self.transcript.text
        heights = array("I", bytes(4 * self._n))
        for i, u in enumerate(self.transcript.turns):
            plen = len(u.speaker) + 2 if u.speaker else 0
            if plen + u.end - u.start <= width:
                heights[i] = 1
            else:
                display = (f"{u.speaker}: " if u.speaker else "") + text[u.start : u.end]
                heights[i] = len(wrap_offsets(display, width))
        self._text_heights = heights

    def _relayout(self) -> None:
        """Line starts of the visible turns from per-turn line counts and tag flags (no per-turn objects)."""
        if self.transcript is None:
            return
        width = self._text_width
        if width != self._wrap_width or len(self._text_heights) != self._n:
            self._wrap_cache.clear()
            self._wrap_width = width
            self._count_lines()
        heights, flags = self._text_heights, self._flags
        if self._all_visible:
            rows = map(int.__add__, heights, flags.translate(_NONZERO))
        else:
            rows = (heights[t] + (flags[t] != 0) for t in self._visible)
        ends = array("q", accumulate(rows))
        self._total = ends[-1] if ends else 0
        self._starts = array("q", [0]) + ends[:-1] if ends else array("q")
        self._block_cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self._total)
        self.refresh()

    def _row_height(self, row: int) -> int:
        turn = self._visible[row]
        return self._text_heights[turn] + (self._flags[turn] != 0)

    def _row(self, turn: int) -> int | None:
        """The visible row that shows `turn`, or None when a filter hides it."""
        if self._all_visible:
            return turn if 0 <= turn < len(self._visible) else None
        i = bisect_left(self._visible, turn)
        return i if i < len(self._visible) and self._visible[i] == turn else None

    def _block(self, row: int) -> Block:
        """The screen lines of one visible row, made on demand (a few per screen are cached)."""
        block = self._block_cache.get(row)
        if block is None:
            turn = self._visible[row]
            display, prefix, lines = self._wrapped(turn)
            if self._flags[turn]:
                lines = lines + [TAGS]
            block = Block(turn, self._starts[row], display, prefix, lines)
            if len(self._block_cache) > 256:
                self._block_cache.clear()
            self._block_cache[row] = block
        return block

    @property
    def _blocks(self) -> "_Blocks":
        """All visible rows as a lazy sequence of `Block`s (for tests and tools; drawing uses `_block`)."""
        return _Blocks(self)

    def on_resize(self, event: events.Resize) -> None:
        if self._text_width != self._wrap_width:
            self._relayout()
            self._scroll_to_focus()

    def _turn_of_offset(self, offset: int) -> int:
        assert self.transcript is not None
        t = self.transcript.turn_at(offset)
        return t.index if t else 0

    # -- rendering -----------------------------------------------------------------

    def notify_style_update(self) -> None:
        """Theme or CSS changed: forget the cached component styles."""
        self._styles = {}
        super().notify_style_update()

    def _style(self, name: str) -> Style:
        """Component styles looked up once per theme, not per line (they cost ~0.1 ms each)."""
        style = self._styles.get(name)
        if style is None:
            style = self.rich_style if name == "base" else self.get_component_rich_style(f"transcript-view--{name}")
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._style("base")
        yy = y + int(self.scroll_offset.y)
        if not self._visible or yy >= self._total:
            return Strip.blank(width, base)
        block = self._block(block_at(self._starts, yy))
        spec = block.lines[yy - block.y]
        focused = block.turn == self.focused_turn
        line_style = self._focused_line_style() if focused else base
        gutter = self._gutter(block, yy - block.y, focused)
        body = self._tags_text(block.turn) if spec.kind == "tags" else self._text_line(block, spec, focused)
        segments = gutter + list(body.render(self.app.console))
        strip = Strip(segments).crop(0, width).extend_cell_length(width)
        return strip.apply_style(line_style)

    def _focused_line_style(self) -> Style:
        style = self._styles.get("focused-line")
        if style is None:
            style = self._styles["focused-line"] = self._style("base") + self._style("focused")
        return style

    def _gutter(self, block: Block, line: int, focused: bool) -> list[Segment]:
        """Focus mark, a bar in the first code's colour, the turn number: plain segments (cheaper than Text)."""
        mark = Segment("▌" if focused else " ", self._style("mark"))
        turn_codes = self._codings.get(block.turn)
        if turn_codes:
            code = self.codes.get(turn_codes[0].code)
            bar = Segment("┃", Style(color=code.color if code else "#888888"))
        else:
            bar = Segment(" ")
        number = f"{block.turn:>5} " if line == 0 else "      "
        return [mark, bar, Segment(number, self._style("number"))]

    def _text_line(self, block: Block, spec: LineSpec, focused: bool) -> Text:
        assert self.transcript is not None
        u = self.transcript.turns[block.turn]
        text = Text(block.display[spec.a : spec.b])
        a, b = spec.a, spec.b
        if a < block.prefix:
            text.stylize(self._style("speaker"), 0, min(b, block.prefix) - a)

        def to_line(start: int, end: int) -> tuple[int, int] | None:
            s = max(start - u.start + block.prefix, a, block.prefix)
            e = min(end - u.start + block.prefix, b)
            return (s - a, e - a) if e > s else None

        for c in self._codings.get(block.turn, []):
            if c.start <= u.start and c.end >= u.end:
                continue  # whole-turn codings show in the gutter bar and the tag line
            span = to_line(c.start, c.end)
            if span:
                code = self.codes.get(c.code)
                text.stylize(Style(underline=True, color=code.color if code else None, bold=True), *span)
        if focused:
            evidence_style = self._style("evidence")
            for s in self.suggestions_on(block.turn):
                for ev in s.evidence:
                    span = to_line(ev.start, ev.end)
                    if span:
                        text.stylize(evidence_style, *span)
        search_style = self._style("search")
        for start, end in self._hits.get(block.turn, []):
            span = to_line(start, end)
            if span:
                text.stylize(search_style, *span)
        sel = self.selection if focused or self._anchor is not None else None
        if sel:
            span = to_line(*sel)
            if span:
                text.stylize(self._style("selection"), *span)
        if focused and self._caret is not None:
            col = self._caret - u.start + block.prefix
            if a <= col < b or (col == b and spec is block.lines[-1 if block.lines[-1].kind == "text" else -2]):
                if col == len(block.display) or col == b:
                    text.append(" ")
                text.stylize(self._style("caret"), col - a, col - a + 1)
        return text

    def _tags_text(self, turn: int) -> Text:
        out = Text()
        muted = self._style("muted")
        seen: set[str] = set()
        u = self.transcript.turns[turn] if self.transcript else None
        for c in sorted(self._codings.get(turn, []), key=lambda c: (c.start, c.code)):
            code = self.codes.get(c.code)
            label = code.display(self.language) if code else c.code
            partial = u is not None and not (c.start <= u.start and c.end >= u.end)
            key = f"{c.code}:{partial}"
            if key in seen:
                continue
            seen.add(key)
            colour = code.color if code else "#888888"
            tag = f" {label}{' ⌁' if partial else ''}{' ✎' if c.memo else ''} "
            out.append(tag, style=Style(color=contrast_text(colour), bgcolor=colour))
            out.append(" ")
        if turn in self._memo_turns:
            out.append(t("coding.memo_marker") + "  ", style=muted)
        n = self.suggestion_count(turn)
        if n:
            out.append(t("coding.suggest_marker", n=n), style=muted)
        return out

    # -- navigation ----------------------------------------------------------------

    def focus_turn(self, turn: int, *, clear_filter_if_hidden: bool = True) -> None:
        """Jump to a turn (search hit, retrieval); shows all turns again if a filter hides it."""
        if self._row(turn) is None and clear_filter_if_hidden and self.transcript:
            self._visible, self._all_visible = array("i", range(self._n)), True
            self._relayout()
        row = self._row(turn)
        if row is not None:
            self._set_pos(row)

    def move(self, delta: int) -> None:
        if self._visible:
            self._set_pos(max(0, min(len(self._visible) - 1, self._pos + delta)))

    def move_page(self, direction: int) -> None:
        if not self._visible:
            return
        target_y = self._starts[self._pos] + direction * max(1, self.scrollable_content_region.height - 2)
        target_y = max(0, min(target_y, self._starts[-1]))
        row = block_at(self._starts, target_y)
        if row == self._pos:
            row = max(0, min(len(self._visible) - 1, row + direction))
        self._set_pos(row)

    def move_to_end(self, last: bool) -> None:
        if self._visible:
            self._set_pos(len(self._visible) - 1 if last else 0)

    def _set_pos(self, row: int) -> None:
        changed = row != self._pos
        self._pos = row
        if changed:
            self._clear_selection(post=True)
        self._scroll_to_focus()
        self.refresh()
        if changed:
            self.post_message(self.FocusChanged(self.focused_turn))

    def _scroll_to_focus(self) -> None:
        if not self._visible:
            return
        y, block_height = self._starts[self._pos], self._row_height(self._pos)
        height = self.scrollable_content_region.height or 1
        top = int(self.scroll_offset.y)
        if y < top:
            self.scroll_to(y=y, animate=False, immediate=True)
        elif y + block_height > top + height:
            self.scroll_to(y=max(y, y + block_height - height), animate=False, immediate=True)

    # -- caret and selection -----------------------------------------------------------

    def _clear_selection(self, post: bool) -> None:
        had = self._anchor is not None
        self._caret = self._anchor = None
        if post and had:
            self.post_message(self.SelectionChanged(None))

    def clear_selection(self) -> bool:
        had = self._anchor is not None or self._caret is not None
        self._clear_selection(post=True)
        self.refresh()
        return had

    def move_caret(self, direction: int, *, select: bool, by_line: bool = False) -> None:
        """Word-wise (or line-wise) caret moves inside the focused turn; with `select` the span grows."""
        turn = self.focused_turn
        if turn is None or self.transcript is None:
            return
        u = self.transcript.turns[turn]
        utterance = self.transcript.text[u.start : u.end]
        caret = self._caret if self._caret is not None else u.start
        if select and self._anchor is None:
            self._anchor = caret
        if not select:
            self._anchor = None
        rel = caret - u.start
        if by_line:
            rel = self._line_step(turn, rel, direction)
        else:
            starts, ends = word_boundaries(utterance)
            if direction > 0:
                # plain moves land on word starts; a growing selection ends on word ends
                rel = next((s for s in (ends if select else starts) if s > rel), len(utterance))
            else:
                rel = next((s for s in reversed(starts) if s < rel), 0)
        self._caret = u.start + rel
        self.refresh()
        self.post_message(self.SelectionChanged(self.selection))

    def _line_step(self, turn: int, rel: int, direction: int) -> int:
        display, prefix, lines = self._wrapped(turn)
        col = rel + prefix
        idx = next((i for i, ln in enumerate(lines) if ln.a <= col <= ln.b), 0)
        target = idx + direction
        if target < 0:
            return 0
        if target >= len(lines):
            return len(display) - prefix
        ln = lines[target]
        return max(0, min(ln.a + (col - lines[idx].a), ln.b) - prefix)

    def offset_at(self, x: int, y: int) -> tuple[int, int] | None:
        """(turn, absolute offset) under a content-relative mouse position, or None below the text."""
        if not self._visible or self.transcript is None:
            return None
        yy = y + int(self.scroll_offset.y)
        if yy >= self._total:
            return None
        block = self._block(block_at(self._starts, yy))
        spec = block.lines[yy - block.y]
        u = self.transcript.turns[block.turn]
        if spec.kind != "text":
            return block.turn, u.end
        i = max(spec.a, min(spec.a + max(0, x - GUTTER), spec.b))
        return block.turn, u.start + max(0, i - block.prefix)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        where = self.offset_at(event.x, event.y)
        self.focus()
        if where is None:
            return
        turn, offset = where
        row = self._row(turn)
        if row is not None and row != self._pos:
            self._set_pos(row)
        self._anchor = offset
        self._caret = offset
        self._dragging = True
        self.capture_mouse()
        self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        where = self.offset_at(event.x, event.y)
        if where is not None:
            self._caret = where[1]
            self.refresh()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.release_mouse()
        if self.selection is None:
            self._anchor = None  # a plain click places the caret only
        self.refresh()
        self.post_message(self.SelectionChanged(self.selection))


def _nonzero(values) -> Iterator[int]:
    """Indices of the non-zero items (turns with open suggestions)."""
    return (i for i, v in enumerate(values) if v)


class _Blocks:
    """A read-only sequence of the view's visible rows as `Block`s, each built when asked for."""

    def __init__(self, view: TranscriptView) -> None:
        self._view = view

    def __len__(self) -> int:
        return len(self._view._visible)

    def __getitem__(self, row: int) -> Block:
        n = len(self)
        if row < 0:
            row += n
        if not 0 <= row < n:
            raise IndexError(row)
        return self._view._block(row)

    def __iter__(self) -> Iterator[Block]:
        return (self._view._block(row) for row in range(len(self)))
