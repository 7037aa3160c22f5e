"""The codebook file: a human-editable YAML list of codes, validated with line numbers.

Why YAML and a flat list with `parent:`: researchers edit the file by hand in
any editor, long definitions and example quotes read naturally as block
text, and a flat list keeps each code's fields together while still letting a
code move to another parent by changing one line. Validation reports
`file:line: message` so a researcher can jump straight to the mistake.

File layout::

    name: MIV mbo 2023
    version: 1
    codes:
      - id: discriminatie            # required, [a-z0-9_]+ and unique
        label: Discriminatie, ...    # required, Dutch
        label_en: Discrimination ... # optional
        parent: null                 # id of the parent code, or absent
        color: "#c0392b"             # #rrggbb
        shortcut: "1"                # one character, unique
        definition: ...
        include: ...                 # inclusion criteria
        exclude: ...                 # exclusion criteria
        examples: [..]               # example quotes
        keywords: [..]               # Dutch words and phrases for suggestions
        patterns: [[{LEMMA: x}, ..]] # optional spaCy Matcher token patterns
        markers: [..]                # composite codes: normalising phrases
        requires: [..]               # composite codes: themes that must co-occur
    conventions:                     # optional: the team's coding decisions (see core/conventions.py)
      moderator_questions: false
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mivcode.core.conventions import DEFAULT as DEFAULT_CONVENTIONS
from mivcode.core.conventions import Conventions, parse_conventions
from mivcode.core.errors import InputError
from mivcode.core.files import read_input_text
from mivcode.core.model import Code

ID_RE = re.compile(r"^[a-z0-9_]+$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
LIST_FIELDS = ("examples", "keywords", "markers", "requires")
TEXT_FIELDS = ("label", "label_en", "definition", "include", "exclude")
KNOWN_FIELDS = {"id", "parent", "color", "shortcut", "patterns", *LIST_FIELDS, *TEXT_FIELDS}
# Keys the coding screen uses for itself; a code shortcut must not shadow them.
RESERVED_SHORTCUTS = set("acgjkmnqux/?GN ")


@dataclass(slots=True)
class Codebook:
    name: str
    codes: list[Code]
    path: str | None = None
    version: int = 1
    warnings: list[str] = field(default_factory=list)
    conventions: Conventions = DEFAULT_CONVENTIONS

    def by_id(self) -> dict[str, Code]:
        return {c.id: c for c in self.codes}

    def top_level(self, code_id: str) -> str:
        return top_level_of(self.by_id(), code_id)


def top_level_of(codes: dict[str, Code], code_id: str) -> str:
    """Roll a sub-code up to its theme; stops on a cycle rather than looping."""
    seen: set[str] = set()
    cur = code_id
    while cur in codes and codes[cur].parent and cur not in seen:
        seen.add(cur)
        cur = codes[cur].parent  # type: ignore[assignment]
    return cur


def descendants(codes: list[Code], code_id: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for c in codes:
        if c.parent:
            children.setdefault(c.parent, []).append(c.id)
    out: set[str] = set()
    stack = [code_id]
    while stack:
        for ch in children.get(stack.pop(), []):
            if ch not in out:
                out.add(ch)
                stack.append(ch)
    return out


@dataclass(frozen=True, slots=True)
class TreeRow:
    code: Code
    depth: int  # 0 for a theme
    has_children: bool


def code_tree(codes: list[Code]) -> list[TreeRow]:
    """The codebook as a tree, depth first: each theme followed by its sub-codes, siblings in codebook order.

    What the CLI prints, the codebook trees of Home and the codebook screen show, and the reports list.
    A code whose parent is unknown is a theme; codes caught in a cycle (only a damaged file has one) come
    last at the top level, so none is ever hidden. Iterative: a deep chain cannot overflow the stack.
    """
    ids = {c.id for c in codes}
    children: dict[str | None, list[Code]] = {}
    for c in codes:
        children.setdefault(c.parent if c.parent in ids else None, []).append(c)
    out: list[TreeRow] = []
    seen: set[str] = set()
    stack: list[tuple[Code, int]] = [(c, 0) for c in reversed(children.get(None, []))]
    while stack:
        c, depth = stack.pop()
        if c.id in seen:
            continue
        seen.add(c.id)
        kids = children.get(c.id, [])
        out.append(TreeRow(c, depth, bool(kids)))
        stack.extend((k, depth + 1) for k in reversed(kids))
    out.extend(TreeRow(c, 0, False) for c in codes if c.id not in seen)
    return out


MAX_YAML_DEPTH = 64  # a codebook nests a few levels (patterns: list of lists of mappings); more is hostile


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping (1-based).

    It also refuses what only a crafted file contains: aliases that repeat a list or mapping (a
    "billion laughs" file expands to gigabytes when the codebook is read) and nesting deeper than
    `MAX_YAML_DEPTH` (which would exhaust Python's recursion limit).
    """

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None and not isinstance(target, yaml.ScalarNode):
                raise yaml.composer.ComposerError(
                    None, None, f"alias *{event.anchor} repeats a list or mapping; write it out instead",
                    event.start_mark,
                )
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_YAML_DEPTH} levels deep", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(value):
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def parse_codebook_text(text: str, path: str = "<codebook>") -> tuple[Codebook, list[str]]:
    """Parse and validate; returns the codebook and a list of `file:line: problem` errors."""
    errors: list[str] = []
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Codebook(name="", codes=[], path=path), [f"{path}:{line}: invalid YAML: {problem}"]
    if not isinstance(doc, dict) or not isinstance(doc.get("codes"), list):
        return Codebook(name="", codes=[], path=path), [f"{path}:1: expected a mapping with a 'codes:' list"]

    codes: list[Code] = []
    seen: dict[str, int] = {}
    shortcuts: dict[str, tuple[str, int]] = {}
    warnings: list[str] = []
    for order, raw in enumerate(doc["codes"]):
        if not isinstance(raw, dict):
            errors.append(f"{path}:{doc.get('__line__', 1)}: code #{order + 1} is not a mapping")
            continue
        line = raw.get("__line__", 1)
        unknown = set(raw) - KNOWN_FIELDS - {"__line__"}
        if unknown:
            warnings.append(f"{path}:{line}: unknown field(s) ignored: {', '.join(sorted(map(str, unknown)))}")
        cid = raw.get("id")
        if not isinstance(cid, str) or not ID_RE.match(cid):
            errors.append(f"{path}:{line}: bad or missing id {cid!r} (use lower-case letters, digits, _)")
            continue
        if cid in seen:
            errors.append(f"{path}:{line}: duplicate id '{cid}' (first at line {seen[cid]})")
            continue
        seen[cid] = line
        label = raw.get("label")
        if not isinstance(label, str) or not label.strip():
            errors.append(f"{path}:{line}: code '{cid}' has no label")
            label = cid
        color = str(raw.get("color") or "#888888")
        if not COLOR_RE.match(color):
            errors.append(f"{path}:{line}: code '{cid}' has bad colour {color!r} (use #rrggbb)")
        shortcut = raw.get("shortcut")
        if shortcut is not None:
            shortcut = str(shortcut)
            if len(shortcut) != 1:
                errors.append(f"{path}:{line}: code '{cid}' shortcut {shortcut!r} must be one character")
            elif shortcut in RESERVED_SHORTCUTS:
                errors.append(f"{path}:{line}: code '{cid}' shortcut {shortcut!r} is reserved by the coding screen")
            elif shortcut in shortcuts:
                other, oline = shortcuts[shortcut]
                errors.append(f"{path}:{line}: shortcut {shortcut!r} of '{cid}' is already used by '{other}' (line {oline})")
            else:
                shortcuts[shortcut] = (cid, line)
        lists: dict[str, list[str]] = {}
        for name in LIST_FIELDS:
            val = raw.get(name) or []
            if isinstance(val, str):
                val = [val]
            if not isinstance(val, list) or not all(isinstance(v, (str, int, float)) for v in val):
                errors.append(f"{path}:{line}: code '{cid}' field '{name}' must be a list of strings")
                val = []
            lists[name] = [str(v) for v in val]
        patterns = _strip_lines(raw.get("patterns") or [])
        if not isinstance(patterns, list) or not all(
            isinstance(p, list) and all(isinstance(t, dict) for t in p) for p in patterns
        ):
            errors.append(f"{path}:{line}: code '{cid}' patterns must be a list of token-pattern lists")
            patterns = []
        parent = raw.get("parent")
        if parent is not None and not isinstance(parent, (str, int)):
            errors.append(f"{path}:{line}: code '{cid}' parent must be a code id, not a list or mapping")
            parent = None
        codes.append(
            Code(
                id=cid,
                label=str(label).strip(),
                parent=str(parent) if parent is not None else None,
                label_en=_text(raw.get("label_en")) or None,
                definition=_text(raw.get("definition")),
                include=_text(raw.get("include")),
                exclude=_text(raw.get("exclude")),
                examples=lists["examples"],
                keywords=lists["keywords"],
                patterns=patterns,
                markers=lists["markers"],
                requires=lists["requires"],
                color=color.lower(),
                shortcut=shortcut,
                order=order,
                line=line,
            )
        )
    errors.extend(validate_structure(codes, path))
    version = doc.get("version") or 1
    if isinstance(version, bool) or not re.fullmatch(r"[0-9]+", str(version).strip()):
        errors.append(f"{path}:1: version must be a whole number, not {str(version)[:40]!r}")
        version = 1
    raw_conv = doc.get("conventions")
    conv_line = raw_conv.get("__line__", 1) if isinstance(raw_conv, dict) else 1
    conventions, conv_errors, conv_warnings = parse_conventions(raw_conv, f"{path}:{conv_line}",
                                                                {c.id: c for c in codes})
    errors.extend(conv_errors)
    warnings.extend(conv_warnings)
    book = Codebook(
        name=str(doc.get("name") or Path(path).stem), codes=codes, path=path,
        version=int(version), warnings=warnings, conventions=conventions,
    )
    return book, errors


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def validate_structure(codes: list[Code], path: str = "<codebook>") -> list[str]:
    """Unknown parents, cycles and bad `requires` references."""
    errors: list[str] = []
    ids = {c.id: c for c in codes}
    for c in codes:
        if c.parent is not None and c.parent not in ids:
            errors.append(f"{path}:{c.line or 1}: code '{c.id}' has unknown parent '{c.parent}'")
        for req in c.requires:
            if req not in ids:
                errors.append(f"{path}:{c.line or 1}: code '{c.id}' requires unknown code '{req}'")
    reported: set[str] = set()
    # codes whose ancestry is already known to end at a theme, or to run into a cycle: each code is walked once
    acyclic: set[str] = set()
    doomed: set[str] = set()
    for c in codes:
        chain = [c.id]
        on_chain = {c.id}
        cur = c
        while cur.parent in ids and cur.parent not in acyclic:
            if cur.parent in doomed:
                doomed.update(chain)
                break
            cur = ids[cur.parent]
            if cur.id in on_chain:
                cycle = chain[chain.index(cur.id):] + [cur.id]
                if not reported.intersection(cycle):
                    errors.append(f"{path}:{c.line or 1}: parent cycle: {' -> '.join(cycle)}")
                    reported.update(cycle)
                doomed.update(chain)
                break
            chain.append(cur.id)
            on_chain.add(cur.id)
        else:
            acyclic.update(chain)
    return errors


