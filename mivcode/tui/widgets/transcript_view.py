"""The transcript as one virtual Line-API widget: thousands of turns, one widget.

Why not a widget per turn: measured in Textual 8 (see DESIGN-NOTES), a
`VerticalScroll` of `Static`s takes seconds past a thousand turns, while a
`ScrollView` that renders only the visible lines paints 20,000 lines in tens of
milliseconds. So the view keeps the transcript, the coder's codings and the
open suggestions as plain data, lays the turns out as wrapped lines (cached
per turn and width) and draws code colours, evidence, search hits and the
selection line by line in `render_line`.

It owns navigation (focused turn, caret, span selection by keyboard and mouse)
but never writes to the project: it posts messages and the screen calls the
core API.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mivcode.core.model import Code, Coding, Suggestion, Transcript
from mivcode.tui.i18n import t
from mivcode.tui.widgets.layout import Block, LineSpec, block_at, word_boundaries, wrap_offsets

GUTTER = 8  # focus mark, code bar, turn number (5), space


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
        self._suggestions: dict[int, list[Suggestion]] = {}
        self._memo_turns: set[int] = set()
        self._visible: list[int] = []
        self._pos = 0
        self._caret: int | None = None
        self._anchor: int | None = None
        self._hits: dict[int, list[tuple[int, int]]] = {}
        self._wrap_cache: dict[int, list[LineSpec]] = {}
        self._wrap_width = -1
        self._blocks: list[Block] = []
        self._starts: list[int] = []
        self._row_of_turn: dict[int, int] = {}
        self._dragging = False
        self._styles: dict[str, Style] = {}
        self._tagged: set[int] = set()

    # -- data ------------------------------------------------------------------

    def set_transcript(self, transcript: Transcript, codes: list[Code]) -> None:
        self.transcript = transcript
        self.codes = {c.id: c for c in codes}
        self._visible = list(range(len(transcript.turns)))
        self._pos = 0
        self._codings, self._suggestions, self._memo_turns, self._tagged, self._hits = {}, {}, set(), set(), {}
        self._wrap_cache.clear()
        self._clear_selection(post=False)
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)

    def set_codes(self, codes: list[Code]) -> None:
        self.codes = {c.id: c for c in codes}
        self.refresh()

    def set_annotations(self, codings: list[Coding], suggestions: list[Suggestion], memo_turns: set[int]) -> None:
        """Replace this coder's codings, the open suggestions and memo marks, then redraw."""
        assert self.transcript is not None
        by_turn: dict[int, list[Coding]] = defaultdict(list)
        for c in codings:
            turn = c.turn if c.turn is not None else self._turn_of_offset(c.start)
            by_turn[turn].append(c)
        sugg: dict[int, list[Suggestion]] = defaultdict(list)
        for s in suggestions:
            sugg[s.turn].append(s)
        self._codings, self._suggestions, self._memo_turns = dict(by_turn), dict(sugg), set(memo_turns)
        tagged = set(self._codings) | self._memo_turns | set(self._suggestions)
        changed = tagged ^ self._tagged
        self._tagged = tagged
        if self._blocks and len(changed) <= 50:
            self._retag(changed)  # a toggle: shift the blocks below instead of laying out 3,000 turns again
        else:
            self._relayout()

    def set_visible(self, turns: list[int] | None) -> None:
        """Show only these turns (a filter), keeping the focus on the nearest visible turn."""
        assert self.transcript is not None
        current = self.focused_turn
        self._visible = list(range(len(self.transcript.turns))) if turns is None else list(turns)
        self._pos = 0
        if current is not None and self._visible:
            self._pos = min(range(len(self._visible)), key=lambda i: abs(self._visible[i] - current))
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

    def suggestions_on(self, turn: int) -> list[Suggestion]:
        return list(self._suggestions.get(turn, []))

    # -- layout ------------------------------------------------------------------

    @property
    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - GUTTER)

    def _wrapped(self, turn: int) -> tuple[str, int, list[LineSpec]]:
        assert self.transcript is not None
        u = self.transcript.turns[turn]
        prefix = f"{u.speaker}: " if u.speaker else ""
        display = prefix + self.transcript.text[u.start : u.end]
        lines = self._wrap_cache.get(turn)
        if lines is None:
            lines = [LineSpec("text", a, b) for a, b in wrap_offsets(display, self._text_width)]
            self._wrap_cache[turn] = lines
        return display, len(prefix), lines

    def _relayout(self) -> None:
        """Rebuild block positions; wrapping is cached per turn, so a toggle costs a pass over ints."""
        if self.transcript is None:
            return
        width = self._text_width
        if width != self._wrap_width:
            self._wrap_cache.clear()
            self._wrap_width = width
        blocks, starts, rows = [], [], {}
        y = 0
        for idx in self._visible:
            display, prefix, lines = self._wrapped(idx)
            block = Block(idx, y, display, prefix, lines)
            if idx in self._tagged:
                block.lines = lines + [LineSpec("tags")]
            rows[idx] = len(blocks)
            blocks.append(block)
            starts.append(y)
            y += block.height
        self._blocks, self._starts, self._row_of_turn = blocks, starts, rows
        self.virtual_size = Size(self.scrollable_content_region.width, y)
        self.refresh()

    def _retag(self, turns: set[int]) -> None:
        """Add or drop the tag line of a few turns and move the blocks below them by one line each."""
        rows = sorted(self._row_of_turn[t] for t in turns if t in self._row_of_turn)
        if not rows:
            self.refresh()
            return
        shift = 0
        blocks, starts = self._blocks, self._starts
        next_change = 0
        for row in range(rows[0], len(blocks)):
            block = blocks[row]
            block.y += shift
            starts[row] = block.y
            if next_change < len(rows) and rows[next_change] == row:
                next_change += 1
                has_tags = block.lines[-1].kind == "tags"
                if block.turn in self._tagged and not has_tags:
                    block.lines = block.lines + [LineSpec("tags")]
                    shift += 1
                elif block.turn not in self._tagged and has_tags:
                    block.lines = block.lines[:-1]
                    shift -= 1
        self.virtual_size = Size(self.scrollable_content_region.width, starts[-1] + blocks[-1].height)
        self.refresh()

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
        if not self._blocks or yy >= self._starts[-1] + self._blocks[-1].height:
            return Strip.blank(width, base)
        block = self._blocks[block_at(self._starts, yy)]
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
            for s in self._suggestions.get(block.turn, []):
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
        n = len(self._suggestions.get(turn, []))
        if n:
            out.append(t("coding.suggest_marker", n=n), style=muted)
        return out

    # -- navigation ----------------------------------------------------------------

    def focus_turn(self, turn: int, *, clear_filter_if_hidden: bool = True) -> None:
        """Jump to a turn (search hit, retrieval); shows all turns again if a filter hides it."""
        if turn not in self._row_of_turn and clear_filter_if_hidden and self.transcript:
            self._visible = list(range(len(self.transcript.turns)))
            self._relayout()
        row = self._row_of_turn.get(turn)
        if row is not None:
            self._set_pos(row)

    def move(self, delta: int) -> None:
        if self._visible:
            self._set_pos(max(0, min(len(self._visible) - 1, self._pos + delta)))

    def move_page(self, direction: int) -> None:
        if not self._blocks:
            return
        block = self._blocks[self._pos]
        target_y = block.y + direction * max(1, self.scrollable_content_region.height - 2)
        target_y = max(0, min(target_y, self._starts[-1]))
        row = block_at(self._starts, target_y)
        if row == self._pos:
            row = max(0, min(len(self._blocks) - 1, row + direction))
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
        if not self._blocks:
            return
        block = self._blocks[self._pos]
        height = self.scrollable_content_region.height or 1
        top = int(self.scroll_offset.y)
        if block.y < top:
            self.scroll_to(y=block.y, animate=False, immediate=True)
        elif block.y + block.height > top + height:
            self.scroll_to(y=max(block.y, block.y + block.height - height), animate=False, immediate=True)

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
        if not self._blocks or self.transcript is None:
            return None
        yy = y + int(self.scroll_offset.y)
        if yy >= self._starts[-1] + self._blocks[-1].height:
            return None
        block = self._blocks[block_at(self._starts, yy)]
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
        row = self._row_of_turn.get(turn)
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
