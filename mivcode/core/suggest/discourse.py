"""Where the talk moves on: segments of a focus group, and what each turn inherits from its segment.

Distance-decay carry-over (scoring's `_carry_over`) flows into turns that have
moved on and into short reactions; measured on unseen sets it caused more than
half of all false alarms. Here a conversation is cut into *segments*: a new one
starts at a moderator turn that asks about a theme or announces a new subject
("dan gaan we naar ..."). Within a segment a turn sees the themes evidenced so
far (strongest, most recent with its distance, what the moderator asked), how
much its content words overlap with the words said under each theme, and the
next participant turn's own evidence. These are features for the learned model
(`theme_model`), which decides how much the context counts for this team:
nothing is carried across a boundary, and a suppressed candidate is never a
source, because only a turn's *own* evidence (`raw` scores) feeds the segment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

# A moderator announcing a new subject: the next turns are about that, not about the story before.
TRANSITION = re.compile(
    r"\b(ander onderwerp|iets anders|(wil|willen|gaan|ga)( het)?( nu| nog| ook| even| graag)* (hebben|praten|door) over"
    r"|laatste vraag|volgende (vraag|onderwerp|thema)|we gaan (nu )?(door )?naar|dan (gaan we|wil ik)|rondje over"
    r"|verder met|overstappen|nu over naar)", re.I)
# Function words and fillers left out of lexical cohesion (what a turn is about is in its content words).
_STOP = frozenset(
    "de het een en of maar dat die dit is was zijn ik je jij we wij ze zij hij hem haar ons jullie er daar hier niet "
    "wel ook nog al dan als om op in aan van voor met bij naar uit zo toen nu heel echt gewoon ja nee nou hoor wat "
    "wie hoe waar".split())
_CONTENT = re.compile(r"[a-zà-ÿ]{3,}")
CARRY = 0.85          # what a turn's own evidence is worth to the next turn of its segment, per turn after it
ASKED = 0.85          # what a moderator's question about a theme is worth to the turns that answer it
MAX_DISTANCE = 50

SEGMENT_FEATURES = ("s_max", "s_last", "s_mod", "s_next", "s_pos", "s_other", "overlap", "s_any", "coh")


def content_words(text: str) -> set[str]:
    """Content words cut to five letters, so 'gepest' and 'gepeste' count as one."""
    return {w[:5] for w in _CONTENT.findall(text.lower()) if w not in _STOP}


def starts_segment(text: str, asked: dict[int, float]) -> bool:
    """A moderator turn opens a segment when it asks about a theme or announces another subject."""
    return bool(asked) or bool(TRANSITION.search(text))


def segment_features(texts: Sequence[str], own: np.ndarray, asked: Sequence[dict[int, float]],
                     moderator: Sequence[bool]) -> np.ndarray:
    """(n turns, T themes, len(SEGMENT_FEATURES)) for one transcript; moderator turns get zeros.

    `own[i, k]`: turn i's own rule evidence for theme k (no carry-over); `asked[i]`: for a moderator
    turn, the themes its question asks about with their strength.
    """
    n, n_themes = own.shape
    out = np.zeros((n, n_themes, len(SEGMENT_FEATURES)), dtype=np.float32)
    last = np.zeros(n_themes)
    since = np.full(n_themes, 99.0)
    strongest = np.zeros(n_themes)
    mod_asked = np.zeros(n_themes)
    words: list[set[str]] = [set() for _ in range(n_themes)]
    prev: set[str] = set()
    said = 0
    for i in range(n):
        text = texts[i]
        if moderator[i]:
            if starts_segment(text, asked[i]):
                last[:] = 0
                since[:] = 99
                strongest[:] = 0
                mod_asked[:] = 0
                said = 0
                words = [set() for _ in range(n_themes)]
                for k, score in asked[i].items():
                    words[k] |= content_words(text)
                    mod_asked[k] = score
                    last[k] = max(last[k], ASKED)
                    since[k] = 0
                    strongest[k] = max(strongest[k], ASKED)
            continue
        c = content_words(text)
        recent = last * (CARRY ** np.minimum(since, MAX_DISTANCE))
        out[i, :, 0] = strongest
        out[i, :, 1] = recent
        out[i, :, 2] = mod_asked
        if n_themes > 1:
            top2 = np.sort(recent)[-2:]
            out[i, :, 5] = np.where(recent >= top2[-1], top2[0], top2[-1])  # the strongest *other* theme
        out[i, :, 4] = np.log1p(said) / 3
        out[i, :, 6] = len(c & prev) / max(1, len(c | prev)) if c else 0.0
        out[i, :, 7] = float(strongest.max() > 0)
        if c:
            for k in range(n_themes):
                if words[k]:
                    out[i, k, 8] = min(1.0, len(c & words[k]) / 3)
        j = i + 1  # the next participant turn of the same segment
        while j < n and moderator[j] and not starts_segment(texts[j], asked[j]):
            j += 1
        if j < n and not moderator[j]:
            out[i, :, 3] = own[j]
        since += 1
        for k in np.nonzero(own[i] > 0)[0]:
            last[k] = max(own[i, k], recent[k])
            since[k] = 0
            strongest[k] = max(strongest[k], own[i, k])
            words[k] |= c
        prev = c
        said += 1
    return out


def segment_source(i: int, k: int, own: np.ndarray, moderator: Sequence[bool], texts: Sequence[str],
                   asked: Sequence[dict[int, float]]) -> int | None:
    """The turn whose own evidence (or question) gave turn i its context for theme k, within i's segment."""
    for j in range(i - 1, -1, -1):
        if moderator[j]:
            if k in asked[j]:
                return j
            if starts_segment(texts[j], asked[j]):
                return None
            continue
        if own[j, k] > 0:
            return j
    return None