def load_codebook(path: str | Path) -> Codebook:
    """Load and validate, raising one InputError that lists every problem."""
    p = Path(path)
    text = read_input_text(p, "codebook file")
    book, errors = parse_codebook_text(text, str(p))
    if errors:
        raise InputError(errors[0], details=errors)
    if not book.codes:
        raise InputError(f"{p}:1: the codebook has no codes")
    return book


def dump_codebook(book: Codebook) -> str:
    """Write a codebook back to YAML in the same layout, for editing and sharing."""
    out = []
    for c in book.codes:
        d: dict = {"id": c.id, "label": c.label}
        if c.label_en:
            d["label_en"] = c.label_en
        if c.parent:
            d["parent"] = c.parent
        d["color"] = c.color
        if c.shortcut:
            d["shortcut"] = c.shortcut
        for name in ("definition", "include", "exclude"):
            if getattr(c, name):
                d[name] = getattr(c, name)
        for name in ("examples", "keywords", "markers", "requires"):
            if getattr(c, name):
                d[name] = list(getattr(c, name))
        if c.patterns:
            d["patterns"] = c.patterns
        out.append(d)
    head: dict = {"name": book.name, "version": book.version}
    if book.conventions.to_dict():
        head["conventions"] = book.conventions.to_dict()
    return yaml.safe_dump(
        {**head, "codes": out},
        allow_unicode=True, sort_keys=False, width=100,
    )


def default_codebook_path() -> Path:
    """The bundled MIV codebook (shipped inside the package as package data)."""
    return bundled_path("codebooks") / "miv2023.yaml"


def bundled_path(folder: str) -> Path:
    """`codebooks/` or `transcripts_example/`: in a wheel under mivcode/data, in a checkout beside the package."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "data" / folder
    return packaged if packaged.exists() else here.parent / folder
