"""Learning from reviews before any model is trained: keywords the team keeps rejecting weigh less.

A keyword that fired for a code and was rejected again and again ("mentor"
for melden_en_steun in turns that only mention the mentor) should stop
producing suggestions; one accepted now and then should keep them. Each
(code, keyword) gets a factor (accepted + prior) / (accepted + rejected + prior),
never above 1, from the suggestions reviewed so far. Only direct evidence
counts: a rejected context or composite suggestion says nothing about the word.
"""

from __future__ import annotations

from collections.abc import Iterable

from mivcode.core.model import Suggestion

PRIOR = 2.0
DIRECT_KINDS = ("trefwoord", "lemma", "woordvorm", "patroon", "samenstelling", "spelling")


def keyword_of(rule: str) -> str | None:
    """'lemma: pesten' → 'pesten'; None for context, marker, composite and model evidence."""
    kind, sep, keyword = rule.partition(": ")
    if not sep or kind not in DIRECT_KINDS:
        return None
    return keyword.lower()


def review_feedback(suggestions: Iterable[Suggestion]) -> dict[tuple[str, str], float]:
    counts: dict[tuple[str, str], list[int]] = {}
    for s in suggestions:
        if s.status not in ("accepted", "rejected"):
            continue
        keywords = {k for k in (keyword_of(e.rule) for e in s.evidence) if k}
        if not keywords or any(keyword_of(e.rule) is None for e in s.evidence if e.text):
            continue  # only suggestions that rest on words alone
        for kw in keywords:
            c = counts.setdefault((s.code, kw), [0, 0])
            c[0 if s.status == "accepted" else 1] += 1
    return {
        key: min(1.0, (acc + PRIOR) / (acc + rej + PRIOR))
        for key, (acc, rej) in counts.items() if rej
    }
