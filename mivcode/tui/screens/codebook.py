"""The codebook screen: read the coding instructions, and change the codebook.

Definitions, inclusion and exclusion criteria and examples are what coders
check when in doubt, so they sit beside the tree. Edits (add, rename, move,
merge, keywords, definition) go through `Project.save_code` / `merge_codes`,
are undoable from the event log, and start a suggestion refresh in the
background because keywords drive the rule-based suggestions.
"""

from __future__ import annotations

from dataclasses import replace

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Static, Tree

from mivcode.core.errors import MivcodeError
from mivcode.core.i18n import t
from mivcode.core.model import Code
from mivcode.tui.bindings import MivScreen, bind
from mivcode.tui.dialogs.code_picker import CodePicker
from mivcode.tui.dialogs.prompt import ChoiceDialog, InputDialog
from mivcode.tui.widgets.code_tree import fill_code_tree


class CodebookScreen(MivScreen):
    BINDINGS = [
        bind("a", "add", id="codebook.add_code"),
        bind("r", "rename", id="codebook.rename"),
        bind("p", "move", id="codebook.move"),
        bind("m", "merge", id="codebook.merge"),
        bind("k", "keywords", id="codebook.keywords"),
        bind("d", "definition", id="codebook.definition"),
        bind("u", "undo", id="codebook.undo"),
        bind("escape", "app.pop_screen", id="codebook.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.codes: list[Code] = []
        self.counts: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="codebook-main"):
            yield Tree(t("codebook.title"), id="codebook-tree")
            with VerticalScroll(id="codebook-detail"):
                yield Static(id="code-detail")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(Tree)
        tree.show_root = False
        tree.focus()
        self.reload()

    def reload(self, select: str | None = None) -> None:
        p = self.app.project
        self.codes, self.counts = p.codes(), p.code_counts()
        tree = self.query_one(Tree)
        current = select or self.selected_id
        nodes = fill_code_tree(tree, self.codes, self.counts, self.app.language)
        if current in nodes:
            self.call_after_refresh(lambda: tree.move_cursor(nodes[current]))
        self.show_detail(current or (self.codes[0].id if self.codes else None))

    @property
    def selected_id(self) -> str | None:
        node = self.query_one(Tree).cursor_node
        return node.data if node is not None else None

    @property
    def selected(self) -> Code | None:
        cid = self.selected_id
        return next((c for c in self.codes if c.id == cid), None)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.show_detail(event.node.data)

    def show_detail(self, code_id: str | None) -> None:
        code = next((c for c in self.codes if c.id == code_id), None)
        box = self.query_one("#code-detail", Static)
        if code is None:
            box.update("")
            return
        lang = self.app.language
        by_id = {c.id: c for c in self.codes}
        parts = [f"[b][{code.color}]■[/] {escape(code.display(lang))}[/b]  [dim]{code.id}[/dim]"]
        if code.parent:
            parent = by_id.get(code.parent)
            parts.append(f"{t('codebook.parent')}: {escape(parent.display(lang) if parent else code.parent)}")
        parts.append(f"{t('codebook.shortcut')}: {code.shortcut or '-'} · {t('codebook.count')}: {self.counts.get(code.id, 0)}")
        for key, value in (("definition", code.definition), ("include", code.include), ("exclude", code.exclude)):
            if value:
                parts.append(f"\n[b]{t('codebook.' + key)}[/b]\n{escape(value)}")
        if code.examples:
            parts.append(f"\n[b]{t('codebook.examples')}[/b]")
            parts.extend(f"• [i]{escape(e)}[/i]" for e in code.examples)
        if code.keywords:
            parts.append(f"\n[b]{t('codebook.keywords')}[/b]\n{escape(', '.join(code.keywords))}")
        box.update("\n".join(parts))

    def refresh_texts(self) -> None:
        self.reload()

    # -- edits ---------------------------------------------------------------------------------

    def _save(self, code: Code) -> bool:
        if self.app.project.readonly:
            self.app.notify(t("app.readonly_refused", what=code.id), severity="warning")
            return False
        try:
            self.app.project.save_code(code, self.app.coder)
        except MivcodeError as exc:
            self.app.notify(exc.localized(), severity="error")
            return False
        self.reload(select=code.id)
        self.query_one("#status", Static).update(escape(t("codebook.saved", code=code.display(self.app.language))))
        self.app.refresh_suggestions_in_background()
        return True

    def action_add(self) -> None:
        def got_id(code_id: str | None) -> None:
            if not code_id:
                return
            if any(c.id == code_id for c in self.codes):
                self.app.notify(t("codebook.exists", code=code_id), severity="error")
                return

            def got_label(label: str | None) -> None:
                if not label:
                    return

                def got_parent(parent: str | None) -> None:
                    if parent is None:
                        return
                    colour = next((c.color for c in self.codes if c.id == parent), "#888888")
                    order = max((c.order for c in self.codes), default=0) + 1
                    self._save(Code(id=code_id, label=label, parent=parent or None, color=colour, order=order))

                self.app.push_screen(CodePicker(self.codes, title=t("picker.title_parent"), language=self.app.language,
                                                allow_none=t("picker.top_level")), got_parent)

            self.app.push_screen(InputDialog(t("codebook.new_label"), allow_empty=False), got_label)

        self.app.push_screen(InputDialog(t("codebook.new_id"), allow_empty=False), got_id)

    def action_rename(self) -> None:
        code = self.selected
        if code is None:
            return
        field = "label_en" if self.app.language == "en" else "label"
        self.app.push_screen(
            InputDialog(t("codebook.rename", code=code.id), getattr(code, field) or code.label, allow_empty=False),
            lambda v: v and self._save(replace(code, **{field: v})))

    def action_move(self) -> None:
        code = self.selected
        if code is None:
            return
        self.app.push_screen(
            CodePicker(self.codes, title=t("picker.title_parent"), language=self.app.language,
                       allow_none=t("picker.top_level"), exclude={code.id}),
            lambda parent: parent is not None and self._save(replace(code, parent=parent or None)))

    def action_keywords(self) -> None:
        code = self.selected
        if code is None:
            return

        def done(value: str | None) -> None:
            if value is not None:
                words = [w.strip() for w in value.split(",") if w.strip()]
                self._save(replace(code, keywords=words))

        self.app.push_screen(InputDialog(t("codebook.keywords_edit", code=code.id), ", ".join(code.keywords)), done)

    def action_definition(self) -> None:
        code = self.selected
        if code is None:
            return
        self.app.push_screen(InputDialog(t("codebook.definition_edit", code=code.id), code.definition),
                             lambda v: v is not None and self._save(replace(code, definition=v)))

    def action_merge(self) -> None:
        source = self.selected
        if source is None:
            return
        lang = self.app.language

        def target_chosen(target_id: str | None) -> None:
            if not target_id:
                return
            target = next(c for c in self.codes if c.id == target_id)
            question = t("codebook.confirm_merge", source=source.display(lang), target=target.display(lang))

            def confirmed(yes) -> None:
                if yes is not True:
                    return
                if self.app.project.readonly:
                    self.app.notify(t("app.readonly_refused", what=source.id), severity="warning")
                    return
                try:
                    n = self.app.project.merge_codes(source.id, target.id, self.app.coder)
                except MivcodeError as exc:
                    self.app.notify(exc.localized(), severity="error")
                    return
                self.reload(select=target.id)
                self.query_one("#status", Static).update(escape(t(
                    "codebook.merged", source=source.display(lang), target=target.display(lang), n=n)))
                self.app.refresh_suggestions_in_background()

            self.app.push_screen(ChoiceDialog(question, [(t("common.ok"), True), (t("common.cancel"), False)]),
                                 confirmed)

        self.app.push_screen(CodePicker(self.codes, title=t("picker.title_merge"), language=lang,
                                        exclude={source.id}), target_chosen)

    def action_undo(self) -> None:
        try:
            step = self.app.project.undo(self.app.coder)
        except MivcodeError as exc:
            self.app.notify(exc.localized(), severity="error")
            return
        self.reload()
        self.query_one("#status", Static).update(
            escape(t("coding.undone", what=step.op.describe(self.app.language))) if step else t("coding.nothing_undo"))
