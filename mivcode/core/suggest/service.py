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
from mivcode.core.suggest.engine import Analysis, Engine
from mivcode.core.suggest.feedback import review_feedback
from mivcode.core.suggest.theme_model import (
    PRIOR_PENALTIES, TEAM_PENALTIES, ThemeModel, best_threshold, default_model, fit,
)

MODEL_NAME = "theme_model"
MIN_POSITIVES = 4  # coded turns of at least one theme before training means anything

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
    source: str = "rules"   # rules | prior (the shipped model, cold start) | team (trained on the team's codings)
    seconds: float = 0.0


def stored_model(project) -> ThemeModel | None:
    """The model trained on this team's codings, if any (one made for other features counts as none)."""
    found = project.stored_model(MODEL_NAME)
    if found is None:
        return None
    data, meta = found
    try:
        return ThemeModel.from_bytes(data, meta)
    except Exception:  # noqa: BLE001 - an unreadable model must not stop suggestions: the prior takes over
        return None


def model_state(project) -> dict:
    """What the suggestions rest on, for the UI and `mivcode train --status`: the team's model or the prior."""
    trained = stored_model(project)
    if trained is not None:
        m = trained.meta
        return {"model": "team", "coder": m.get("coder"), "created_at": m.get("created_at"),
                "transcripts": m.get("transcripts"), "turns": m.get("turns"),
                "codings_at_training": m.get("codings", 0)}
    prior = default_model()
    return {"model": "prior" if prior is not None and prior_fits(prior, project.codes()) else "rules"}


def engine_for(project, *, with_model: bool = True, with_feedback: bool = True, learned: bool = True) -> Engine:
    """The engine for this project: its codebook, the learned layer, and what its team reviewed.

    The learned layer is the team's own model once `train` ran, else the prior that ships with mivcode
    (cold start); `learned=False` gives the codebook's rules alone. Training and evaluation leave the
    review feedback out, so that their figures do not rest on the very decisions they are compared with.
    """
    feedback = review_feedback(project.suggestions()) if with_feedback else None
    codes = project.codes()
    trained = stored_model(project) if with_model and learned else None
    prior = default_model() if learned and trained is None else None
    if prior is not None and not prior_fits(prior, codes):
        prior = None
    return Engine(codes, feedback=feedback, theme_model=trained or prior, cold=trained is None,
                  conventions=project.conventions())


def prior_fits(prior: ThemeModel, codes) -> bool:
    """The shipped model knows the MIV 2023 codebook's themes: a codebook with other themes (a team's own)
    starts from its rules, and `train` learns its themes from the team's codings."""
    return {c.id for c in codes if not c.parent} == set(prior.themes)


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
    report = RefreshReport(source=("team" if not engine.cold else "prior") if engine.theme_model else "rules")
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
    """Transcripts one coder coded: the engine's analyses (with features) and the coder's themes per turn."""

    analyses: list[Analysis]
    gold: list[np.ndarray]      # per transcript (n turns, T themes) 0/1, sub-codes rolled up
    themes: list[str]

    @property
    def turns(self) -> int:
        return sum(len(g) for g in self.gold)


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
    """The transcripts `coder` coded (at least one coding), in the order they were first coded."""
    codes = {c.id: c for c in project.codes()}
    themes = engine.themes
    ti = {t: k for k, t in enumerate(themes)}
    by_transcript: dict[str, list[Coding]] = {}
    for c in sorted(project.codings(coder=coder), key=lambda c: (c.created_at or "", c.transcript)):
        by_transcript.setdefault(c.transcript, []).append(c)
    names = list(by_transcript)  # first coded first: a learning curve follows the order the team worked in
    analyses: list[Analysis] = []
    gold: list[np.ndarray] = []
    for i, name in enumerate(names):
        progress(i18n.t("progress.read"), i / max(1, len(names)))
        t = project.transcript(name)
        (a,) = engine.analyse([t], frames=True)
        g = np.zeros((len(t.turns), len(themes)), dtype=np.int8)
        for c in by_transcript[name]:
            k = ti.get(top_level_of(codes, c.code)) if c.code in codes else None
            if k is None:
                continue
            for j in turns_touched(t.turns, c.start, c.end):
                g[t.turns[j].index, k] = 1
        analyses.append(a)
        gold.append(g)
    return Corpus(analyses, gold, themes)


