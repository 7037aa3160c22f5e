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
_GROUPS: list[str] = []
for _name in _NAMES:
    _g = _GROUP.get(_name) or ("kind:" + _name[2:] if _name.startswith("k_") else "other")
    if _g not in _GROUPS:
        _GROUPS.append(_g)
_GROUP_OF = np.array([_GROUPS.index(_GROUP.get(n) or ("kind:" + n[2:] if n.startswith("k_") else "other"))
                      for n in _NAMES])
_IS_BIAS = np.array([n == "bias" for n in _NAMES])
MAX_REASONS = 2


_ONE_HOT = np.zeros((len(_NAMES), len(_GROUPS)))
_ONE_HOT[np.arange(len(_NAMES)), _GROUP_OF] = 1.0
_ONE_HOT[_IS_BIAS] = 0.0


def model_rules(rows: np.ndarray, weights: np.ndarray) -> list[str]:
    """`model_rule(reasons(x, w))` for many decisions at once: rows (m, d) and their weights (m, d)."""
    if not len(rows):
        return []
    shares = np.maximum(rows * weights, 0.0) @ _ONE_HOT          # (m, groups)
    top = np.argsort(-shares, axis=1)[:, :MAX_REASONS]
    texts: dict[tuple, str] = {}
    out = []
    for r, picks in enumerate(top):
        key = tuple(int(g) for g in picks if shares[r, g] > 0)
        text = texts.get(key)
        if text is None:
            why = [_text(_GROUPS[g]) for g in key] or [i18n.t("suggest.reason.words")]
            text = texts[key] = model_rule(why)
        out.append(text)
    return out


def _text(group: str) -> str:
    if group.startswith("kind:"):
        return i18n.t("suggest.reason.kind", kind=_KIND_TEXT.get(group[5:], group[5:]))
    return i18n.t(f"suggest.reason.{group}")


def model_rule(why: list[str]) -> str:
    return i18n.t("suggest.model", reasons=", ".join(why))


def from_turn(turn: int) -> str:
    return i18n.t("suggest.from_turn", turn=turn)
