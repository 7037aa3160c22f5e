"""Suggestions that learn: segments, context-only suggestions, the shipped prior, training on a team's codings.

Real spaCy throughout (blank Dutch with lookups); the model tests train on small coded projects.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.codebook import default_codebook_path, load_codebook
from mivcode.core.project import Project
from mivcode.core.suggest import service
from mivcode.core.suggest.discourse import SEGMENT_FEATURES, segment_features
from mivcode.core.suggest.engine import CONTEXT_BAND, OWN_BAND, Engine
from mivcode.core.suggest.features import BASE_FEATURES, FEATURE_NAMES, theme_frame
from mivcode.core.suggest.scoring import Candidate
from mivcode.core.suggest.theme_model import TEXT_DIM, ThemeModel, default_model

S = {name: i for i, name in enumerate(SEGMENT_FEATURES)}
NO_GRAMS = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))


def _import(p: Project, tmp_path: Path, name: str, lines: list[str]) -> str:
    f = tmp_path / f"{name}.txt"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p.import_files([f])
    return name


# -- segments ---------------------------------------------------------------------------------------


def test_a_segment_boundary_stops_the_context():
    texts = ["Ze schelden mensen daar uit om hun afkomst.", "Ja, echt elke week gebeurt dat wel.",
             "Dan gaan we naar iets anders: de kantine.", "De kantine is gewoon te klein voor iedereen."]
    own = np.array([[0.9, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]], dtype=np.float32)
    moderator = [False, False, True, False]
    f = segment_features(texts, own, [{}, {}, {}, {}], moderator)
    assert f[1, 0, S["s_last"]] > 0.5 and f[1, 0, S["s_max"]] == pytest.approx(0.9)  # the story goes on
    assert f[3, 0, S["s_last"]] == 0 and f[3, 0, S["s_max"]] == 0 and f[3, 0, S["s_any"]] == 0  # moved on
    assert not f[2].any()  # a moderator turn inherits nothing


def test_a_moderator_question_opens_a_segment_about_what_it_asks():
    texts = ["Hebben jullie wel eens discriminatie meegemaakt?", "Nou, op mijn stage wel ja, best vaak."]
    f = segment_features(texts, np.zeros((2, 2), dtype=np.float32), [{0: 0.9}, {}], [True, False])
    assert f[1, 0, S["s_mod"]] == pytest.approx(0.9) and f[1, 1, S["s_mod"]] == 0


def _cand(code: str, score: float, *, own: bool = True, via=None) -> Candidate:
    from mivcode.core.suggest.rules import Hit

    hits = [Hit(code, 0, 4, "word", "trefwoord", "word", False)] if own else None
    return Candidate(code, score, hits=hits, via=via)


def _detail(raw, n):
    return {"raw": raw, "markers": [{} for _ in range(n)], "topics": [{} for _ in range(n)],
            "context": [{} for _ in range(n)], "moderator": [False] * n, "introducing": set()}


def test_a_candidate_the_rules_suppressed_is_not_carried():
    """Turn 0 has raw evidence for racisme that the rules dropped (one behaviour, one code, say): the
    next turn of the segment inherits nothing of it; evidence the rules kept is inherited."""
    texts = ["Ze maakten opmerkingen over hem.", "Ja en dat ging de hele dag door zo."]
    themes, theme_of = ["discriminatie", "online"], {"racisme": "discriminatie", "online": "online"}
    raw = [{"racisme": _cand("racisme", 0.9)}, {}]
    dropped = theme_frame([{}, {}], _detail(raw, 2), texts, NO_GRAMS, themes, theme_of)
    kept = theme_frame([{"racisme": raw[0]["racisme"]}, {}], _detail(raw, 2), texts, NO_GRAMS, themes, theme_of)
    col = len(BASE_FEATURES) - 1 - len(SEGMENT_FEATURES) + S["s_last"]
    assert BASE_FEATURES[col] == "s_last"
    assert dropped.X[1, 0, col] == 0
    assert kept.X[1, 0, col] > 0.5


# -- the engine's learned layer ------------------------------------------------------------------


def _context_model(themes: list[str]) -> ThemeModel:
    """A hand-made model that fires on the segment's story (s_last) as much as on own evidence."""
    d = len(FEATURE_NAMES)
    w = np.zeros(d)
    w[FEATURE_NAMES.index("bias")] = -3.0
    w[FEATURE_NAMES.index("own")] = 5.0
    w[FEATURE_NAMES.index("s_last")] = 5.0
    return ThemeModel(list(themes), w, np.zeros((len(themes), d)), np.zeros((len(themes), TEXT_DIM), np.float32),
                      {t: 0.5 for t in themes}, {t: 0.5 for t in themes})


def test_context_only_suggestions_score_below_own_evidence_and_say_where_they_come_from(tmp_path):
    with Project.create(tmp_path / "p.miv") as p:
        name = _import(p, tmp_path, "fg", [
            "Gespreksleider: Hoe gaat het op school?",
            "Student 1: Op stage werd ik gediscrimineerd vanwege mijn afkomst.",
            "Student 2: Dat gebeurde bij mij ook, elke week weer, en niemand deed er iets aan.",
        ])
        codes = p.codes()
        engine = Engine(codes, theme_model=_context_model([c.id for c in codes if not c.parent]), cold=True)
        (found,) = engine.run([p.transcript(name)])
    by_turn = {s.turn: s for s in found if s.code in ("discriminatie",) or s.code.startswith(("discrim", "racis"))
               or engine.index.theme.get(s.code) == "discriminatie"}
    own, context = by_turn[1], by_turn[2]
    assert OWN_BAND[0] <= own.score <= OWN_BAND[1] and CONTEXT_BAND[0] <= context.score < CONTEXT_BAND[1]
    assert context.score < own.score
    assert any(e.rule == "uit beurt 1" for e in context.evidence), context.evidence
    assert any(e.rule.startswith("model: ") for e in context.evidence)
    assert own.source in ("both", "model") and context.source == "model"


