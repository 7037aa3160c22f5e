"""Which spaCy pipeline reads the transcripts, loaded once and never downloaded.

Order of preference: the model named in the user's settings (`spacy_model`,
a package name or a folder written by `nlp.to_disk`), else the best
installed Dutch model (nl_core_news_lg, _md, _sm), else `spacy.blank("nl")`
with the Dutch lookup lemmas of spacy-lookups-data. Nothing is fetched over
the network: on a secured server there is none.

Every pipeline ends with the `miv_normalizer` component, which puts the
lemma (from the model, or from the lookup table) and the Dutch matching key
of `dutch.match_key` on each token (LEMMA and NORM), so the codebook's
PhraseMatchers can match on both. It works per distinct word form with a
cache and numpy arrays rather than per token in Python: spaCy's own lookup
lemmatizer is a Python loop over tokens and alone would use most of the
speed budget of the rules (see benchmarks/bench_suggest.py).
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import spacy
from spacy.attrs import LEMMA, LOWER, NORM
from spacy.language import Language
from spacy.tokens import Doc

from mivcode.core.errors import InputError
from mivcode.core.suggest.dutch import IRREGULAR, match_key, strip_accents

DUTCH_MODELS = ("nl_core_news_lg", "nl_core_news_md", "nl_core_news_sm")
# What the rules need from a trained pipeline; the rest (parser, ner, …) only costs time.
NEEDED = {"tok2vec", "morphologizer", "tagger", "attribute_ruler", "lemmatizer", "trainable_lemmatizer"}
_LOCK = threading.Lock()
FORMS_KEY = "miv_forms"  # doc.user_data: (distinct LOWER values, first position, inverse) from the normalizer


@dataclass(frozen=True, slots=True)
class Pipeline:
    nlp: Language
    name: str          # "blank" or the package/path
    description: str


class Lexicon:
    """The Dutch lookup lemmas and the set of known word forms (used to tell typos from real words)."""

    def __init__(self) -> None:
        import spacy_lookups_data

        data = Path(spacy_lookups_data.__file__).parent / "data"
        self.version = getattr(spacy_lookups_data, "__version__", "?")
        table: dict[str, str] = _read(data / "nl_lemma_lookup.json.gz")
        # the rule lemmatizer's tables: base forms per part of speech (200,000 nouns, verbs, adjectives) and
        # irregular forms; they tell a real word (scholing) from a typo and give lemmas the lookup lacks
        index: dict[str, list[str]] = _read(data / "nl_lemma_index.json.gz")
        base_forms = {w for words in index.values() for w in words}
        exceptions: dict[str, dict[str, list[str]]] = _read(data / "nl_lemma_exc.json.gz")
        for pos in ("adj", "noun", "verb"):  # verbs last: their lemma wins (vocht → vechten)
            for form, lemmas in exceptions.get(pos, {}).items():
                if lemmas and form not in table and form not in base_forms:  # geweld is a noun, not "wellen"
                    table[form] = lemmas[0]
        self.lemmas = table
        self.known: frozenset[str] = frozenset(strip_accents(w) for w in (*table.keys(), *table.values(), *base_forms))
        self.nouns: frozenset[str] = frozenset(strip_accents(w) for w in index.get("noun", []))
        # verb infinitives: decide participles (gemeld → melden) and agent nouns (pester → pesten)
        self.lemma_set: frozenset[str] = frozenset(
            strip_accents(w) for w in (*index.get("verb", []), *(v for v in table.values() if v.endswith("en"))))

    def lemma(self, lower: str) -> str:
        return self.lemmas.get(lower) or IRREGULAR.get(lower) or lower


def _read(path: Path) -> dict:
    import srsly

    try:
        return srsly.read_gzip_json(path)
    except (OSError, ValueError):
        return {}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    lex = Lexicon()
    # 400,000 long-lived strings in containers: without this, every full garbage collection walks
    # them again, which showed up as a third of the suggestion time in profiles.
    gc.freeze()
    return lex


class Normalizer:
    """Pipeline component: LEMMA (when no lemmatizer ran) and NORM = Dutch match key, cached per form."""

    def __init__(self, nlp: Language, use_model_lemmas: bool):
        self.strings = nlp.vocab.strings
        self.use_model_lemmas = use_model_lemmas
        self.lex = lexicon()
        self._by_lower: dict[int, tuple[int, int]] = {}
        self._by_pair: dict[tuple[int, int], int] = {}

    def _compute(self, lower_hash: int) -> tuple[int, int]:
        lower = self.strings[lower_hash]
        lemma = self.lex.lemma(lower)
        key = match_key(lower, lemma, self.lex.nouns, self.lex.lemma_set)
        out = (self.strings.add(lemma), self.strings.add(key))
        self._by_lower[lower_hash] = out
        return out

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if self.use_model_lemmas:
            arr = doc.to_array([LOWER, LEMMA]).tolist()
            norms = []
            for lower_h, lemma_h in arr:
                key = self._by_pair.get((lower_h, lemma_h))
                if key is None:
                    lemma = self.strings[lemma_h] if lemma_h else self.strings[lower_h]
                    key = self.strings.add(match_key(self.strings[lower_h], lemma, self.lex.nouns, self.lex.lemma_set))
                    self._by_pair[(lower_h, lemma_h)] = key
                norms.append(key)
            doc.from_array([NORM], np.asarray(norms, dtype=np.uint64))
            return doc
        # one dict lookup per distinct form in the doc (a transcript holds each form many times)
        uniq, first, inverse = np.unique(doc.to_array(LOWER), return_index=True, return_inverse=True)
        cache = self._by_lower
        vals = np.asarray([cache.get(h) or self._compute(h) for h in uniq.tolist()], dtype=np.uint64)
        doc.from_array([LEMMA, NORM], vals[inverse.reshape(-1)])
        # the codebook's matcher decides per distinct form too: it reuses this (see RuleSet.match_segments)
        doc.user_data[FORMS_KEY] = (uniq, first, inverse)
        return doc


@Language.factory("miv_normalizer", default_config={"use_model_lemmas": False})
def make_normalizer(nlp: Language, name: str, use_model_lemmas: bool) -> Normalizer:
    return Normalizer(nlp, use_model_lemmas)


def _resolve(name_or_path: str | None) -> str | None:
    """The model to load: explicit setting, else the best installed Dutch model, else None (blank)."""
    if name_or_path:
        return name_or_path
    for name in DUTCH_MODELS:
        if spacy.util.is_package(name):
            return name
    return None


def _load_trained(name: str) -> Language:
    path = Path(name).expanduser()
    if path.exists():
        if not (path / "config.cfg").exists():
            raise InputError(f"spacy_model '{name}': map zonder config.cfg, geen spaCy-pipeline (no spaCy pipeline)")
        target: str | Path = path
    elif spacy.util.is_package(name):
        target = name
    else:
        raise InputError(
            f"spacy_model '{name}' is niet geïnstalleerd en is geen map (not installed, not a folder); "
            "installeer het pakket offline of verwijder de instelling"
        )
    try:
        config = spacy.util.load_config(Path(target) / "config.cfg") if isinstance(target, Path) else None
        names = list(config["nlp"]["pipeline"]) if config is not None else None
    except Exception:  # noqa: BLE001 - a broken config is reported by spacy.load below
        names = None
    if names is None:
        meta = spacy.util.get_package_path(str(target)) if not isinstance(target, Path) else None
        names = []
        if meta is not None:
            try:
                names = list(spacy.util.load_meta(next(meta.glob("*/meta.json"))).get("pipeline", []))
            except (StopIteration, OSError, ValueError):
                names = []
    exclude = [n for n in names if n not in NEEDED]
    try:
        return spacy.load(target, exclude=exclude)
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"spacy_model '{name}' kan niet worden geladen (cannot load): {exc}") from None


def _split_word_abbreviations(nlp: Language) -> None:
    """Let a sentence's full stop go after a word that spaCy's Dutch exceptions also list as an abbreviation.

    "vol.", "me.", "dat.", "hand.", "pas." are kept whole as abbreviations, so
    "dan zitten ze ineens vol." or "hij zat steeds aan me." did not match the
    codebook's "ineens vol" or "aan me". Spoken transcripts end sentences on such
    words far more often than they abbreviate them; true abbreviations that are no
    word (bijv., ca., enz.) keep their special case.
    """
    known = lexicon().known
    rules = nlp.tokenizer.rules or {}
    kept = {form: tokens for form, tokens in rules.items()
            if not (form.endswith(".") and form[:-1].isalpha() and len(form) > 2 and form[:-1].lower() in known)}
    if len(kept) != len(rules):
        nlp.tokenizer.rules = kept


@lru_cache(maxsize=4)
def _load(resolved: str | None) -> Pipeline:
    if resolved is None:
        nlp = spacy.blank("nl")
        _split_word_abbreviations(nlp)
        nlp.add_pipe("miv_normalizer", config={"use_model_lemmas": False})
        lex = lexicon()
        desc = (
            f"spaCy {spacy.__version__} blank 'nl' + opzoek-lemma's uit spacy-lookups-data {lex.version} "
            f"({len(lex.lemmas):,} vormen) + mivcode-normalisatie; geen Nederlands model geïnstalleerd "
            f"({', '.join(DUTCH_MODELS)})"
        )
        return Pipeline(nlp, "blank", desc)
    nlp = _load_trained(resolved)
    if nlp.lang == "nl":
        _split_word_abbreviations(nlp)
    has_lemmas = any(n in nlp.pipe_names for n in ("lemmatizer", "trainable_lemmatizer"))
    nlp.add_pipe("miv_normalizer", config={"use_model_lemmas": has_lemmas})
    meta = nlp.meta
    label = f"{meta.get('lang', nlp.lang)}_{meta.get('name', '?')} {meta.get('version', '')}".strip()
    desc = f"{label} uit {resolved} ({', '.join(nlp.pipe_names)})"
    if nlp.lang != "nl":
        desc += f" — let op: taal '{nlp.lang}', niet Nederlands"
    return Pipeline(nlp, str(resolved), desc)


def load_pipeline(name_or_path: str | None = None) -> Pipeline:
    """The pipeline for suggestions, loaded once per process (thread-safe: the UI trains in a worker)."""
    with _LOCK:
        return _load(_resolve(name_or_path))


def describe_pipeline(name_or_path: str | None = None) -> str:
    """One line for `mivcode doctor` and the UI: which pipeline suggestions use, or why none loads."""
    try:
        return load_pipeline(name_or_path).description
    except InputError as exc:
        return f"fout (error): {exc}"


def configured_pipeline() -> Pipeline:
    """The pipeline from the user's settings."""
    from mivcode.core.config import load_settings

    return load_pipeline(load_settings().spacy_model)
