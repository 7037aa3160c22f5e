"""Fill a Textual `Tree` with the codebook (themes and sub-codes, colour, shortcut, count).

Shared by Home and the codebook screen so both read the same way.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from mivcode.core.codebook import code_tree
from mivcode.core.model import Code


def fill_code_tree(tree: Tree, codes: list[Code], counts: dict[str, int], language: str) -> dict[str, TreeNode]:
    """Parents before children whatever the stored order; leaves have no expand arrow."""
    tree.clear()
    nodes: dict[str, TreeNode] = {}
    path: list[TreeNode] = [tree.root]  # the node at each depth on the way down
    for row in code_tree(codes):
        c = row.code
        del path[row.depth + 1:]
        key = f"[{c.shortcut}] " if c.shortcut else ""
        label = Text.assemble(("■ ", c.color), key, c.display(language), (f"  {counts.get(c.id, 0)}", "dim"))
        parent = path[row.depth]
        if row.has_children:
            nodes[c.id] = parent.add(label, data=c.id, expand=True)
            path.append(nodes[c.id])
        else:
            nodes[c.id] = parent.add_leaf(label, data=c.id)
    tree.root.expand_all()
    return nodes
