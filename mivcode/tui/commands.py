"""The command palette (ctrl+p): every bound action of the current screen, plus app commands.

Built from the bindings in force on the screen (Textual's `active_bindings`)
rather than a second list, so a new action with a Binding id appears in the
palette, the footer and the help at once.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from mivcode.tui.bindings import actions_in_force, describe


class MivCommands(Provider):
    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        screen = self.screen
        out: list[tuple[str, str, object]] = []
        seen: set[str] = set()
        for action in actions_in_force(screen):
            title = describe(action.binding)
            if title in seen:
                continue
            seen.add(title)
            key = app.get_key_display(action.binding)
            out.append((title, key, partial(action.node.run_action, action.binding.action)))
        extra = list(app.app_commands())
        if hasattr(screen, "palette_commands"):
            extra.extend(screen.palette_commands())
        for title, help_text, callback in extra:
            if title not in seen:
                seen.add(title)
                out.append((title, help_text, callback))
        return out

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text or None)
