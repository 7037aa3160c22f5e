"""Domain dataclasses shared by the store, the engines and both front ends.

These carry no behaviour that touches SQLite or a screen, so that importers,
the suggestion engine, the agreement statistics and the exports can be tested
on plain values. Offsets are Unicode code points into the transcript's
canonical text, start inclusive and end exclusive (the REFI-QDA convention).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from mivcode.core.spans import turn_at

GROUPS = ("studenten", "medewerkers")
ORIGINS = ("manual", "suggestion", "import", "merge", "consensus")
Origin = Literal["manual", "suggestion", "import", "merge", "consensus"]
SUGGESTION_STATUSES = ("open", "accepted", "rejected")
CONSENSUS_CODER = "consensus"

# Metadata that gets its own column because reports break results down by it.
STANDARD_META = ("institution", "group", "leerweg", "niveau", "locatie", "datum")


@dataclass(slots=True)
class TranscriptMeta:
    institution: str | None = None
    group: str | None = None
    leerweg: str | None = None
    niveau: str | None = None
    locatie: str | None = None
    datum: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {k: getattr(self, k) for k in STANDARD_META}
        out.update(self.extra)
        return out

    def merged(self, other: "TranscriptMeta") -> "TranscriptMeta":
        """Values set in `other` win; used when flags override a manifest."""
        vals = {k: getattr(other, k) or getattr(self, k) for k in STANDARD_META}
        return TranscriptMeta(**vals, extra={**self.extra, **other.extra})


@dataclass(frozen=True, slots=True)
class Turn:
    index: int
    speaker: str
    start: int
    end: int
    t_start: float | None = None
    t_end: float | None = None


@dataclass(slots=True)
class Transcript:
    name: str
    text: str
    turns: list[Turn]
    meta: TranscriptMeta = field(default_factory=TranscriptMeta)
    content_hash: str = ""
    source_file: str = ""
    source_format: str = ""
    id: int | None = None

    def turn_text(self, turn: Turn) -> str:
        return self.text[turn.start : turn.end]

    def turn_at(self, offset: int) -> Turn | None:
        """The turn that holds `offset`, or the nearest turn starting after it (see `spans.turn_at`)."""
        return turn_at(self.turns, offset)

    @property
    def words(self) -> int:
        return sum(len(self.turn_text(t).split()) for t in self.turns)


@dataclass(slots=True)
class Code:
    id: str
    label: str
    parent: str | None = None
    label_en: str | None = None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    patterns: list[list[dict]] = field(default_factory=list)
    # For composite codes (geaccepteerde onveiligheid): phrases that normalise
    # or minimise, which fire only together with one of the `requires` themes.
    markers: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    color: str = "#888888"
    shortcut: str | None = None
    order: int = 0
    line: int | None = None  # line in the codebook file, for error messages

    def display(self, lang: str = "nl") -> str:
        return (self.label_en or self.label) if lang == "en" else self.label


@dataclass(slots=True)
class Coding:
    transcript: str
    start: int
    end: int
    code: str
    coder: str
    origin: str = "manual"
    memo: str | None = None
    created_at: str | None = None
    id: int | None = None
    turn: int | None = None  # first turn the span touches, filled by the store


@dataclass(slots=True)
class Evidence:
    """Why a suggestion fired: the matched characters and the rule or model.

    Not frozen: a long transcript makes tens of thousands, and a frozen
    dataclass is three times slower to build; nothing changes one after it is made.
    """

    start: int
    end: int
    text: str
    rule: str


@dataclass(slots=True)
class Suggestion:
    transcript: str
    turn: int
    start: int
    end: int
    code: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    source: str = "rules"  # rules | model | both
    status: str = "open"
    fingerprint: str = ""


@dataclass(slots=True)
class Memo:
    transcript: str
    text: str
    coder: str
    turn: int | None = None
    coding_id: int | None = None
    created_at: str | None = None
    id: int | None = None


@dataclass(slots=True)
class Event:
    id: int
    ts: str
    coder: str
    action: str
    payload: dict
    undoes: int | None = None
    undone: bool = False
