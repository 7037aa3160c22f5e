"""What front ends call: refresh suggestions, train, evaluate.

Each function takes a `Project` and an optional `progress(stage, fraction)`
callback, reads what it needs, does the heavy spaCy work outside any
transaction (so a Textual worker can run it while the researcher codes) and
writes its result in one short transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mivcode.core import i18n
from mivcode.core.clock import now_iso
from mivcode.core.codebook import top_level_of
from mivcode.core.errors import InputError
from mivcode.core.model import CONSENSUS_CODER, Coding, Suggestion, Transcript
from mivcode.core.spans import turns_touched
from mivcode.core.suggest import learn
from mivcode.core.suggest.engine import Analysis, Engine
from mivcode.core.suggest.feedback import review_feedback
from mivcode.core.suggest.learn import CodeParams, TrainedModel
from mivcode.core.suggest.scoring import RULE_THRESHOLD

Progress = Callable[[str, float], None]


def _noop(stage: str, fraction: float) -> None:  # noqa: ARG001
    return None


# -- suggestions ----------------------------------------------------------------


@dataclass(slots=True)
class RefreshReport:
    recomputed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    source: str = "rules"   # rules | rules+model
    seconds: float = 0.0


def stored_model(project) -> TrainedModel | None:
    found = project.stored_model(learn.MODEL_NAME)
    if found is None:
        return None
    data, meta = found
    try:
        return TrainedModel.from_bytes(data, meta)
    except Exception:  # noqa: BLE001 - an unreadable model must not stop rule suggestions
        return None


def engine_for(project, *, with_model: bool = True, with_feedback: bool = True) -> Engine:
    """The engine for this project: its codebook, its trained model, and what its team reviewed.

    Training and evaluation leave the review feedback out, so that their figures
    do not rest on the very decisions they are compared with.
    """
    feedback = review_feedback(project.suggestions()) if with_feedback else None
    return Engine(project.codes(), model=stored_model(project) if with_model else None, feedback=feedback)


def refresh_suggestions(project, transcripts: list[str] | None = None, progress: Progress | None = None,
                        *, force: bool = False) -> RefreshReport:
    """Recompute suggestions where the transcript, codebook rules, pipeline or model changed.

    Reviewed suggestions keep their state: an accepted one stays accepted, and a
    rejected one stays rejected unless its evidence changed.
    """
    progress = progress or _noop
    t0 = time.perf_counter()
    names = transcripts if transcripts is not None else project.transcript_names()
    for n in names:
        project.transcript(n)  # unknown name → InputError before any work
    engine = engine_for(project)
    report = RefreshReport(source="rules+model" if engine.model else "rules")
    todo: list[Transcript] = []
    for n in names:
        t = project.transcript(n)
        if not force and project.suggest_state(_state_key(n)) == _state_value(engine, t):
            report.skipped.append(n)
        else:
            todo.append(t)
    # One short transaction per transcript: memory stays bounded by the largest transcript, the UI can code
    # between two writes, and an interrupted refresh keeps what it finished (the state key says what is done).
    for i, t in enumerate(todo):
        progress(i18n.t("progress.suggest"), i / max(1, len(todo)))
        (suggestions,) = engine.run([t])
        _write(project, t, suggestions, report, (_state_key(t.name), _state_value(engine, t)))
        report.recomputed.append(t.name)
    progress(i18n.t("progress.save"), 1.0)
    report.seconds = time.perf_counter() - t0
    return report


def _state_key(name: str) -> str:
    return f"transcript:{name}"


def _state_value(engine: Engine, t: Transcript) -> str:
    return f"{engine.fingerprint}:{t.content_hash}"


def _write(project, t: Transcript, suggestions: list[Suggestion], report: RefreshReport,
           state: tuple[str, str]) -> None:
    """Upsert what changed only; drop open suggestions that are no longer produced."""
    existing = {(s.turn, s.code): s for s in project.suggestions(t.name)}
    changed: list[Suggestion] = []
    for s in suggestions:
        old = existing.get((s.turn, s.code))
        if old is None:
            report.added += 1
        elif (old.fingerprint, round(old.score, 4), old.source, old.start, old.end) == (
                s.fingerprint, round(s.score, 4), s.source, s.start, s.end):
            report.unchanged += 1
            continue
        else:
            report.updated += 1
        changed.append(s)
    keep = {(s.turn, s.code) for s in suggestions}
    report.removed += sum(1 for k, s in existing.items() if k not in keep and s.status == "open")
    project.store_suggestions(t.name, changed, keep, state)


# -- the coded corpus ----------------------------------------------------------


@dataclass(slots=True)
class Corpus:
    """Turns of the transcripts one coder coded, with that coder's codes (and their themes) per turn."""

    analyses: list[Analysis]
    gold: list[list[set[str]]]          # per transcript, per turn: codes incl. ancestors

    def flat(self) -> tuple[list[str], list[set[str]], list[int]]:
        texts, labels, group = [], [], []
        for g, (a, gold) in enumerate(zip(self.analyses, self.gold)):
            texts.extend(a.model_texts)
            labels.extend(gold)
            group.extend([g] * len(gold))
        return texts, labels, group


