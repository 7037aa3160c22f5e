"""From matched words to a score per turn and code, with the reasons kept.

Why these choices:

* Evidence combines as a noisy-or over *distinct* keywords, so one word said
  five times is not five reasons, while two different keywords are stronger
  than one.
* Negation does not suppress: "racisme speelt hier niet" is about racism and
  the MIV codebook codes denials with their theme (plus `ontkenning`).
* The moderator's turns are down-weighted (coders code what participants
  say), and a moderator *question* that only echoes a theme ("Wordt er hier
  gepest?") stays well below the suggestion threshold.
* Codes with `markers` and `requires` (geaccepteerde onveiligheid,
  normalisering) are composite: a normalising or minimising phrase ("hoort
  erbij", "je went eraan") counts only when one of the required themes is
  present in the same turn, within `WINDOW` turns before, or in the next
  turn — the marker usually answers what someone else just described.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mivcode.core.codebook import top_level_of
from mivcode.core.model import Code, Evidence, Turn
from mivcode.core.suggest.dutch import is_introduction_prompt, is_moderator, is_question, question_spans
from mivcode.core.suggest.rules import WEIGHTS, Hit

RULE_THRESHOLD = 0.55
WINDOW = 3
DECAY = {0: 1.0, 1: 0.9, 2: 0.75, 3: 0.65}   # marker after the behaviour it plays down (the usual order)
FORWARD, FORWARD_DECAY = 1, 0.7        # "dat is normaal hier" — and the next speaker says what
MODERATOR_FACTOR = 0.55
MODERATOR_QUESTION_FACTOR = 0.3
QUESTION_FACTOR = 0.9
MARKER_WEIGHT = 0.9
# Topic carry-over: in a focus group the turns after a question or a story stay on its theme
# ("Twintig keer toeval? Kom op."), and coders code them so. Direct evidence only, no chaining.
CONTEXT = {1: 0.75, 2: 0.65, 3: 0.55}
MODERATOR_CONTEXT = 0.7
CONTEXT_BACK, CONTEXT_FLOOR = 4, 0.55
# Backchannel turns ("Ja.", "Klopt, ja.") carry no theme of their own; coders leave them uncoded.
MIN_CONTEXT_WORDS = 6
CONTEXT_FORWARD, FORWARD_CONTEXT = 1, 0.6
# Topic continuation (see `_topics`): what a participant said with strong evidence, or what the moderator
# asked about, stays the topic of the next participant turns, across the moderator's follow-up questions
# ("Wat heb je toen gedaan?"), until a new question or another strong theme. Tuned on the bundled examples.
TOPIC_STRONG = 0.8          # a participant's own evidence that opens (or switches to) a topic
TOPIC_MODERATOR = 0.3       # raw evidence in a moderator question that makes its theme the topic
TOPIC_MOD_STRENGTH = 0.85   # topic strength of a moderator question's theme
TOPIC_DECAY = 0.6           # per substantive participant turn since the theme was last evidenced
TOPIC_ACROSS = 0.8          # what a follow-up question of the moderator leaves of the topic's strength
TOPIC_MIN_WORDS = 3
# A follow-up question refers back to what was said; a question without such a word (and without a theme)
# starts something new and ends the topic.
_REFERS = frozenset("dat daar toen zoiets zo'n zoals die dit daarmee daarover daarna ermee erover erbij "
                    "dan hem haar hun ze zij hij".split())
# Words of agreement and filler: a turn needs two other words to count as continuing the topic.
_BACKCHANNEL = frozenset("ja nee nou ok oke oké klopt precies inderdaad hoor prima zeker mhm hm huh echt wel "
                         "goed tja joh haha jawel dus is dat het was zo".split())

@dataclass(slots=True)
class Candidate:
    code: str
    score: float
    # () until read: most candidates never get evidence of their own, and an empty list each is a
    # container the garbage collector walks (own_evidence hands out a list)
    evidence: list[Evidence] | tuple = ()
    # carried over from another turn: (that turn's index, its candidate)
    via: tuple[int, "Candidate"] | None = None
    # matched words not yet turned into Evidence (absolute offsets = turn start + hit offsets): most
    # candidates are never shown, so Evidence objects are built only for the suggestions kept
    hits: list[Hit] | None = None
    offset: int = 0
    # what this candidate says as context of the turns around it (built once, shared by those turns)
    carried: list[Evidence] | None = None
    carried_fingerprint: str | None = None

    def own_evidence(self) -> list[Evidence]:
        if self.hits is not None:
            built = [_evidence(h, self.offset) for h in sorted(self.hits, key=lambda h: h.start)]
            self.evidence = built + list(self.evidence) if self.evidence else built
            self.hits = None
        elif self.evidence.__class__ is not list:
            self.evidence = list(self.evidence)
        return self.evidence

    def all_evidence(self) -> list[Evidence]:
        own = self.own_evidence()
        if self.via is None:
            return own
        j, source = self.via
        context = source.carried
        if context is None:
            context = source.carried = [Evidence(e.start, e.end, e.text, f"context (beurt {j}) — {e.rule}")
                                         for e in source.own_evidence()[:2]]
        return context + own if own else context


def turn_factor(turn: Turn, text: str, moderator: bool | None = None) -> float:
    question = is_question(text)
    if _moderator(turn.speaker) if moderator is None else moderator:
        return MODERATOR_QUESTION_FACTOR if question else MODERATOR_FACTOR
    return QUESTION_FACTOR if question else 1.0


@lru_cache(maxsize=4096)
def _moderator(speaker: str) -> bool:
    return is_moderator(speaker)


class CodeIndex:
    """The codebook as the scorer needs it: codes by id and the theme of every code, computed once."""

    def __init__(self, codes: list[Code], feedback: dict[tuple[str, str], float] | None = None,
                 *, one_behaviour_one_code: bool = True):
        """`one_behaviour_one_code`: off when the team codes a behaviour under two sibling themes
        (online and discrimination, say; the `sibling_themes` convention)."""
        self.codes = codes
        self.by_id = {c.id: c for c in codes}
        self.theme = {c.id: top_level_of(self.by_id, c.id) for c in codes}
        self.ancestors = {c.id: _ancestors(self.by_id, c.id) for c in codes}
        self.depth = {cid: len(a) for cid, a in self.ancestors.items()}
        self.feedback = feedback or {}  # (code, keyword) → weight factor from reviews (see feedback.py)
        self.generic, self.yields_to = generic_theme(codes, self.by_id, self.theme)
        if not one_behaviour_one_code:
            self.generic = None


def _ancestors(by_id: dict[str, Code], code: str) -> tuple[str, ...]:
    out: list[str] = []
    parent = by_id[code].parent
    while parent and parent in by_id and parent not in out:
        out.append(parent)
        parent = by_id[parent].parent
    return tuple(out)


def exclude_refs(code: Code, by_id: dict[str, Code], theme: dict[str, str]) -> set[str]:
    """The other themes a theme's `exclude` sends behaviour to ("Online gedrag -> online_veiligheid"),
    leaving out sentences that say to code something *as well* (daarnaast)."""
    refs: set[str] = set()
    for sentence in re.split(r"(?<=\.)\s+", code.exclude or ""):
        if "daarnaast" in sentence.lower():
            continue
        for part in re.findall(r"->\s*([a-z0-9_]+(?:\s*(?:of|/|,)\s*[a-z0-9_]+)*)", sentence):
            refs.update(theme[r] for r in re.findall(r"[a-z0-9_]+", part) if r in theme)
    refs.discard(theme.get(code.id, code.id))
    return refs


def generic_theme(codes: list[Code], by_id: dict[str, Code], theme: dict[str, str]) -> tuple[str | None, frozenset[str]]:
    """Codebook rule 4, one behaviour one code: the generic behaviour theme is the one whose `exclude` sends
    behaviour to the most other themes (in MIV agressie_geweld: online -> online_veiligheid, afkomst ->
    discriminatie, lhbtiq+ -> lhbtiq, seksueel -> seksueel_grensoverschrijdend); it yields to those."""
    refs = {c.id: exclude_refs(c, by_id, theme) for c in codes if not c.parent}
    if not refs:
        return None, frozenset()
    most = max(len(r) for r in refs.values())
    top = [t for t, r in refs.items() if len(r) == most]
    if len(top) != 1 or most < 3:
        return None, frozenset()
    return top[0], frozenset(refs[top[0]])


def _noisy_or(hits: list[Hit], feedback: dict[tuple[str, str], float] | None = None) -> float:
    if len(hits) == 1 and not feedback:  # the usual case: one word, 1 - (1 - w) as below
        return 1.0 - (1.0 - WEIGHTS.get(hits[0].kind, 0.6))
    per_keyword: dict[str, float] = {}
    for h in hits:  # one vote per distinct word said, however many keywords it matches
        key = h.text.lower()
        weight = h.weight * feedback.get((h.code, h.keyword.lower()), 1.0) if feedback else h.weight
        per_keyword[key] = max(per_keyword.get(key, 0.0), weight)
    miss = 1.0
    for w in per_keyword.values():
        miss *= 1.0 - w
    return 1.0 - miss


def _evidence(h: Hit, offset: int, prefix: str = "") -> Evidence:
    return Evidence(offset + h.start, offset + h.end, h.text, f"{prefix}{h.kind}: {h.keyword}")


def score_turns(turns: list[Turn], texts: list[str], hits: list[list[Hit]], codes: list[Code] | CodeIndex,
                moderators: set[str] | None = None, detail: dict | None = None) -> list[dict[str, Candidate]]:
    """Rule scores for every turn of one transcript (all codes that fired, any score).

    `moderators`: the speakers who moderate (see dutch.moderator_speakers); by default, by label.
    """
    index = codes if isinstance(codes, CodeIndex) else CodeIndex(codes)
    by_id, theme_of = index.by_id, index.theme
    n = len(turns)
    raw: list[dict[str, Candidate]] = [{} for _ in range(n)]
    themes: list[dict[str, Candidate]] = [{} for _ in range(n)]
    markers: list[dict[str, list[Hit]]] = [{} for _ in range(n)]
    for i, (u, turn_hits) in enumerate(zip(turns, hits)):
        if not turn_hits:
            continue
        per_code: dict[str, list[Hit]] = {}
        for h in turn_hits:
            if h.code in by_id:
                (markers[i] if h.marker else per_code).setdefault(h.code, []).append(h)
        cands = {code: Candidate(code, _noisy_or(hs, index.feedback), hits=hs, offset=u.start) for code, hs in per_code.items()}
        raw[i] = cands
        # theme presence (unweighted by speaker: a moderator's mention still sets the topic)
        best = themes[i]
        depth = index.depth
        for c in cands.values():  # a tie goes to the more specific code (codebook rule 2)
            theme = theme_of[c.code]
            old = best.get(theme)
            if old is None or c.score > old.score or (c.score == old.score and depth[c.code] > depth[old.code]):
                best[theme] = c
    moderator = [u.speaker in moderators if moderators is not None else _moderator(u.speaker) for u in turns]
    # what a moderator's turn hands on is what it asks about, not the themes its introduction lists
    context = [_asked(texts[j], themes[j]) if moderator[j] and themes[j] else themes[j] for j in range(n)]
    # one participant's introduction ("ik ben trans, hij/hem") is not the topic of the next one's
    introducing = _introduction_round(texts, themes, moderator)
    for j in introducing:
        context[j] = {}
    topics = _topics(texts, [{} if j in introducing else t for j, t in enumerate(themes)], context, moderator, index)
    out: list[dict[str, Candidate]] = []
    for i, u in enumerate(turns):
        near = raw[i] or markers[i] or topics[i] or (not moderator[i] and any(
            themes[j] for j in range(max(0, i - CONTEXT_BACK), min(n, i + CONTEXT_FORWARD + 1))))
        if not near:
            out.append({})
            continue
        text = texts[i]
        factor = turn_factor(u, text, moderator[i])
        if factor == 1.0:  # the turn's own candidates as they are (the steps below replace, never change them)
            scored = dict(raw[i])
        else:
            scored = {k: Candidate(k, c.score * factor, hits=c.hits, offset=c.offset) if c.hits is not None
                      else Candidate(k, c.score * factor, c.evidence) for k, c in raw[i].items()}
        if not moderator[i] and i not in introducing and len(text.split(None, MIN_CONTEXT_WORDS)) >= MIN_CONTEXT_WORDS:
            _carry_over(i, scored, context, turns, moderator)
        if topics[i]:
            _add_topic(scored, topics[i], turns)
        if index.generic is not None:
            _one_behaviour_one_code(scored, raw[i], index)
        for code, mhits in markers[i].items():
            composite = _composite(by_id[code], i, mhits, themes, turns)
            if composite is None:
                continue
            score = composite.score * factor
            old = scored.get(code)
            if old is None or score > old.score:
                ev = composite.evidence + (old.all_evidence() if old else [])
                scored[code] = Candidate(code, max(score, old.score if old else 0.0), ev)
        out.append(scored)
    if detail is not None:
        detail.update(raw=raw, themes=themes, markers=markers, topics=topics, context=context, moderator=moderator,
                      introducing=introducing)
    return out


INTRO_INTERJECTION_WORDS = 8  # "Dank je. En jij?" keeps the round of introductions going; a real question ends it
INTRO_WITHIN = 20  # the round of introductions opens a focus group: a later "voorstellen" is no such round


def _introduction_round(texts: list[str], themes: list[dict[str, Candidate]], moderator: list[bool]) -> set[int]:
    """The participant turns that answer a moderator's request to introduce themselves, up to the moderator's
    next question (short interjections without a theme, "Dank je. En jij?", do not end the round)."""
    out: set[int] = set()
    active = False
    for i, text in enumerate(texts):
        if i >= INTRO_WITHIN and not active:
            break  # no round opened early on, or it has ended: the rest of the conversation is not read
        if moderator[i]:
            if i < INTRO_WITHIN and is_introduction_prompt(text):
                active = True
            elif themes[i] or len(text.split(None, INTRO_INTERJECTION_WORDS)) > INTRO_INTERJECTION_WORDS:
                active = False
        elif active:
            out.add(i)
    return out


def _one_behaviour_one_code(scored: dict[str, Candidate], own: dict[str, Candidate], index: CodeIndex) -> None:
    """The generic theme's codes leave a turn in which a theme its `exclude` names has evidence of its own
    and the generic theme rests on at most one word of the turn ("op Snap: ik ga je pakken" is
    online_bedreiging, not also bedreiging; "homo als scheldwoord" is lhbtiq, not verbale_agressie)."""
    theme = index.theme
    # cheapest test first: most turns have no evidence of their own of a theme the generic one yields to
    if not own or not any(theme.get(c) in index.yields_to and cand.score >= RULE_THRESHOLD for c, cand in own.items()):
        return
    generic = [c for c in scored if theme.get(c) == index.generic]
    if not generic:
        return
    words = {h.text.lower() for c, cand in own.items() if theme.get(c) == index.generic for h in cand.hits or ()}
    if len(words) <= 1:
        for c in generic:
            del scored[c]


def _carry_over(i: int, scored: dict[str, Candidate], themes: list[dict[str, Candidate]], turns: list[Turn],
                moderator: list[bool]) -> None:
    """Themes of the turns around, within the moderator's current question, carry over, weaker with distance.

    Backwards up to `CONTEXT_BACK` turns (to and including the moderator's
    question), forwards up to `CONTEXT_FORWARD` turns (a story often names its
    theme a turn later). Measured on the bundled examples, damping the carry-over
    when a turn has its own theme cost more recall than it gained precision.
    """
    n = len(turns)
    for dist in range(1, CONTEXT_BACK + 1):
        j = i - dist
        if j < 0:
            break
        if themes[j]:
            _carry(scored, themes[j], MODERATOR_CONTEXT if moderator[j] else CONTEXT.get(dist, CONTEXT_FLOOR),
                   turns[j].index)
        if moderator[j]:
            break
    for dist in range(1, CONTEXT_FORWARD + 1):
        j = i + dist
        if j >= n or moderator[j]:
            break
        if themes[j]:
            _carry(scored, themes[j], FORWARD_CONTEXT, turns[j].index)


def _carry(scored: dict[str, Candidate], theme_cands: dict[str, Candidate], factor: float, turn: int) -> None:
    for cand in theme_cands.values():
        _offer(scored, cand, cand.score * factor, turn)


def _offer(scored: dict[str, Candidate], cand: Candidate, score: float, turn: int) -> None:
    """Another turn's candidate, at `score`, replaces this turn's for its code when it is stronger."""
    old = scored.get(cand.code)
    if old is None:
        scored[cand.code] = Candidate(cand.code, score, via=(turn, cand))
    elif old.score < score:
        scored[cand.code] = Candidate(cand.code, score, old.evidence, (turn, cand), old.hits, old.offset)


_WORD = re.compile(r"\w+")


def _substantive(text: str) -> bool:
    """Not a backchannel ("Ja, klopt.", "Nee, is goed."): at least two words besides agreement and filler."""
    count = other = 0
    for m in _WORD.finditer(text):  # stops at the first words that decide it
        count += 1
        if m.group().lower() not in _BACKCHANNEL:
            other += 1
        if other >= 2 and count >= TOPIC_MIN_WORDS:
            return True
    return False


def _refers(text: str) -> bool:
    return any(w in _REFERS for w in re.findall(r"[\w']+", text.lower()))


Topic = dict[str, tuple[float, int, Candidate]]   # theme -> (strength, turn it was last evidenced in, its candidate)


def _asked(text: str, theme_cands: dict[str, Candidate]) -> dict[str, Candidate]:
    """The themes a moderator's turn asks about: with a word inside one of its questions, or anywhere in it
    when it ends in a question that points back at what it just said ("Je zei dat je hen en die gebruikt.
    Hoe gaat dat hier?"). An introduction that lists the themes asks about none of them."""
    spans = question_spans(text)
    if not spans:
        return {}
    last_start, last_end = spans[-1]
    if not text[last_end:].strip() and _refers(text[last_start:last_end]):
        return theme_cands
    return {t: c for t, c in theme_cands.items()
            if any(a <= h.start and h.end <= b for h in c.hits or () for a, b in spans)}


def _topics(texts: list[str], themes: list[dict[str, Candidate]], asked_in: list[dict[str, Candidate]],
            moderator: list[bool], index: CodeIndex) -> list[Topic]:
    """The conversation as topic segments: for every participant turn, the themes of the topic it continues.

    * A moderator question with theme words opens a topic for those themes (the old topic ends), also after a
      statement in the same turn ("Dank je. En hoe zit dat online?"). A question that refers back ("Wat deed
      je toen?", "Vinden jullie dat erg?") keeps the topic, a little weaker; any other question, and a
      moderator statement with theme words (an introduction listing the themes), ends it.
    * A participant's strong evidence (>= `TOPIC_STRONG`) of a theme the topic does not have switches the
      topic to it; evidence of a theme already in the topic renews its strength.
    * A substantive participant turn gets the topic's themes at their current strength; the strength then
      decays by `TOPIC_DECAY`. Backchannels get nothing and leave the topic as it is.

    Composite themes (geaccepteerde onveiligheid: `requires`) are not carried: they need a marker here.
    """
    skip = {index.theme[c.id] for c in index.codes if c.requires}
    topic: Topic = {}
    out: list[Topic] = []
    for i, text in enumerate(texts):
        own = themes[i]
        if own and not skip.isdisjoint(own):
            own = {t: c for t, c in own.items() if t not in skip}
        if moderator[i]:
            named = {t: c for t, c in own.items() if c.score >= TOPIC_MODERATOR}
            if not named and not topic:  # every branch below leaves no topic
                out.append({})
                continue
            asked = {t: c for t, c in asked_in[i].items() if t in named}
            question = "?" in text
            if asked:
                topic = {t: (TOPIC_MOD_STRENGTH, i, c) for t, c in asked.items()}
            elif named or (question and not _refers(text)):
                topic = {}
            elif question:
                topic = {t: (s * TOPIC_ACROSS, j, c) for t, (s, j, c) in topic.items()}
            out.append({})
            continue
        if not topic and not own:  # nothing to hand on, nothing to open or renew
            out.append({})
            continue
        substantive = _substantive(text) if topic else False  # only decides what happens to a topic
        out.append(dict(topic) if substantive else {})
        if any(c.score >= TOPIC_STRONG and t not in topic for t, c in own.items()):
            topic = {}
        elif substantive:
            topic = {t: (s * TOPIC_DECAY, j, c) for t, (s, j, c) in topic.items()}
        for t, c in own.items():
            if (c.score >= TOPIC_STRONG or t in topic) and (t not in topic or c.score >= topic[t][0]):
                topic[t] = (c.score, i, c)
    return out


def _add_topic(scored: dict[str, Candidate], topic: Topic, turns: list[Turn]) -> None:
    for s, j, cand in topic.values():
        _offer(scored, cand, s, turns[j].index)


def _composite(code: Code, i: int, mhits: list[Hit], themes: list[dict[str, Candidate]], turns: list[Turn]
               ) -> Candidate | None:
    """A marker counts when a required theme is present nearby; the nearer, the stronger."""
    required = set(code.requires)
    best: tuple[float, int, str, Candidate] | None = None
    for j in range(max(0, i - WINDOW), min(len(themes), i + FORWARD + 1)):
        for theme, cand in themes[j].items():
            if theme not in required:
                continue
            s = cand.score * (DECAY[i - j] if j <= i else FORWARD_DECAY)
            if best is None or s > best[0]:
                best = (s, j, theme, cand)
    if best is None:
        return None
    s, j, theme, cand = best
    marker_w = max(h.weight for h in mhits) * MARKER_WEIGHT / 0.85
    u = turns[i]
    evidence = [Evidence(u.start + h.start, u.start + h.end, h.text, f"marker: {h.keyword}") for h in mhits]
    where = "zelfde beurt" if j == i else f"beurt {turns[j].index}"
    evidence += [Evidence(e.start, e.end, e.text, f"samen met {theme} ({where}) — {e.rule}")
                 for e in cand.own_evidence()[:2]]
    return Candidate(code.id, min(1.0, marker_w) * s, evidence)


def most_specific(selected: dict[str, Candidate], codes: list[Code] | CodeIndex) -> dict[str, Candidate]:
    """Keep the most specific codes: a theme is dropped when one of its sub-codes is suggested."""
    if len(selected) < 2:
        return selected
    index = codes if isinstance(codes, CodeIndex) else CodeIndex(codes)
    ancestors = index.ancestors
    drop: set[str] = set()
    for code in selected:
        drop.update(ancestors.get(code, ()))
    return {k: v for k, v in selected.items() if k not in drop} if drop else selected
