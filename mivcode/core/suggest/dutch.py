"""Dutch word forms → one matching key, so that keywords meet what students say.

spaCy's Dutch lookup table (spacy-lookups-data) knows many inflected forms
but misses common ones (pesters, meisjes, leraren, geslagen, vochten) and
knows no derivations (intimidatie ~ intimideren, racisme ~ racist). A full
stemmer (Snowball) would conflate too much and still split leraar/leraren,
so this module applies a small, ordered set of Dutch suffix rules plus a
table of strong verbs to the *lemma*, then folds doubled letters and
accents. The same function runs on the codebook's keywords and on every
token (cached per word form), so both sides land on the same key:

    leraren, leraar            → lerar        meisjes, meisje   → meisj
    pesters, pester, pesten    → pest         geslagen, slaan   → sla
    intimidatie, geïntimideerd → intimider    racisme, racisten → racist

The key is an internal matching value (stored in spaCy's NORM attribute),
never shown to a researcher.
"""

from __future__ import annotations

import re
import unicodedata

# Strong and irregular verb forms the lookup table lacks (checked against
# spacy-lookups-data 1.0.5), plus irregular plurals. Domain words first.
IRREGULAR: dict[str, str] = {
    "geslagen": "slaan", "sloeg": "slaan", "sloegen": "slaan", "slaat": "slaan", "neergeslagen": "neerslaan",
    "vocht": "vechten", "vochten": "vechten", "vecht": "vechten", "gevochten": "vechten",
    "staken": "steken", "neergestoken": "neersteken",
    "getrokken": "trekken", "greep": "grijpen", "grepen": "grijpen",
    "stal": "stelen", "stalen": "stelen", "gejat": "jatten",
    "gebeten": "bijten", "beet": "bijten",
    "uitgesloten": "uitsluiten", "sloot": "sluiten", "buitengesloten": "buitensluiten",
    "lastiggevallen": "lastigvallen", "viel": "vallen", "aangevallen": "aanvallen", "overvallen": "overvallen",
    "gekwetst": "kwetsen", "gezien": "zien", "zagen": "zien", "gedaan": "doen", "gezegd": "zeggen",
    "bekeken": "bekijken", "nagekeken": "nakijken", "nageroepen": "naroepen", "nagefloten": "nafluiten",
    "uitgemaakt": "uitmaken", "uitgescholden": "uitschelden", "gescholden": "schelden",
    "beroofd": "beroven", "bestolen": "bestelen", "verkracht": "verkrachten", "aangeraakt": "aanraken",
    "betast": "betasten", "gedwongen": "dwingen", "dwong": "dwingen", "gelogen": "liegen", "loog": "liegen",
    "gebroken": "breken", "brak": "breken", "geschoten": "schieten", "schoot": "schieten",
    "gegooid": "gooien", "gesmeten": "smijten", "smeet": "smijten", "gedreven": "drijven",
    "kinderen": "kind", "leraren": "leraar", "lerares": "leraar", "leraressen": "leraar",
    "steden": "stad", "schepen": "schip", "gelegenheden": "gelegenheid",
}

# Derivational endings mapped onto one stem (noun ↔ verb ↔ agent ↔ adjective).
_DERIVATIONS: tuple[tuple[str, str], ...] = (
    ("istische", "ist"), ("istisch", "ist"), ("isme", "ist"),
    ("aties", "eer"), ("atie", "eer"), ("eringen", "eer"), ("ering", "eer"),
)
_VOWEL_BEFORE_S = set("aeioulnrj")
_DOUBLE = re.compile(r"([a-z])\1+")


def strip_accents(text: str) -> str:
    """geïntimideerd → geintimideerd; typed transcripts mix both."""
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def fold(stem: str) -> str:
    """Collapse doubled letters: Dutch spelling doubles vowels/consonants by syllable (leraar/leraren)."""
    return _DOUBLE.sub(r"\1", stem)


# Words in -er that look like the agent noun of a verb but are not (a lekker is no one who leaks, a poster
# no one who posts): without this they share a key with that verb's keywords.
NOT_AGENT_NOUNS = frozenset({"lekker", "zeker", "later", "poster", "posters", "printer", "printers", "kamer",
                             "kamers", "ober", "obers", "bitter", "beter", "eter", "lader"})


