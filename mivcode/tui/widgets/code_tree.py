"""Fill a Textual `Tree` with the codebook (themes and sub-codes, colour, shortcut, count).

Shared by Home and the codebook screen so both read the same way.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from mivcode.core.model import Code


def fill_code_tree(tree: Tree, codes: list[Code], counts: dict[str, int], language: str) -> dict[str, TreeNode]:
    """Parents before children whatever the stored order; leaves have no expand arrow."""
    tree.clear()
    known = {c.id for c in codes}
    parents = {c.parent for c in codes if c.parent in known}
    nodes: dict[str | None, TreeNode] = {None: tree.root}
    pending = list(codes)
    while pending:
        progressed = False
        for c in list(pending):
            parent = c.parent if c.parent in known else None
            if parent not in nodes:
                continue
            key = f"[{c.shortcut}] " if c.shortcut else ""
            label = Text.assemble(("■ ", c.color), key, c.display(language), (f"  {counts.get(c.id, 0)}", "dim"))
            if c.id in parents:
                nodes[c.id] = nodes[parent].add(label, data=c.id, expand=True)
            else:
                nodes[c.id] = nodes[parent].add_leaf(label, data=c.id)
            pending.remove(c)
            progressed = True
        if not progressed:  # a cycle: show the rest flat rather than hang
            for c in pending:
                nodes[c.id] = tree.root.add_leaf(c.display(language), data=c.id)
            break
    tree.root.expand_all()
    return {k: v for k, v in nodes.items() if k is not None}
