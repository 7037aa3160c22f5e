"""Key bindings with ids: descriptions from the catalogue, keymap overrides, palette and help.

Every action has a `Binding` with an `id` (Posting's pattern), so a user's
`[keymap]` table in config.toml can move it (`App.set_keymap`), the command
palette can list it, and the help screen shows the key actually in force.
A binding carries no text of its own: its description is the catalogue's
`key.<id>` (or `key.<last part of the id>`) in the language of the moment.
Screens hand the footer their bindings through `active_bindings`, Textual's
public view of the keys in force (after the keymap and `check_action`), with
the description filled in; a language switch only has to `refresh_bindings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import Screen

from mivcode.core.i18n import has, t


def _description(binding_id: str) -> str | None:
    last = binding_id.rsplit(".", 1)[-1]
    for key in (f"key.{binding_id}", f"key.{last}", "key." + re.sub(r"\d+$", "", last)):
        if has(key):
            return t(key)
    return None


def bind(keys: str, action: str, *, id: str, **options) -> Binding:
    """A Binding whose description is the catalogue's for `id` (Textual hides a binding without one)."""
    return Binding(keys, action, _description(id) or id, id=id, **options)


def describe(binding: Binding) -> str:
    """The binding's description in the current language (the catalogue's, else its own)."""
    return (_description(binding.id) if binding.id else None) or binding.description


def described(active: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """The same bindings with their descriptions (and tooltips) in the current language."""
    out = {}
    for key, entry in active.items():
        if entry.binding.id:
            text = describe(entry.binding)
            entry = entry._replace(binding=replace(entry.binding, description=text, tooltip=text), tooltip=text)
        out[key] = entry
    return out


class DescribedBindings:
    """Mixin for screens: the footer (and Textual's key panel) read descriptions from the catalogue."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return described(super().active_bindings)  # type: ignore[misc]


class MivScreen(DescribedBindings, Screen):
    """A screen of mivcode: bindings described in the current language."""


@dataclass(slots=True)
class BoundAction:
    """One action in force on a screen, with every key that runs it (after the user's keymap)."""

    binding: Binding
    node: DOMNode  # where the action runs
    keys: list[str]  # key names as bound ("ctrl+z", "question_mark")


def actions_in_force(screen: Screen) -> list[BoundAction]:
    """The actions with an id the screen's keys run now, once each, in binding-chain order (palette, help)."""
    found: dict[str, BoundAction] = {}
    for key, entry in screen.active_bindings.items():
        binding = entry.binding
        if binding.system or not binding.id:
            continue
        if binding.id in found:
            found[binding.id].keys.append(key)
        else:
            found[binding.id] = BoundAction(binding, entry.node, [key])
    return list(found.values())