def resolve_training_coder(project, coder: str | None) -> str:
    with_codings = project.coders_with_codings()
    if coder:
        if coder not in with_codings:
            raise InputError(f"coder '{coder}' has no codings in this project (coders: {', '.join(with_codings) or '-'})")
        return coder
    if CONSENSUS_CODER in with_codings:
        return CONSENSUS_CODER
    if len(with_codings) == 1:
        return with_codings[0]
    if not with_codings:
        raise InputError("nog niets gecodeerd: er is niets om van te leren (no codings yet)")
    raise InputError(f"kies een codeur met --coder (choose a coder): {', '.join(with_codings)}")


def coded_corpus(project, engine: Engine, coder: str, progress: Progress = _noop) -> Corpus:
    codes = {c.id: c for c in project.codes()}
    by_transcript: dict[str, list[Coding]] = {}
    for c in project.codings(coder=coder):
        by_transcript.setdefault(c.transcript, []).append(c)
    names = sorted(by_transcript)
    analyses: list[Analysis] = []
    gold: list[list[set[str]]] = []
    for i, name in enumerate(names):
        progress(i18n.t("progress.read"), i / max(1, len(names)))
        t = project.transcript(name)
        (a,) = engine.analyse([t], model_texts=True)
        labels: list[set[str]] = [set() for _ in t.turns]
        for c in by_transcript[name]:
            for i in turns_touched(t.turns, c.start, c.end):
                labels[t.turns[i].index] |= _with_ancestors(codes, c.code)
        analyses.append(a)
        gold.append(labels)
    return Corpus(analyses, gold)


def _with_ancestors(codes: dict, code: str) -> set[str]:
    out = {code}
    cur = codes.get(code)
    while cur is not None and cur.parent and cur.parent not in out:
        out.add(cur.parent)
        cur = codes.get(cur.parent)
    return out


def _labels(corpus: Corpus) -> list[str]:
    counts: dict[str, int] = {}
    for gold in corpus.gold:
        for turn in gold:
            for c in turn:
                counts[c] = counts.get(c, 0) + 1
    return sorted(c for c, n in counts.items() if n >= learn.MIN_POSITIVES)


def _folds(n: int, k: int) -> list[list[int]]:
    """Transcripts into k folds, deterministically (round-robin over sorted names)."""
    return [list(range(f, n, k)) for f in range(k)]


def _out_of_fold(corpus: Corpus, labels: list[str], k: int, progress: Progress, share: tuple[float, float],
                 epochs: int) -> list[list[dict[str, float]]]:
    """Model probabilities per transcript from a model that never saw that transcript."""
    n = len(corpus.analyses)
    oof: list[list[dict[str, float]]] = [[] for _ in range(n)]
    folds = _folds(n, k)
    lo, hi = share
    for f, test in enumerate(folds):
        train_idx = [i for i in range(n) if i not in test]
        texts = [t for i in train_idx for t in corpus.analyses[i].model_texts]
        gold = [g for i in train_idx for g in corpus.gold[i]]
        step = (hi - lo) / len(folds)
        nlp = learn.fit(texts, gold, labels, epochs=epochs, seed=f, progress=progress,
                        share=(lo + f * step, lo + (f + 1) * step))
        model = TrainedModel(nlp, labels)
        for i in test:
            oof[i] = model.predict(corpus.analyses[i].model_texts)
    return oof


