"""Key bindings with ids: translated descriptions, keymap overrides, palette and help.

Every action has a `Binding` with an `id` (Posting's pattern), so a user's
`[keymap]` table in config.toml can move it (`App.set_keymap`), the command
palette can list it, and the help screen shows the key actually in force.
Descriptions come from the catalogue under `key.<last part of the id>`.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from mivcode.core.i18n import MESSAGES, t


def describe(binding: Binding) -> str:
    if binding.id:
        key = "key." + binding.id.rsplit(".", 1)[-1]
        if key in MESSAGES:
            return t(key)
    return binding.description


def localize(node: DOMNode) -> None:
    """Swap each binding's description for the current language (called at init and on a language switch)."""
    table = node._bindings.key_to_bindings
    for key, bindings in list(table.items()):
        table[key] = [replace(b, description=describe(b), tooltip=describe(b)) if b.id else b for b in bindings]


def bound_actions(node: DOMNode) -> list[Binding]:
    """The node's own bindings that have an id, once each (palette and help)."""
    seen: set[str] = set()
    out = []
    for _, binding in node._bindings:
        if binding.id and binding.id not in seen:
            seen.add(binding.id)
            out.append(binding)
    return out
