"""The one text catalogue: complete in both languages, and used by every layer instead of literals."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from mivcode.core import i18n

PACKAGE = Path(__file__).resolve().parent.parent / "mivcode"


def test_every_text_exists_in_both_languages_with_the_same_placeholders():
    assert len(i18n.MESSAGES) > 300
    for key, pair in i18n.MESSAGES.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        nl, en = pair
        assert nl.strip() and en.strip(), key
        assert i18n.placeholders(nl) == i18n.placeholders(en), key
        assert "lang" not in i18n.placeholders(nl), f"{key}: 'lang' is t()'s own keyword"
        nl.format(**dict.fromkeys(i18n.placeholders(nl), 1))  # no stray brace: it formats


def test_every_key_the_code_asks_for_exists():
    """A literal key in t("...") anywhere in mivcode/ (UI, CLI, exports, core) is in the catalogue."""
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\(\s*"([a-z_0-9]+\.[a-z_0-9.]+)"', text))
    assert len(used) > 180, "the scan found too few keys"
    assert sorted(k for k in used if not i18n.has(k)) == []


def test_current_and_explicit_language_and_an_unknown_key():
    try:
        i18n.set_language("en")
        assert i18n.t("home.progress", coded=1, turns=2) == "1/2 turns"
        assert i18n.t("home.progress", lang="nl", coded=1, turns=2) == "1/2 beurten"
        i18n.set_language("fr")  # unsupported: Dutch
        assert i18n.language() == "nl"
        assert i18n.t("home.progress", coded=1, turns=2) == "1/2 beurten"
        assert i18n.t("no.such.key") == "no.such.key"  # a gap shows itself instead of crashing
        workbook = i18n.Texts("xlsx", "en")
        assert (workbook["quotes"], workbook("min_cell", n=5)) == ("Quotes", 'Counts from 1 to 5 are shown as "<5" '
                                                                   "(privacy, --min-cell 5).")
    finally:
        i18n.set_language("nl")


def test_an_error_with_a_catalogue_key_reads_english_for_scripts_and_localized_for_people(tmp_path):
    from mivcode.core.errors import InputError

    error = InputError.keyed("error.folder_missing", path="x.xlsx", folder="uit")
    assert str(error) == "x.xlsx: folder uit does not exist" and error.details == [str(error)]
    assert error.localized() == "x.xlsx: map uit bestaat niet"
    assert InputError("plain").localized() == "plain"  # errors without a key keep their message


def test_the_areas_do_not_define_a_key_twice():
    from mivcode.core.i18n import cli, errors, progress, reports, suggest, tui

    sizes = [len(m.MESSAGES) for m in (cli, errors, progress, reports, suggest, tui)]
    assert sum(sizes) == len(i18n.MESSAGES)


# -- the catalogue cannot be bypassed: no researcher-facing literal in the UI or the exports -----------------------

SCANNED = ("tui", "core/exchange", "core/queries")
_WORDS = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")
_WORD = re.compile(r"^[A-Z][a-zà-ÿ]{2,}\b")
_MARKUP = re.compile(r"\[/?[a-z0-9 #$_.-]*\]|<[^<>]*>?")  # rich markup; XML of the REFI-QDA files
# Calls whose string arguments are identifiers, not text: catalogue keys, CSS selectors, key names, styles.
_ID_CALLS = {"t", "has", "Texts", "query_one", "query", "stylize", "add_class", "remove_class", "set_class",
             "get_component_rich_style"}
_KEY_CALLS = {"bind", "Binding"}  # keys and action are identifiers; a description would be text
_ID_KEYWORDS = {"id", "classes", "group", "style", "severity", "key_display", "prefix", "suffix"}
_ID_ASSIGNMENTS = {"DEFAULT_CSS", "CSS_PATH", "COMPONENT_CLASSES", "SIDECAR", "DARK", "LIGHT"}
# Deliberate exceptions as (path under mivcode/, literal), each with its reason.
ALLOWED: set[tuple[str, str]] = {
    # what the file is, in an error line; error lines stay English (for scripts and bug reports), see errors.py
    ("core/exchange/codings_csv.py", "codings CSV"),
}


def _visible(text: str) -> bool:
    plain = _MARKUP.sub(" ", text)
    return bool(_WORDS.search(plain) or _WORD.search(plain.strip()))


def _literals(tree):
    """(line, text) of every string constant that is not a docstring, an identifier argument or an error."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))
        inner: list[ast.AST] = []
        if isinstance(node, ast.Raise) and node.exc is not None:
            inner = [node.exc]  # error messages keep their wording this round (InputError/ProjectError)
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in _ID_CALLS:
                inner = list(node.args)
            elif name in _KEY_CALLS:
                inner = list(node.args[:2])
            inner += [k.value for k in node.keywords if k.arg in _ID_KEYWORDS]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(x, ast.Name) and x.id in _ID_ASSIGNMENTS for x in targets):
                inner = [node.value]
            if isinstance(node, ast.AnnAssign):
                inner.append(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner = [a.annotation for a in node.args.args + node.args.kwonlyargs if a.annotation]
            inner += [node.returns] if node.returns else []
        elif isinstance(node, ast.Subscript):
            inner = [node.slice]  # dict keys, row["name"]
        elif isinstance(node, ast.Compare):
            inner = [node.left, *node.comparators]  # kind == "speaker"
        for sub in inner:
            skip.update(id(n) for n in ast.walk(sub))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def test_no_researcher_facing_literal_bypasses_the_catalogue():
    found = []
    for area in SCANNED:
        for path in sorted((PACKAGE / area).rglob("*.py")):
            rel = path.relative_to(PACKAGE).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{rel}:{line}: {text!r}" for line, text in _literals(tree)
                      if _visible(text) and (rel, text) not in ALLOWED]
    assert found == [], "texts a researcher reads belong in mivcode/core/i18n/:\n" + "\n".join(found)


def test_the_scan_catches_a_literal():
    tree = ast.parse('def f(app):\n    app.notify("Codes opgeslagen")\n    app.query_one("#status")\n')
    assert [text for _, text in _literals(tree) if _visible(text)] == ["Codes opgeslagen"]


def test_every_action_binding_has_a_description_in_the_catalogue():
    """The footer, help and palette name each action from `key.<id>`: none may fall back to its bare id."""
    from mivcode.tui.app import MivApp
    from mivcode.tui.bindings import describe
    from mivcode.tui.screens.adjudication import AdjudicationScreen
    from mivcode.tui.screens.codebook import CodebookScreen
    from mivcode.tui.screens.coding import CodingScreen
    from mivcode.tui.screens.home import HomeScreen
    from mivcode.tui.screens.retrieval import RetrievalScreen

    ids = set()
    for cls in (MivApp, HomeScreen, CodingScreen, CodebookScreen, RetrievalScreen, AdjudicationScreen):
        for binding in cls.BINDINGS:
            assert binding.id, f"{cls.__name__}: {binding.key} has no id for the keymap"
            ids.add(binding.id)
            for lang in i18n.LANGUAGES:
                try:
                    i18n.set_language(lang)
                    assert describe(binding) != binding.id, f"no catalogue text for {binding.id}"
                finally:
                    i18n.set_language("nl")
    assert len(ids) > 50
