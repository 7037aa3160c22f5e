"""Why the learned layer fired, in words a researcher reads beside the suggestion.

The model is linear, so each feature's share of a decision is its value times
its weight; the two largest positive shares name the reasons. Features are
grouped (three neighbour columns are one reason) so the line stays short.
"""

from __future__ import annotations

import numpy as np

from mivcode.core import i18n
from mivcode.core.suggest.features import FEATURE_NAMES

_GROUP = {
    "own": "own", "own_n": "own", "own_mod": "own", "composite": "marker", "marker": "marker",
    "p1": "neighbours", "p2": "neighbours", "p3": "neighbours", "n1": "neighbours", "n2": "neighbours",
    "mod_asks": "mod_asks", "s_mod": "mod_asks", "topic": "topic", "final": "final",
    "s_max": "segment", "s_last": "segment", "s_next": "segment", "s_any": "segment", "coh": "cohesion",
    "overlap": "cohesion", "is_mod": "moderator",
}
_KIND_TEXT = {"trefwoord": "trefwoord", "lemma": "lemma", "woordvorm": "woordvorm", "patroon": "patroon",
              "samenstelling": "samenstelling", "spelling": "spelling"}
_NAMES = [n.split("*", 1)[-1] for n in FEATURE_NAMES]
MAX_REASONS = 2


def reasons(x: np.ndarray, w: np.ndarray) -> list[str]:
    """The catalogue texts of the largest positive contributions to one (turn, theme) decision."""
    contrib = x * w
    shares: dict[str, float] = {}
    for name, value in zip(_NAMES, contrib):
        if value <= 0 or name == "bias":
            continue
        group = _GROUP.get(name)
        if group is None and name.startswith("k_"):
            group = "kind:" + name[2:]
        shares[group or "other"] = shares.get(group or "other", 0.0) + float(value)
    out = []
    for group, _ in sorted(shares.items(), key=lambda kv: -kv[1])[:MAX_REASONS]:
        if group.startswith("kind:"):
            out.append(i18n.t("suggest.reason.kind", kind=_KIND_TEXT.get(group[5:], group[5:])))
        else:
            out.append(i18n.t(f"suggest.reason.{group}"))
    return out or [i18n.t("suggest.reason.words")]


def model_rule(why: list[str]) -> str:
    return i18n.t("suggest.model", reasons=", ".join(why))


def from_turn(turn: int) -> str:
    return i18n.t("suggest.from_turn", turn=turn)