def _param_arrays(corpus: Corpus, oof: list[list[dict[str, float]]], code: str, idx: list[int]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r, p, y = [], [], []
    for i in idx:
        for turn, (cands, probs, gold) in enumerate(zip(corpus.analyses[i].rule, oof[i], corpus.gold[i])):
            r.append(max((c.score for k, c in cands.items() if k == code), default=0.0))
            p.append(probs.get(code, 0.0))
            y.append(1 if code in gold else 0)
    return np.asarray(r), np.asarray(p), np.asarray(y)


# -- training ---------------------------------------------------------------------


@dataclass(slots=True)
class TrainReport:
    coder: str
    transcripts: int
    turns: int
    labels: list[str]
    rules_only: list[str]
    folds: int
    seconds: float


def train_model(project, coder: str | None = None, progress: Progress | None = None, *, epochs: int = 12
                ) -> TrainReport:
    """Train textcat_multilabel on one coder's (default: consensus) coded turns and store it in the project."""
    progress = progress or _noop
    t0 = time.perf_counter()
    coder = resolve_training_coder(project, coder)
    engine = engine_for(project, with_model=False, with_feedback=False)
    corpus = coded_corpus(project, engine, coder, lambda s, f: progress(s, 0.1 * f))
    labels = _labels(corpus)
    if not labels:
        raise InputError(
            f"te weinig coderingen van {coder} om te leren: elke code heeft minder dan {learn.MIN_POSITIVES} "
            "gecodeerde beurten (too few codings to learn from)"
        )
    n = len(corpus.analyses)
    k = min(5, n)
    params: dict[str, CodeParams] = {}
    if k >= 2:
        oof = _out_of_fold(corpus, labels, k, progress, (0.1, 0.75), epochs)
        for code in labels:
            params[code] = learn.choose_params(*_param_arrays(corpus, oof, code, list(range(n))), RULE_THRESHOLD)
    else:
        params = {code: CodeParams() for code in labels}  # one transcript: no held-out data to calibrate on
    texts, gold, _ = corpus.flat()
    nlp = learn.fit(texts, gold, labels, epochs=epochs, seed=0, progress=progress, share=(0.75, 0.98))
    model = TrainedModel(nlp, labels, params, {
        "coder": coder, "created_at": now_iso(), "transcripts": n, "turns": len(texts), "folds": k,
        "pipeline": engine.pipeline.name, "codebook": engine.codebook_fp,
    })
    data, meta = model.to_bytes()
    project.save_model(learn.MODEL_NAME, data, meta, coder)
    progress(i18n.t("progress.done"), 1.0)
    return TrainReport(coder, n, len(texts), labels, sorted(c for c, p in params.items() if p.rules_only), k,
                       time.perf_counter() - t0)


# -- evaluation -------------------------------------------------------------------


@dataclass(slots=True)
class Score:
    method: str
    code: str
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int
    tp: int


def evaluate(project, coder: str, progress: Progress | None = None, *, epochs: int = 12,
             with_model: bool = True) -> list[Score]:
    """P/R/F1 per top-level theme and macro, at turn level, against one coder's codings.

    `rules`: the codebook alone. `rules+model`: k-fold over transcripts; per fold
    the model is trained on the other transcripts and its mix/threshold chosen
    on the other folds' held-out predictions, so no transcript is both trained
    on and tested.
    """
    progress = progress or _noop
    if coder not in project.coders_with_codings():
        raise InputError(f"coder '{coder}' has no codings in this project (coders: "
                         f"{', '.join(project.coders_with_codings()) or '-'})")
    codes = project.codes()
    by_id = {c.id: c for c in codes}
    themes = [c.id for c in codes if not c.parent]
    engine = engine_for(project, with_model=False, with_feedback=False)
    corpus = coded_corpus(project, engine, coder, lambda s, f: progress(s, 0.1 * f))
    gold = [{top_level_of(by_id, c) for c in turn} for turns in corpus.gold for turn in turns]
    pred_rules = _predicted_themes(engine, corpus, None, None, by_id)
    scores = _scores("rules", themes, gold, pred_rules)
    n = len(corpus.analyses)
    labels = _labels(corpus)
    if with_model and n >= 2 and labels:
        k = min(5, n)
        oof = _out_of_fold(corpus, labels, k, progress, (0.1, 0.95), epochs)
        folds = _folds(n, k)
        params_per_tx: dict[int, dict[str, CodeParams]] = {}
        for test in folds:
            other = [i for i in range(n) if i not in test]
            params = {code: learn.choose_params(*_param_arrays(corpus, oof, code, other), RULE_THRESHOLD)
                      for code in labels}
            for i in test:
                params_per_tx[i] = params
        pred_model = _predicted_themes(engine, corpus, oof, params_per_tx, by_id)
        scores += _scores("rules+model", themes, gold, pred_model)
    progress(i18n.t("progress.done"), 1.0)
    return scores


def _predicted_themes(engine: Engine, corpus: Corpus, oof, params_per_tx, by_id) -> list[set[str]]:
    out: list[set[str]] = []
    for i, a in enumerate(corpus.analyses):
        turns: list[set[str]] = [set() for _ in a.transcript.turns]
        probs = oof[i] if oof is not None else None
        params = params_per_tx[i] if params_per_tx is not None else None
        for s in engine.suggest(a, probs or [{} for _ in a.transcript.turns], params or {}):
            turns[s.turn].add(top_level_of(by_id, s.code))
        out.extend(turns)
    return out


def _scores(method: str, themes: list[str], gold: list[set[str]], pred: list[set[str]]) -> list[Score]:
    out: list[Score] = []
    for theme in themes:
        tp = sum(1 for g, p in zip(gold, pred) if theme in g and theme in p)
        n_pred = sum(1 for p in pred if theme in p)
        support = sum(1 for g in gold if theme in g)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / support if support else 0.0
        f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out.append(Score(method, theme, prec, rec, f, support, n_pred, tp))
    counted = [s for s in out if s.support]
    if counted:
        mp = sum(s.precision for s in counted) / len(counted)
        mr = sum(s.recall for s in counted) / len(counted)
        mf = sum(s.f1 for s in counted) / len(counted)
        out.append(Score(method, "macro", mp, mr, mf, sum(s.support for s in counted),
                         sum(s.predicted for s in counted), sum(s.tp for s in counted)))
    return out
