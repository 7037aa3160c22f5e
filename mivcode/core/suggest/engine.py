"""Read transcripts once with spaCy and turn rule (and model) scores into suggestions.

Pure computation over plain values: no SQL, no transactions, so the UI can
run it in a worker thread while the researcher keeps coding, and
`service.py` writes the result in one short transaction.
"""

from __future__ import annotations

import gc

import numpy as np
import hashlib
import threading
import zlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, NORM

from mivcode.core.conventions import DEFAULT as DEFAULT_CONVENTIONS
from mivcode.core.conventions import Conventions
from mivcode.core.model import Code, Evidence, Suggestion, Transcript
from mivcode.core.suggest import explain
from mivcode.core.suggest.discourse import segment_source
from mivcode.core.suggest.dutch import moderator_speakers
from mivcode.core.suggest.features import ThemeFrame, theme_frame, turn_grams
from mivcode.core.suggest.pipeline import Pipeline, configured_pipeline
from mivcode.core.suggest.rules import RuleSet
from mivcode.core.suggest.scoring import RULE_THRESHOLD, Candidate, CodeIndex, most_specific, score_turns
from mivcode.core.suggest.theme_model import ThemeModel

_NLP_LOCK = threading.RLock()
_GC_LOCK = threading.Lock()
_gc_depth = 0
_gc_was_enabled = True


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while reading transcripts.

    Matching makes hundreds of thousands of small objects without cycles
    (refcounting frees them); the collector's repeated passes over them took
    almost half the time of a 1-million-word run. Re-entrant across threads.
    """
    global _gc_depth, _gc_was_enabled
    with _GC_LOCK:
        if _gc_depth == 0:
            _gc_was_enabled = gc.isenabled()
        _gc_depth += 1
        gc.disable()
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_was_enabled:
                gc.enable()
CHUNK_CHARS = 100_000  # one Doc per transcript, split well below spaCy's max_length


@lru_cache(maxsize=1)
def engine_source_hash() -> str:
    """What the engine's code is: a changed rule or weight recomputes stored suggestions by itself.

    Replaces a hand-bumped version number (forgotten, it left stale suggestions in projects).
    """
    from importlib import resources

    h = hashlib.sha1()
    package = resources.files("mivcode.core.suggest")
    for name in sorted(p.name for p in package.iterdir() if p.name.endswith(".py")):
        h.update(name.encode())
        h.update(package.joinpath(name).read_bytes())
    return h.hexdigest()[:12]


# A suggestion that rests on context alone (the story of its segment, the moderator's question) is scored in
# the lower half, every one with the turn's own evidence in the upper half: sorted by score, own evidence
# comes first, and accepting everything above 0.80 never accepts a context-only suggestion.
OWN_BAND = (0.5, 1.0)
CONTEXT_BAND = (0.0, 0.5)


@dataclass(slots=True)
class Analysis:
    """One transcript as the engine sees it: rule candidates and model text per turn."""

    transcript: Transcript
    rule: list[dict[str, Candidate]]
    frame: ThemeFrame | None = None   # the learned model's features, when the engine has one


def codebook_fingerprint(codes: list[Code]) -> str:
    """Only what the rules read: a changed label or colour does not recompute suggestions."""
    payload = [(c.id, c.parent, c.keywords, c.patterns, c.markers, c.requires) for c in sorted(codes, key=lambda c: c.id)]
    return hashlib.sha1(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


@lru_cache(maxsize=4)
def _ruleset(pipeline: Pipeline, fingerprint: str, codes_json: str) -> RuleSet:
    codes = [Code(**d) for d in json.loads(codes_json)]
    return RuleSet(pipeline.nlp, codes)


class Engine:
    """Rules compiled for one codebook (cached per codebook fingerprint), optionally a trained model."""

    def __init__(self, codes: list[Code], pipeline: Pipeline | None = None,
                 feedback: dict[tuple[str, str], float] | None = None, theme_model: ThemeModel | None = None,
                 *, cold: bool = True, conventions: Conventions = DEFAULT_CONVENTIONS):
        """`theme_model`: the learned layer (the shipped prior, or one trained on the team's codings:
        then `cold=False`, and its F1 thresholds apply instead of the cold start's recall-oriented ones).
        `conventions`: the team's coding decisions; codes it never gives are not matched at all."""
        from mivcode.core.ops import code_dict

        if conventions.not_coded:
            silent = set(conventions.not_coded)
            codes = [replace(c, keywords=[], patterns=[], markers=[]) if c.id in silent else c for c in codes]
        self.conventions = conventions

        self.codes = codes
        self.pipeline = pipeline or configured_pipeline()
        self.theme_model = theme_model
        self.cold = cold
        self.themes = [c.id for c in codes if not c.parent]
        self.codebook_fp = codebook_fingerprint(codes)
        self.feedback = feedback or {}
        self.index = CodeIndex(codes, self.feedback, one_behaviour_one_code=not conventions.sibling_themes)
        with _NLP_LOCK:  # compiling runs the keywords through the shared pipeline
            self.rules = _ruleset(self.pipeline, self.codebook_fp,
                                  json.dumps([code_dict(c) for c in codes], sort_keys=True))

    @property
    def fingerprint(self) -> str:
        learned = (self.theme_model.meta.get("created_at", "prior"), self.cold) if self.theme_model else ""
        reviews = sorted((c, k, round(f, 3)) for (c, k), f in self.feedback.items())
        conv = sorted(self.conventions.to_dict().items())
        raw = f"{engine_source_hash()}|{self.pipeline.name}|{self.codebook_fp}|{learned}|{conv}|{reviews}"
        return hashlib.sha1(raw.encode()).hexdigest()[:16]

    def run(self, transcripts: list[Transcript]) -> list[list[Suggestion]]:
        """Suggestions per transcript, in one pause of the garbage collector.

        Each analysis is dropped as soon as its suggestions are made, so that
        when the collector resumes it walks the suggestions only, not the
        hundreds of thousands of rule hits behind them (that walk, once per
        analyse() and suggest() call, was a tenth of the time).
        """
        with _gc_paused():
            analyses: list[Analysis | None] = list(self._analyse(transcripts))
            out: list[list[Suggestion]] = []
            for k, analysis in enumerate(analyses):
                analyses[k] = None
                out.append(self._suggest(analysis))
                del analysis
            return out

    def analyse(self, transcripts: list[Transcript], *, frames: bool = False) -> list[Analysis]:
        """`frames`: build the learned layer's features even without a model (training and evaluation)."""
        with _gc_paused():
            return self._analyse(transcripts, frames=frames)

    def _analyse(self, transcripts: list[Transcript], *, frames: bool = False) -> list[Analysis]:
        """Read each transcript's turns as one Doc per chunk (nlp.pipe, batched), then rules per turn.

        The learned layer's n-grams (of match keys) are taken from the Doc only when a model will read them.
        """
        frames = frames or self.theme_model is not None
        chunks: list[tuple[int, list[int], list[tuple[int, int]], str]] = []  # (transcript, turns, spans, text)
        turn_texts = [[t.turn_text(u) for u in t.turns] for t in transcripts]
        for ti, t in enumerate(transcripts):
            turn_ids: list[int] = []
            spans: list[tuple[int, int]] = []
            parts: list[str] = []
            size = 0
            for u, text in zip(t.turns, turn_texts[ti]):
                if size and size + len(text) > CHUNK_CHARS:
                    chunks.append((ti, turn_ids, spans, " ".join(parts)))
                    turn_ids, spans, parts, size = [], [], [], 0
                spans.append((size, size + len(text)))
                turn_ids.append(u.index)
                parts.append(text)
                size += len(text) + 1
            chunks.append((ti, turn_ids, spans, " ".join(parts)))
        hits: list[list[list]] = [[[] for _ in t.turns] for t in transcripts]
        moderators = [moderator_speakers([u.speaker for u in t.turns], texts, t.meta.extra)
                      for t, texts in zip(transcripts, turn_texts)]
        grams: list[list[tuple]] = [[] for _ in transcripts]
        # Stream the Docs: each chunk's Doc is matched and dropped before the next, so memory is bounded by
        # the batch, not by the transcript (a 100,000-turn transcript held 1M tokens of Docs at once).
        with _NLP_LOCK:  # one spaCy pipeline per process; the UI may refresh and train in two workers
            docs = self.pipeline.nlp.pipe((c[3] for c in chunks), batch_size=8)
            for (ti, turn_ids, spans, chunk_text), doc in zip(chunks, docs):
                chunk_hits = self.rules.match_segments(doc, spans, chunk_text)
                for turn, turn_hits in zip(turn_ids, chunk_hits):
                    hits[ti][turn] = turn_hits
                if frames:
                    t = transcripts[ti]
                    mods = [t.turns[j].speaker in moderators[ti] for j in turn_ids]
                    grams[ti].append(turn_grams(doc.to_array([NORM, IS_PUNCT, IS_SPACE, IDX]), turn_ids, spans, mods))
        out: list[Analysis] = []
        for ti, t in enumerate(transcripts):
            if not frames:
                out.append(Analysis(t, score_turns(t.turns, turn_texts[ti], hits[ti], self.index, moderators[ti])))
                continue
            detail: dict = {}
            rule = score_turns(t.turns, turn_texts[ti], hits[ti], self.index, moderators[ti], detail=detail)
            rows = np.concatenate([g[0] for g in grams[ti]]) if grams[ti] else np.zeros(0, np.int64)
            cols = np.concatenate([g[1] for g in grams[ti]]) if grams[ti] else np.zeros(0, np.int64)
            frame = theme_frame(rule, detail, turn_texts[ti], (rows, cols), self.themes, self.index.theme,
                                self.conventions)
            out.append(Analysis(t, rule, frame))
        return out

    def suggest(self, analysis: Analysis) -> list[Suggestion]:
        """Suggestions for one transcript: the learned layer's where the engine has one, else the rules'."""
        with _gc_paused():
            return self._suggest(analysis)

    def _suggest(self, analysis: Analysis) -> list[Suggestion]:
        if analysis.frame is not None and self.theme_model is not None:
            return self._suggest_learned(analysis, self.theme_model)
        return self.rule_suggestions(analysis)

    def rule_suggestions(self, analysis: Analysis) -> list[Suggestion]:
        """What the codebook's rules alone suggest (the cold start without a model, and evaluation's baseline)."""
        t = analysis.transcript
        out: list[Suggestion] = []
        for i, u in enumerate(t.turns):
            cands = analysis.rule[i]
            if not cands:
                continue
            chosen = {code: cand for code, cand in cands.items() if cand.score >= RULE_THRESHOLD}
            if not chosen:
                continue
            if len(chosen) > 1:
                chosen = most_specific(chosen, self.index)
            end = max(u.end, u.start + 1)
            for code in sorted(chosen):
                cand = chosen[code]
                evidence = cand.all_evidence()
                out.append(Suggestion(t.name, u.index, u.start, end, code, round(min(1.0, cand.score), 4),
                                      evidence, "rules", "open", _fingerprint(code, cand, evidence)))
        return out

    def theme_probabilities(self, analysis: Analysis, model: ThemeModel | None = None):
        """(n, T) probabilities of the learned layer for one analysed transcript (evaluation reads these)."""
        model = model or self.theme_model
        if analysis.frame is None or model is None:
            raise ValueError("the engine was made without a learned model")
        return model.probabilities(analysis.frame)

    def _suggest_learned(self, analysis: Analysis, model: ThemeModel) -> list[Suggestion]:
        """Per turn, the themes the learned layer is sure enough of, each as the code the rules found for it.

        The code within a theme is the rules' most specific candidate of that theme on the turn; where
        the rules found none (the story of the segment, the moderator's question), the theme itself,
        labelled with the turn it came from and scored in the context band. A theme the model was never
        trained on (a codebook of the team's own, before `train`) keeps the rules' suggestions.
        """
        frame = analysis.frame
        t = analysis.transcript
        probs = model.probabilities(frame)
        th = model.thresholds(frame.themes, cold=self.cold)
        known = set(model.themes)
        unknown = [k for k, theme in enumerate(frame.themes) if theme not in known]
        th[unknown] = np.inf
        theme_of = self.index.theme
        out: list[Suggestion] = [s for s in self.rule_suggestions(analysis) if theme_of.get(s.code) not in known] \
            if unknown else []
        I, K = np.nonzero(probs >= th[None, :])
        # why each one fired: the largest shares of its linear score, for all of them in one go
        index = {tm: m for m, tm in enumerate(model.themes)}
        per_theme = np.stack([model.shared + (model.deviation[index[tm]] if tm in index else 0.0)
                              for tm in frame.themes])
        x = frame.X[I, K]
        rows = np.concatenate([x, x[:, :-1] * frame.mod[I][:, None]], axis=1)
        whys = explain.model_rules(rows, per_theme[K])
        for i, k, why in zip(I.tolist(), K.tolist(), whys):
            u = t.turns[i]
            end = max(u.end, u.start + 1)
            cands = analysis.rule[i]
            theme = frame.themes[k]
            p = float(probs[i, k])
            in_theme = {c: cand for c, cand in cands.items() if theme_of.get(c) == theme}
            own = {c: cand for c, cand in in_theme.items() if cand.via is None and (cand.hits or cand.evidence)}
            if own:
                code, cand = _best(own, self.index)
                rule_ev = list(cand.all_evidence())
                lo, hi = OWN_BAND
                source = "both" if cand.score >= RULE_THRESHOLD else "model"
            else:
                code, cand = _best(in_theme, self.index) if in_theme else (theme, None)
                j = segment_source(i, k, frame.own, frame.moderator, frame.texts, frame.asked)
                rule_ev = list(cand.all_evidence()) if cand is not None else []
                if j is not None and j != i:
                    v = t.turns[j]
                    rule_ev = [e for e in rule_ev if not e.rule.startswith("context")]
                    rule_ev.insert(0, Evidence(v.start, v.end, "", explain.from_turn(v.index)))
                lo, hi = CONTEXT_BAND
                source = "model"
            evidence = rule_ev + [Evidence(u.start, u.end, "", why)]
            score = round(lo + (hi - lo) * p, 4)
            out.append(Suggestion(t.name, u.index, u.start, end, code, score, evidence, source, "open",
                                  evidence_fingerprint(code, rule_ev or [Evidence(u.start, u.end, "", "model")])))
        out.sort(key=lambda s: (s.turn, -s.score, s.code))
        return out


def _best(cands: dict[str, Candidate], index: CodeIndex) -> tuple[str, Candidate]:
    """The most specific of the strongest candidates (codebook rule 2: the narrower code wins a tie)."""
    if len(cands) > 1:
        cands = most_specific(cands, index)
    code = max(cands, key=lambda c: (cands[c].score, index.depth.get(c, 0), c))
    return code, cands[code]


def _fingerprint(code: str, cand: Candidate, evidence: list[Evidence]) -> str:
    """A candidate that is only context of another turn shares that turn's evidence, and its fingerprint."""
    if cand.via is None or cand.hits or cand.evidence:
        return evidence_fingerprint(code, evidence)
    source = cand.via[1]
    if source.carried_fingerprint is None:
        source.carried_fingerprint = evidence_fingerprint(code, evidence)
    return source.carried_fingerprint


def evidence_fingerprint(code: str, evidence: list[Evidence]) -> str:
    """Same reasons → same fingerprint (scores left out, so retraining alone does not reopen a rejection)."""
    if len(evidence) == 1:
        e = evidence[0]
        parts = [(e.start, e.end, e.rule)]
    else:
        parts = sorted({(e.start, e.end, e.rule) for e in evidence})
    return "%08x" % zlib.crc32(repr((code, parts)).encode())