def test_the_engine_recomputes_when_its_code_or_model_changes(tmp_path):
    codes = load_codebook(default_codebook_path()).codes
    rules = Engine(codes)
    prior = Engine(codes, theme_model=default_model(), cold=True)
    trained = Engine(codes, theme_model=default_model(), cold=False)
    assert len({rules.fingerprint, prior.fingerprint, trained.fingerprint}) == 3


def test_the_shipped_prior_never_saw_a_sealed_set():
    model = default_model()
    assert model is not None, "mivcode/core/suggest/data/default_model.npz is missing"
    sealed = {"kustlijn", "heuvelrug", "lingewaard", "peelland", "wadden"}
    assert model.meta["sets"] and not sealed & set(model.meta["sets"])
    assert set(model.cold_threshold) == set(model.threshold) == set(model.themes)


# -- learning a team's convention -------------------------------------------------------------------

QUESTIONS = ["Gespreksleider: Hebben jullie wel eens discriminatie meegemaakt op stage of op school?",
             "Gespreksleider: Worden er op school wel eens mensen uitgescholden vanwege hun afkomst of geloof?",
             "Gespreksleider: Hoe gaan jullie om met racisme in de klas, zien jullie dat wel eens?"]
ANSWERS = ["Student 1: Ja, op mijn stage werd ik anders behandeld vanwege mijn afkomst.",
           "Student 2: Ze noemden hem een aap vanwege zijn huidskleur, dat vond ik heel erg.",
           "Student 3: Er werd gelachen om haar hoofddoek, echt elke dag."]
OTHER = ["Gespreksleider: Wat vinden jullie van de kantine?", "Student 1: De kantine is te klein en te duur.",
         "Gespreksleider: En het rooster?", "Student 2: Het rooster verandert steeds, dat is lastig."]


@pytest.fixture
def moderator_coding_team(tmp_path):
    """Four focus groups whose coder codes the moderator's questions about discrimination too."""
    rng = random.Random(7)
    p = Project.create(tmp_path / "team.miv")
    for n in range(5):
        lines = []
        for _ in range(4):
            lines += [rng.choice(QUESTIONS), rng.choice(ANSWERS), rng.choice(ANSWERS)] + rng.sample(OTHER, 2)
        _import(p, tmp_path, f"fg{n}", lines)
    for n in range(4):
        t = p.transcript(f"fg{n}")
        for u in t.turns:
            if any(t.turn_text(u) in line for line in QUESTIONS + ANSWERS):
                p.add_coding(t.name, u.index, "discriminatie", "ref")
    yield p
    p.close()


def _moderator_questions_suggested(p: Project, name: str) -> int:
    t = p.transcript(name)
    questions = {u.index for u in t.turns if u.speaker == "Gespreksleider" and "kantine" not in t.turn_text(u)
                 and "rooster" not in t.turn_text(u)}
    return len({s.turn for s in p.suggestions(name) if s.turn in questions})


def test_a_team_that_codes_moderator_questions_gets_them_suggested_after_training(moderator_coding_team):
    p = moderator_coding_team
    service.refresh_suggestions(p, ["fg4"])
    before = _moderator_questions_suggested(p, "fg4")
    service.train_model(p, "ref")
    service.refresh_suggestions(p, ["fg4"])
    after = _moderator_questions_suggested(p, "fg4")
    assert after >= 3 and after > before, (before, after)


def test_evaluate_learning_curve_on_a_small_coded_set(moderator_coding_team, tmp_path):
    path = str(moderator_coding_team.path)
    moderator_coding_team.close()
    r = CliRunner().invoke(main, ["evaluate", path, "--coder", "ref", "--learning-curve", "--json"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    macro = {row["method"]: row for row in rows if row["code"] == "macro"}
    assert {"rules", "prior", "team", "team k=1", "team k=2", "team k=3"} <= set(macro)
    assert macro["team k=1"]["turns"] == 3 * 20 and macro["team k=3"]["turns"] == 20  # tested on the rest
    assert macro["team"]["f1"] >= macro["rules"]["f1"]
    table = CliRunner().invoke(main, ["evaluate", path, "--coder", "ref", "--rules-only"])
    assert table.exit_code == 0 and "prior" not in table.output


def test_train_status_says_what_the_suggestions_rest_on(moderator_coding_team):
    path = str(moderator_coding_team.path)
    moderator_coding_team.close()
    runner = CliRunner()
    before = json.loads(runner.invoke(main, ["train", path, "--status", "--json"]).stdout)
    assert before["model"] == "prior"
    assert runner.invoke(main, ["train", path, "--coder", "ref"]).exit_code == 0
    after = json.loads(runner.invoke(main, ["train", path, "--status", "--json"]).stdout)
    assert after["model"] == "team" and after["coder"] == "ref" and after["transcripts"] == 4
