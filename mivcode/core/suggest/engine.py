"""Read transcripts once with spaCy and turn rule (and model) scores into suggestions.

Pure computation over plain values: no SQL, no transactions, so the UI can
run it in a worker thread while the researcher keeps coding, and
`service.py` writes the result in one short transaction.
"""

from __future__ import annotations

import gc
import hashlib
import threading
import zlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, NORM

from mivcode.core.model import Code, Evidence, Suggestion, Transcript
from mivcode.core.suggest.dutch import moderator_speakers
from mivcode.core.suggest.learn import CodeParams, TrainedModel, model_text
from mivcode.core.suggest.pipeline import Pipeline, configured_pipeline
from mivcode.core.suggest.rules import RuleSet
from mivcode.core.suggest.scoring import RULE_THRESHOLD, Candidate, CodeIndex, most_specific, score_turns

ENGINE_VERSION = "15"
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
BATCH_SIZE = 512
CHUNK_CHARS = 100_000  # one Doc per transcript, split well below spaCy's max_length


@dataclass(slots=True)
class Analysis:
    """One transcript as the engine sees it: rule candidates and model text per turn."""

    transcript: Transcript
    rule: list[dict[str, Candidate]]
    model_texts: list[str]


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

    def __init__(self, codes: list[Code], pipeline: Pipeline | None = None, model: TrainedModel | None = None,
                 feedback: dict[tuple[str, str], float] | None = None):
        from mivcode.core.ops import code_dict

        self.codes = codes
        self.pipeline = pipeline or configured_pipeline()
        self.model = model
        self.codebook_fp = codebook_fingerprint(codes)
        self.feedback = feedback or {}
        self.index = CodeIndex(codes, self.feedback)
        with _NLP_LOCK:  # compiling runs the keywords through the shared pipeline
            self.rules = _ruleset(self.pipeline, self.codebook_fp,
                                  json.dumps([code_dict(c) for c in codes], sort_keys=True))
        known = {c.id for c in codes}
        if model is not None and not set(model.labels) <= known:
            self.model = None  # trained on codes the codebook no longer has: rules only until retrained

    @property
    def fingerprint(self) -> str:
        model = self.model.meta.get("created_at", "") if self.model else ""
        reviews = sorted((c, k, round(f, 3)) for (c, k), f in self.feedback.items())
        raw = f"{ENGINE_VERSION}|{self.pipeline.name}|{self.codebook_fp}|{model}|{reviews}"
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
                out.append(self._suggest(analysis, None, None))
                del analysis
            return out

    def analyse(self, transcripts: list[Transcript], *, model_texts: bool | None = None) -> list[Analysis]:
        with _gc_paused():
            return self._analyse(transcripts, model_texts=model_texts)

    def _analyse(self, transcripts: list[Transcript], *, model_texts: bool | None = None) -> list[Analysis]:
        """Read each transcript's turns as one Doc per chunk (nlp.pipe, batched), then rules per turn.

        The classifier's text (match keys) is built only when a model will read it.
        """
        want_model_text = self.model is not None if model_texts is None else model_texts
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
        mtexts: list[list[str]] = [["" for _ in t.turns] for t in transcripts]
        strings = self.pipeline.nlp.vocab.strings
        # Stream the Docs: each chunk's Doc is matched and dropped before the next, so memory is bounded by
        # the batch, not by the transcript (a 100,000-turn transcript held 1M tokens of Docs at once).
        with _NLP_LOCK:  # one spaCy pipeline per process; the UI may refresh and train in two workers
            docs = self.pipeline.nlp.pipe((c[3] for c in chunks), batch_size=8)
            for (ti, turn_ids, spans, chunk_text), doc in zip(chunks, docs):
                chunk_hits = self.rules.match_segments(doc, spans, chunk_text)
                self._collect(transcripts, ti, turn_ids, spans, doc, chunk_hits, hits, mtexts, moderators,
                              want_model_text, strings)
        out: list[Analysis] = []
        for ti, t in enumerate(transcripts):
            out.append(Analysis(t, score_turns(t.turns, turn_texts[ti], hits[ti], self.index, moderators[ti]),
                                mtexts[ti] if want_model_text else []))
        return out

    @staticmethod
    def _collect(transcripts, ti, turn_ids, spans, doc, chunk_hits, hits, mtexts, moderators, want_model_text,
                 strings) -> None:
        """Keep what scoring and the model need from one chunk's Doc: its hits and the model's key text."""
        for turn, turn_hits in zip(turn_ids, chunk_hits):
            hits[ti][turn] = turn_hits
        if want_model_text:
            t = transcripts[ti]
            arr = doc.to_array([NORM, IS_PUNCT, IS_SPACE, IDX]).tolist()
            pos = 0
            for turn, (a, b) in zip(turn_ids, spans):
                keys = []
                while pos < len(arr) and arr[pos][3] < b:
                    h, punct, space, _ = arr[pos]
                    if not (punct or space):
                        keys.append(strings[h])
                    pos += 1
                mtexts[ti][turn] = model_text(keys, t.turns[turn].speaker in moderators[ti])

    def suggest(self, analysis: Analysis, probs: list[dict[str, float]] | None = None,
                params: dict[str, CodeParams] | None = None) -> list[Suggestion]:
        """Suggestions for one transcript; `probs`/`params` default to the engine's trained model."""
        with _gc_paused():
            return self._suggest(analysis, probs, params)

    def _suggest(self, analysis: Analysis, probs: list[dict[str, float]] | None,
                 params: dict[str, CodeParams] | None) -> list[Suggestion]:
        if probs is None and self.model is not None:
            probs = self.model.predict(analysis.model_texts)
            params = self.model.params
        params = params or {}
        t = analysis.transcript
        out: list[Suggestion] = []
        for i, u in enumerate(t.turns):
            cands = analysis.rule[i]
            turn_probs = probs[i] if probs else {}
            if not cands and not turn_probs:
                continue
            if not turn_probs:  # rules only: the common, fast path
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
                continue
            selected: dict[str, tuple[Candidate, str]] = {}
            for code in set(cands) | set(turn_probs):
                cand = cands.get(code)
                rule = cand.score if cand else 0.0
                p = turn_probs.get(code)
                cp = params.get(code)
                if p is not None and cp is not None and not cp.rules_only:
                    score, threshold = cp.combine(rule, p), cp.threshold
                    rule_fired, model_fired = rule >= RULE_THRESHOLD, p >= 0.5
                    source = "both" if rule_fired == model_fired else ("rules" if rule_fired else "model")
                else:
                    score, threshold, source = rule, RULE_THRESHOLD, "rules"
                if score < threshold:
                    continue
                evidence = list(cand.all_evidence()) if cand else []
                if source in ("model", "both"):
                    evidence.append(Evidence(u.start, u.end, "", "model: textcat_multilabel"))
                selected[code] = (Candidate(code, score, evidence), source)
            if len(selected) > 1:
                kept = most_specific({k: c for k, (c, _) in selected.items()}, self.index)
            else:
                kept = {k: c for k, (c, _) in selected.items()}
            end = max(u.end, u.start + 1)
            for code in sorted(kept):
                cand = kept[code]
                evidence = cand.all_evidence()
                out.append(Suggestion(
                    transcript=t.name, turn=u.index, start=u.start, end=end, code=code,
                    score=round(min(1.0, cand.score), 4), evidence=evidence, source=selected[code][1],
                    fingerprint=evidence_fingerprint(code, evidence),
                ))
        return out


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