def stem(word: str, verbs: frozenset[str] | set[str] = frozenset()) -> str:
    """Strip one inflection and one derivation ending. `verbs` = infinitives (agent nouns: pester → pesten)."""
    w = word[:-2] if word.endswith("'s") else word
    for suffix, repl in _DERIVATIONS:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + repl
    verb_stem = noun_plural = False
    if w.endswith("en") and len(w) >= 5:
        w, verb_stem = w[:-2], True
        if w.endswith("v"):
            w = w[:-1] + "f"
        elif w.endswith("z"):
            w = w[:-1] + "s"
    elif w.endswith("s") and len(w) >= 5 and w[-2] in _VOWEL_BEFORE_S:
        w, noun_plural = w[:-1], True
    for dim in ("tje", "mpje", "je"):
        keep = len(w) - len(dim) + (1 if dim == "mpje" else 0)  # filmpje → film (the m stays)
        if w.endswith(dim) and keep >= 4:  # grapje → grap, but watje is not "wat"
            return w[:keep]
    if not (verb_stem or noun_plural) and w.endswith("e") and len(w) >= 5 and not w.endswith("ie"):
        return w[:-1]  # adjective inflection: homofobe → homofob(oob)
    if w.endswith("ing") and len(w) >= 7:
        return w[:-3]  # bedreiging → bedreig(en)
    if not verb_stem and w.endswith("er") and len(w) >= 6 and w[-3] not in "aeiou" and w not in NOT_AGENT_NOUNS:
        base = w[:-2]
        if not verbs or base + "en" in verbs or base + base[-1] + "en" in verbs:
            return base  # pester(s) → pest(en), vechter → vecht(en); not moeder, ander (no such verbs)
    return w


# Fixed expressions whose words look like behaviour but are not ("dat slaat nergens op" = makes no sense,
# "de trap op" = the stairs, "een duwtje in de rug" = encouragement). Written as spaCy token patterns of
# fixed words (optional words allowed); no word inside a match counts as evidence for any code.
_HERE = ["op", "van", "naar", "bij", "onder", "boven", "langs", "achter", "via", "over"]
IDIOMS: tuple[list[dict], ...] = (
    [{"LOWER": {"IN": ["slaat", "sloeg", "slaan", "sloegen"]}},
     {"LOWER": {"IN": ["echt", "helemaal", "gewoon", "ook", "toch", "natuurlijk"]}, "OP": "?"},
     {"LOWER": {"IN": ["echt", "helemaal", "gewoon", "ook", "toch"]}, "OP": "?"},
     {"LOWER": "nergens"}, {"LOWER": "op"}],
    [{"LOWER": "waar"}, {"LOWER": {"IN": ["slaat", "sloeg"]}}, {"LOWER": {"IN": ["dat", "het", "die", "dit"]}},
     {"LOWER": {"IN": ["nou", "dan", "eigenlijk"]}, "OP": "?"}, {"LOWER": "op"}],
    [{"LOWER": {"IN": _HERE}}, {"LOWER": {"IN": ["de", "die", "deze"]}}, {"LOWER": {"IN": ["trap", "trappen"]}}],
    [{"LOWER": {"IN": ["de", "die", "deze"]}}, {"LOWER": {"IN": ["trap", "trappen"]}},
     {"LOWER": {"IN": ["op", "af", "oplopen", "aflopen", "oprennen", "afrennen", "opgelopen", "afgelopen"]}}],
    [{"LOWER": {"IN": ["duwtje", "duw", "zetje"]}}, {"LOWER": "in"}, {"LOWER": "de"},
     {"LOWER": {"IN": ["rug", "goede", "juiste"]}}, {"LOWER": "richting", "OP": "?"}],
)

SEPARABLE = ("aan", "af", "op", "uit", "door", "in", "mee", "na", "om", "over", "terug", "weg", "toe", "voor",
             "vast", "los", "neer", "rond", "langs", "binnen", "buiten", "achter", "bij", "tegen")


_PARTICIPLE_HEADS = tuple((p, p + "ge") for p in ("", *SEPARABLE))


def participle_stem(w: str, lemmas: frozenset[str] | set[str] = frozenset()) -> str | None:
    """Weak participles the lookup table lacks: gemeld → meld, aangemeld → aanmeld, geblokt → blok.

    Whether the final d/t belongs to the stem (gemeld: meld-en) or is the ending
    (geblokt: blok-ken) is decided by which infinitive the lexicon knows.
    """
    if len(w) < 6 or w[-1] not in "dt" or "ge" not in w:
        return None
    for particle, head in _PARTICIPLE_HEADS:
        if w.startswith(head) and len(w) - len(head) >= 4:
            whole, short = w[len(head):], w[len(head):-1]
            if whole + "en" in lemmas:
                return particle + whole
            if short + "en" in lemmas or short + short[-1] + "en" in lemmas:
                return particle + short
            return None  # no such verb: geweld is not a participle of "welen"
    return None