def _fit(corpus: Corpus, idx: list[int], prior: ThemeModel | None) -> ThemeModel:
    frames = [corpus.analyses[i].frame for i in idx]
    gold = [corpus.gold[i] for i in idx]
    if prior is None:
        model = fit(frames, gold, corpus.themes, penalties=PRIOR_PENALTIES)
        return model
    return fit(frames, gold, corpus.themes, prior=prior, penalties=TEAM_PENALTIES)


# -- training ---------------------------------------------------------------------


@dataclass(slots=True)
class TrainReport:
    coder: str
    transcripts: int
    turns: int
    labels: list[str]          # themes with enough coded turns to move the prior
    rules_only: list[str]      # themes the team never coded: they keep the prior's weights
    folds: int
    seconds: float


def train_model(project, coder: str | None = None, progress: Progress | None = None, **_ignored) -> TrainReport:
    """Fine-tune the prior on one coder's (default: consensus) coded transcripts and store it in the project.

    Heavy work (reading with spaCy, fitting) runs outside any transaction; the model is written in one.
    """
    progress = progress or _noop
    t0 = time.perf_counter()
    coder = resolve_training_coder(project, coder)
    engine = engine_for(project, with_model=False, with_feedback=False, learned=False)
    corpus = coded_corpus(project, engine, coder, lambda s, f: progress(s, 0.6 * f))
    positives = {t: int(sum(g[:, k].sum() for g in corpus.gold)) for k, t in enumerate(corpus.themes)}
    labels = [t for t, n in positives.items() if n >= MIN_POSITIVES]
    if not labels:
        raise InputError(
            f"te weinig coderingen van {coder} om te leren: elk thema heeft minder dan {MIN_POSITIVES} "
            "gecodeerde beurten (too few codings to learn from)"
        )
    progress(i18n.t("progress.train"), 0.6)
    prior = default_model()
    if prior is not None and not prior_fits(prior, project.codes()):
        prior = None
    model = _fit(corpus, list(range(len(corpus.analyses))), prior)
    if prior is None:
        model.threshold = _thresholds(corpus, model)
    model.meta = {"coder": coder, "created_at": now_iso(), "transcripts": len(corpus.analyses),
                  "turns": corpus.turns, "codings": len(project.codings(coder=coder)),
                  "pipeline": engine.pipeline.name, "codebook": engine.codebook_fp,
                  "prior": (prior.meta.get("created_at") if prior else None)}
    data, meta = model.to_bytes()
    project.save_model(MODEL_NAME, data, meta, coder)
    progress(i18n.t("progress.done"), 1.0)
    return TrainReport(coder, len(corpus.analyses), corpus.turns, labels,
                       sorted(t for t, n in positives.items() if n < MIN_POSITIVES), 1, time.perf_counter() - t0)


def _thresholds(corpus: Corpus, model: ThemeModel) -> dict[str, float]:
    """Without a prior (its thresholds), F1 thresholds on the training data itself: better than one for all."""
    probs = np.concatenate([model.probabilities(a.frame) for a in corpus.analyses])
    gold = np.concatenate(corpus.gold)
    return {t: best_threshold(probs[:, k], gold[:, k]) for k, t in enumerate(corpus.themes) if gold[:, k].any()}


def needs_training(project, coder: str, *, every: int = 50) -> bool:
    """True when `coder` coded at least `every` codings since the stored model (or has none and enough)."""
    done = len(project.codings(coder=coder))
    trained = stored_model(project)
    before = int(trained.meta.get("codings", 0)) if trained is not None and trained.meta.get("coder") == coder else 0
    return done - before >= every


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
    turns: int = 0          # test turns behind the figure
    k: int | None = None    # learning curve: transcripts trained on


_SHIPPED = object()


