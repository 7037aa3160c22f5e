"""Texts of the suggestions' evidence: why the learned layer fired, and where a context came from."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "suggest.model": ("model: {reasons}", "model: {reasons}"),
    "suggest.from_turn": ("uit beurt {turn}", "from turn {turn}"),
    "suggest.reason.own": ("eigen trefwoord", "own keyword"),
    "suggest.reason.kind": ("treffer ({kind})", "hit ({kind})"),
    "suggest.reason.marker": ("normaliserende uitdrukking", "normalising phrase"),
    "suggest.reason.neighbours": ("zelfde thema in de beurten ervoor of erna", "same theme in the turns around it"),
    "suggest.reason.mod_asks": ("vraag van de gespreksleider", "the moderator's question"),
    "suggest.reason.topic": ("onderwerp van het gesprek", "topic of the conversation"),
    "suggest.reason.final": ("regels", "rules"),
    "suggest.reason.segment": ("het verhaal loopt door", "the story goes on"),
    "suggest.reason.cohesion": ("dezelfde woorden als eerder over dit thema", "the same words as earlier on this theme"),
    "suggest.reason.moderator": ("beurt van de gespreksleider", "the moderator's turn"),
    "suggest.reason.words": ("woorden die zo gecodeerd worden", "words coded like this"),
    "suggest.reason.other": ("samenhang van kenmerken", "several features together"),
}