def match_key(form: str, lemma: str | None = None, nouns: frozenset[str] | set[str] = frozenset(),
              lemmas: frozenset[str] | set[str] = frozenset()) -> str:
    """The key both keywords and tokens are reduced to (see module docstring).

    `nouns`: base forms that are nouns (geweld is no participle); `lemmas`: verb infinitives.
    """
    w = strip_accents(form.lower())
    if (lemma is None or lemma.lower() == form.lower()) and w not in IRREGULAR and w not in nouns:
        stem_ = participle_stem(w, lemmas)
        if stem_ is not None:
            return fold(stem_)
    base = IRREGULAR.get(w) or strip_accents((lemma or w).lower())
    base = IRREGULAR.get(base, base)
    return fold(stem(base, lemmas))


MODERATOR_RE = re.compile(
    r"^(gespreks?leid(st)?er|interviewer|moderator|gespreksleiding|onderzoeker|facilitator|begeleider|"
    r"interviewster|int|mod|gl|i)\b",
    re.IGNORECASE,
)


def is_moderator(speaker: str) -> bool:
    """Focus-group transcripts name the moderator in several ways; codes are about what participants say."""
    return bool(MODERATOR_RE.match(speaker.strip()))


MODERATOR_META_KEYS = ("moderator", "gespreksleider", "interviewer", "moderatoren")


def initials(name: str) -> str:
    """Marloes Peters → MP, Sanne de Vries → SdV (the manifest's `moderator` column often holds initials)."""
    return "".join(part[0] for part in name.replace("-", " ").split() if part and part[0].isalpha())


def moderator_speakers(speakers: list[str], texts: list[str], meta: dict[str, str] | None = None) -> set[str]:
    """Which speakers of one transcript moderate.

    By label (Gespreksleider, Interviewer, …), by the transcript's `moderator`
    metadata (a name or initials), else the speaker who asks most: a
    moderator named only by name (Joost Hendriks) otherwise counts as a
    participant and every echoed question becomes a suggestion.
    """
    unique = list(dict.fromkeys(speakers))
    found = {s for s in unique if is_moderator(s)}
    for key in MODERATOR_META_KEYS:
        value = (meta or {}).get(key)
        if not value:
            continue
        for v in str(value).replace(";", ",").split(","):
            v = v.strip()
            if v:
                found |= {s for s in unique if s.casefold() == v.casefold() or initials(s) == v}
    if found:
        return found
    asked: dict[str, list[int]] = {}
    for speaker, text in zip(speakers, texts):
        stats = asked.setdefault(speaker, [0, 0])
        stats[0] += 1
        stats[1] += "?" in text
    ratios = {s: q / n for s, (n, q) in asked.items() if n >= 3}
    if ratios:
        best = max(ratios, key=lambda s: ratios[s])
        if ratios[best] >= 0.5:
            return {best}
    return set()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")  # a sentence ends at . ! or ? followed by white space ("3.5" goes on)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty sentence, trailing white space left out."""
    spans, start = [], 0
    for m in (*_SENTENCE_END.finditer(text), None):
        end = m.start() if m else len(text.rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        if m:
            start = m.end()
    return spans


def question_spans(text: str) -> list[tuple[int, int]]:
    """Where the questions are: a moderator's "Dank je. En hoe zit het met discriminatie?" asks about
    discrimination, "Vandaag praten we over discriminatie." only announces it."""
    if "?" not in text:
        return []
    return [(a, b) for a, b in sentence_spans(text) if text[a:b].rstrip().endswith("?")]


# A moderator opening the round of introductions: "Zullen we een rondje doen?", "Stel je even voor",
# "Wie wil beginnen met zich voorstellen?", "Vertel je naam en je opleiding".
_INTRODUCTION_PROMPT = re.compile(
    r"\b(?:voorstel\w*|stel\w* (?:je|jullie|jezelf|u|uzelf|zich)\b(?:\s+\w+){0,3}\s+voor\b|rondje|kennismak\w*|"
    r"introduc\w*|voornaam|(?:je|jullie|uw) naam en)", re.IGNORECASE)


def is_introduction_prompt(text: str) -> bool:
    return bool(_INTRODUCTION_PROMPT.search(text))


def is_question(text: str) -> bool:
    """A turn that only asks (every sentence ends in '?') echoes a theme rather than reporting it."""
    if "?" not in text:
        return False
    spans = sentence_spans(text)
    return bool(spans) and len(question_spans(text)) == len(spans)