def evaluate(project, coder: str, progress: Progress | None = None, *, with_model: bool = True,
             learning_curve: bool = False, prior: ThemeModel | None | object = _SHIPPED, **_ignored) -> list[Score]:
    """P/R/F1 per top-level theme and macro, at turn level, against one coder's codings.

    `rules`: the codebook alone. `prior`: the shipped model with its cold-start thresholds (what a team
    gets before it trains). `team`: leave one transcript out: trained on the coder's other transcripts,
    tested on the one left out, so no transcript is both trained on and tested. With `learning_curve`:
    `k=1, 2, ...`: trained on the first k transcripts the coder coded, tested on all the rest.
    `prior`: the model to start from (default: the shipped one; a benchmark passes one trained without
    this project's set, so that its figures are out of sample).
    """
    progress = progress or _noop
    if coder not in project.coders_with_codings():
        raise InputError(f"coder '{coder}' has no codings in this project (coders: "
                         f"{', '.join(project.coders_with_codings()) or '-'})")
    by_id = {c.id: c for c in project.codes()}
    engine = engine_for(project, with_model=False, with_feedback=False, learned=False)
    corpus = coded_corpus(project, engine, coder, lambda s, f: progress(s, 0.3 * f))
    n = len(corpus.analyses)
    themes = corpus.themes
    gold = np.concatenate(corpus.gold) if n else np.zeros((0, len(themes)), dtype=np.int8)
    rules = np.concatenate([_rule_matrix(engine, a, by_id, themes) for a in corpus.analyses]) if n else gold
    scores = _scores("rules", themes, gold, rules)
    prior = (default_model() if prior is _SHIPPED else prior) if with_model else None
    if prior is not None and not prior_fits(prior, by_id.values()):
        prior = None
    if prior is not None:
        pred = np.concatenate([_learned(a, prior, themes, cold=True) for a in corpus.analyses])
        scores += _scores("prior", themes, gold, pred)
    if with_model and n >= 2:
        preds = []
        for i in range(n):
            progress(i18n.t("progress.train"), 0.3 + 0.6 * i / n)
            model = _fit(corpus, [j for j in range(n) if j != i], prior)
            if prior is None:
                model.threshold = _thresholds(corpus, model)
            preds.append(_learned(corpus.analyses[i], model, themes, cold=False))
        scores += _scores("team", themes, gold, np.concatenate(preds))
    if with_model and learning_curve:
        for k in range(1, n):
            model = _fit(corpus, list(range(k)), prior)
            if prior is None:
                model.threshold = _thresholds(corpus, model)
            test = list(range(k, n))
            test_gold = np.concatenate([corpus.gold[i] for i in test])
            pred = np.concatenate([_learned(corpus.analyses[i], model, themes, cold=False) for i in test])
            scores += _scores("team", themes, test_gold, pred, k=k)
            # the rules on the same turns: what the curve's gain is measured against
            scores += _scores("rules", themes, test_gold,
                              np.concatenate([_rule_matrix(engine, corpus.analyses[i], by_id, themes) for i in test]),
                              k=k)
    progress(i18n.t("progress.done"), 1.0)
    return scores


def _rule_matrix(engine: Engine, a: Analysis, by_id: dict, themes: list[str]) -> np.ndarray:
    ti = {t: k for k, t in enumerate(themes)}
    out = np.zeros((len(a.transcript.turns), len(themes)), dtype=np.int8)
    for s in engine.rule_suggestions(a):
        k = ti.get(top_level_of(by_id, s.code))
        if k is not None:
            out[s.turn, k] = 1
    return out


def _learned(a: Analysis, model: ThemeModel, themes: list[str], *, cold: bool) -> np.ndarray:
    probs = model.probabilities(a.frame)
    return (probs >= model.thresholds(themes, cold=cold)[None, :]).astype(np.int8)


def _scores(method: str, themes: list[str], gold: np.ndarray, pred: np.ndarray, k: int | None = None) -> list[Score]:
    out: list[Score] = []
    n_turns = int(gold.shape[0])
    for j, theme in enumerate(themes):
        g, p = gold[:, j] > 0, pred[:, j] > 0
        tp, n_pred, support = int((g & p).sum()), int(p.sum()), int(g.sum())
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / support if support else 0.0
        f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out.append(Score(method, theme, prec, rec, f, support, n_pred, tp, n_turns, k))
    counted = [s for s in out if s.support]
    if counted:
        mp = sum(s.precision for s in counted) / len(counted)
        mr = sum(s.recall for s in counted) / len(counted)
        mf = sum(s.f1 for s in counted) / len(counted)
        out.append(Score(method, "macro", mp, mr, mf, sum(s.support for s in counted),
                         sum(s.predicted for s in counted), sum(s.tp for s in counted), n_turns, k))
    return out
