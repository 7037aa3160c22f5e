"""Code suggestions with real spaCy on real Dutch: rules, review state, learning, CLI contract."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from mivcode.core.exchange import codings_csv
from mivcode.cli import main
from mivcode.core.codebook import parse_codebook_text
from mivcode.core.errors import InputError
from mivcode.core.project import Project
from mivcode.core.suggest import service
from mivcode.core.suggest.dutch import is_moderator, match_key
from mivcode.core.suggest.pipeline import describe_pipeline, load_pipeline

WORDS_CODEBOOK = """\
name: woorden
codes:
  - id: pesten
    label: Pesten
    color: "#e67e22"
    keywords: [pesten, pester, treiteren]
  - id: geweld
    label: Geweld
    color: "#c0392b"
    keywords: [slaan, vechten, intimideren, mes]
  - id: discriminatie
    label: Discriminatie
    color: "#8e44ad"
    keywords: [discriminatie, racisme]
  - id: seksueel
    label: Seksueel
    color: "#16a085"
    keywords: [nafluiten, lastigvallen]
  - id: toetsing
    label: Toetsing
    color: "#2980b9"
    keywords: [nakijken]
  - id: docenten
    label: Docenten
    color: "#7f8c8d"
    keywords: [leraar, meisje]
"""


@pytest.fixture(scope="session")
def nlp_pipeline():
    """spaCy is loaded once for the whole session (lookups and all)."""
    return load_pipeline()


@pytest.fixture
def words_project(tmp_path: Path, nlp_pipeline):
    book, errors = parse_codebook_text(WORDS_CODEBOOK, "woorden.yaml")
    assert not errors
    p = Project.create(tmp_path / "w.miv", book)
    yield p
    p.close()


def add_transcript(p: Project, tmp_path: Path, name: str, lines: list[str]) -> str:
    f = tmp_path / f"{name}.txt"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p.import_files([f])
    return name


def suggestions_for(p: Project, tmp_path: Path, line: str) -> dict[str, object]:
    """What the codebook's rules suggest for one line (the vocabulary tests: which words the rules know).

    The learned layer is left out on purpose: on a transcript of one turn it has no conversation to read,
    and whether a hit is coded in context is what the learning tests measure.
    """
    name = add_transcript(p, tmp_path, f"t{abs(hash(line)) % 10**8}", [f"Student 1: {line}"])
    (found,) = service.engine_for(p, learned=False).run([p.transcript(name)])
    return {s.code: s for s in found}


# -- Dutch word forms --------------------------------------------------------------


def test_match_key_joins_inflections_and_derivations():
    pairs = [("pesters", "pesten"), ("leraren", "leraar"), ("meisjes", "meisje"), ("geslagen", "slaan"),
             ("intimidatie", "intimideren"), ("racisten", "racisme"), ("messen", "mes"), ("homofobe", "homofoob")]
    for form, keyword in pairs:
        assert match_key(form) == match_key(keyword), (form, keyword)
    assert match_key("moeder", lemmas={"pesten"}) == "moeder"  # no verb "moeden": not an agent noun


def test_moderator_names():
    assert is_moderator("Gespreksleider") and is_moderator("Interviewer") and is_moderator("moderator")
    assert not is_moderator("Student 2") and not is_moderator("Docent")


@pytest.mark.parametrize("line, code, rule", [
    ("Mijn werk werd nooit nagekeken.", "toetsing", "lemma"),
    ("De pesters stonden weer bij de ingang.", "pesten", None),
    ("De meisjes werden nagefloten op het plein.", "seksueel", "lemma"),
    ("Twee leraren zagen het gebeuren.", "docenten", None),
    ("Hij is gisteren geslagen bij de bushalte.", "geweld", None),
    ("Er was veel intimidatie in de kantine.", "geweld", "woordvorm"),
])
def test_lemmas_plurals_participles(words_project, tmp_path, line, code, rule):
    found = suggestions_for(words_project, tmp_path, line)
    assert code in found, (line, found)
    if rule:
        assert any(e.rule.startswith(rule) for e in found[code].evidence), found[code].evidence


@pytest.mark.parametrize("line, code", [
    ("Stagediscriminatie is echt een probleem bij ons.", "discriminatie"),
    ("Hij maakte weer een racismegrap in de les.", "discriminatie"),
    ("Er ging een pestfilmpje rond in de klas.", "pesten"),
    ("Iemand had een zakmes bij zich.", "geweld"),
])
def test_compounds(words_project, tmp_path, line, code):
    found = suggestions_for(words_project, tmp_path, line)
    assert code in found
    assert any(e.rule.startswith("samenstelling") for e in found[code].evidence)


def test_compound_rest_must_be_a_word(words_project, tmp_path):
    found = suggestions_for(words_project, tmp_path, "Die film was heel grappig en de pestosaus ook.")
    assert "pesten" not in found


@pytest.mark.parametrize("line, code", [
    ("Er is veel discrminatie op stage.", "discriminatie"),
    ("Ze gingen hem trieteren in de pauze.", "pesten"),
    ("Er was veel intimdatie in de gang.", "geweld"),
])
def test_typos(words_project, tmp_path, line, code):
    found = suggestions_for(words_project, tmp_path, line)
    assert code in found
    assert any(e.rule.startswith("spelling") for e in found[code].evidence)


def test_denial_stays_on_topic_and_evidence_offsets(project):
    service.refresh_suggestions(project)
    t = project.transcript("fg_roc_studenten")
    by_turn = {(s.turn, s.code): s for s in project.suggestions("fg_roc_studenten")}
    denial = by_turn[(1, "racisme")]  # "Racisme? Nee, dat speelt hier niet."
    assert denial.start == t.turns[1].start and denial.end == t.turns[1].end
    ev = denial.evidence[0]
    assert t.text[ev.start:ev.end] == ev.text == "Racisme"
    assert (1, "discriminatie") not in by_turn  # the sub-code is the most specific suggestion


def test_accepted_unsafety_composite(project):
    service.refresh_suggestions(project)
    by_turn = {(s.turn, s.code): s for s in project.suggestions("fg_roc_studenten")}
    s = by_turn[(5, "geaccepteerde_onveiligheid")]  # "… wordt soms gevochten, maar dat hoort erbij."
    rules = " ".join(e.rule for e in s.evidence)
    assert "marker" in rules and "agressie_geweld" in rules
    t = project.transcript("fg_roc_studenten")
    assert any(t.text[e.start:e.end] == "hoort erbij" for e in s.evidence)


def test_marker_alone_is_no_suggestion(words_project, tmp_path):
    book, _ = parse_codebook_text(WORDS_CODEBOOK + """\
  - id: geaccepteerd
    label: Geaccepteerd
    color: "#95a5a6"
    markers: [hoort erbij, normaal]
    requires: [geweld]
""", "x.yaml")
    words_project.apply_codebook(book)
    name = add_transcript(words_project, tmp_path, "norm", [
        "Student 1: Huiswerk hoort erbij, dat is normaal.",
        "Student 2: Klopt, gewoon elke week.",
        "Student 3: Op het plein wordt wel gevochten.",
        "Student 4: Ja, maar dat hoort erbij.",
    ])
    service.refresh_suggestions(words_project, [name])
    got = {(s.turn, s.code) for s in words_project.suggestions(name)}
    assert (0, "geaccepteerd") not in got
    assert (3, "geaccepteerd") in got  # marker answers the fight described in the turn before


def test_moderator_question_is_not_a_confident_suggestion(words_project, tmp_path):
    name = add_transcript(words_project, tmp_path, "mod", [
        "Gespreksleider: Wordt er hier ook gepest?",
        "Student 1: Nee hoor, niet echt.",
    ])
    service.refresh_suggestions(words_project, [name])
    assert not [s for s in words_project.suggestions(name) if s.turn == 0]


# -- review state and incremental recompute -----------------------------------------


def test_rejected_stays_rejected_and_accept_codes(project):
    service.refresh_suggestions(project)
    project.reject_suggestion("fg_roc_studenten", 1, "racisme", "tester")
    report = service.refresh_suggestions(project, force=True)
    assert report.recomputed == ["fg_roc_studenten"]
    statuses = {(s.turn, s.code): s.status for s in project.suggestions("fg_roc_studenten")}
    assert statuses[(1, "racisme")] == "rejected"
    coding = project.accept_suggestion("fg_roc_studenten", 5, "geaccepteerde_onveiligheid", "tester")
    assert coding is not None and coding.origin == "suggestion"
    assert project.undo("tester") is not None  # accepting is one undoable step


def test_incremental_recompute_after_codebook_change(project, small_codebook):
    first = service.refresh_suggestions(project)
    assert first.recomputed == ["fg_roc_studenten"] and first.added > 0
    project.reject_suggestion("fg_roc_studenten", 1, "racisme", "tester")
    service.refresh_suggestions(project)  # a review changes the keyword weights: recomputed once
    again = service.refresh_suggestions(project)
    assert again.skipped == ["fg_roc_studenten"] and not again.recomputed
    # a label change does not touch the rules
    book, _ = parse_codebook_text(small_codebook.read_text().replace("label: Racisme", "label: Racisme!"), "x")
    project.apply_codebook(book)
    assert service.refresh_suggestions(project).skipped == ["fg_roc_studenten"]
    # a new keyword: recomputed, old rows unchanged, the new evidence reopens the rejection
    text = small_codebook.read_text().replace("keywords: [racisme, racist]", "keywords: [racisme, racist, speelt]")
    book, _ = parse_codebook_text(text, "x")
    project.apply_codebook(book)
    r = service.refresh_suggestions(project)
    assert r.recomputed == ["fg_roc_studenten"] and r.unchanged > 0 and r.updated >= 1
    statuses = {(s.turn, s.code): s.status for s in project.suggestions("fg_roc_studenten")}
    assert statuses[(1, "racisme")] == "open"


def test_rejected_keywords_weigh_less(words_project, tmp_path):
    """Rejecting what one word triggers, again and again, stops it suggesting; accepting restores it."""
    name = add_transcript(words_project, tmp_path, "fb", [
        "Student 1: Die leraar was er ook.", "Student 2: Ja.", "Student 3: Weer die leraar.",
        "Student 4: Oké.", "Student 5: De leraar kwam later.", "Student 6: Prima.",
        "Student 7: Een andere leraar zei niks.",
    ])
    service.refresh_suggestions(words_project, [name])
    direct = {s.turn for s in words_project.suggestions(name)
              if s.code == "docenten" and not s.evidence[0].rule.startswith("context")}
    assert direct == {0, 2, 4, 6}
    for turn in (0, 2):
        words_project.reject_suggestion(name, turn, "docenten", "tester")
    report = service.refresh_suggestions(words_project, [name])
    assert report.recomputed == [name]
    left = {s.turn: s.status for s in words_project.suggestions(name) if s.code == "docenten"}
    assert left == {0: "rejected", 2: "rejected"}  # turns 4 and 6 no longer suggested; reviews kept


# -- learning -----------------------------------------------------------------------

SAFE = ["We hebben het vooral over het rooster gehad.", "De kantine is te klein.", "Ik fiets elke dag naar school.",
        "De lessen beginnen vaak te laat.", "Mijn stage bij de bakker was leuk.", "We hadden gisteren een toets."]
UNSAFE = ["Ze noemden hem een aap vanwege zijn huidskleur.", "Hij kreeg rare opmerkingen over zijn donkere huid.",
          "Op stage zeiden ze dat buitenlanders lui zijn.", "Ze maakten apengeluiden toen hij binnenkwam.",
          "Die opmerkingen over mijn afkomst doen pijn.", "Er werd gelachen om zijn accent en zijn kleur."]


@pytest.fixture
def coded_project(tmp_path, small_codebook):
    rng = random.Random(3)
    p = Project.create(tmp_path / "c.miv", small_codebook)
    for n in range(4):
        lines = []
        for i in range(10):
            lines.append(f"Student {i % 3 + 1}: {rng.choice(UNSAFE if i % 2 else SAFE)}")
        add_transcript(p, tmp_path, f"fg{n}", lines)
    for n in range(4):
        t = p.transcript(f"fg{n}")
        for u in t.turns:
            if u.index % 2:
                p.add_coding(t.name, u.index, "racisme", "ref")
    yield p
    p.close()


def test_train_then_suggest_and_evaluate(coded_project):
    stages = []
    report = service.train_model(coded_project, "ref", lambda s, f: stages.append((s, f)))
    assert report.coder == "ref" and "discriminatie" in report.labels and report.transcripts == 4
    assert stages and stages[-1][1] == 1.0 and all(0.0 <= f <= 1.0 for _, f in stages)
    assert service.stored_model(coded_project) is not None
    assert service.model_state(coded_project)["model"] == "team"
    refreshed = service.refresh_suggestions(coded_project)
    assert refreshed.source == "team" and len(refreshed.recomputed) == 4
    found = coded_project.suggestions("fg0")
    assert {s.source for s in found} <= {"rules", "model", "both"}
    assert any(s.source in ("model", "both") for s in found)
    assert all(any(e.rule.startswith("model: ") for e in s.evidence) for s in found if s.source != "rules")
    scores = service.evaluate(coded_project, "ref")
    methods = {s.method for s in scores}
    assert {"rules", "team"} <= methods
    macro = {s.method: s for s in scores if s.code == "macro"}
    assert 0.0 <= macro["rules"].recall <= 1.0
    # the team's model learns words the codebook lacks (aap, apengeluiden, buitenlanders)
    assert macro["team"].recall > macro["rules"].recall
    disc = next(s for s in scores if s.method == "team" and s.code == "discriminatie")
    assert disc.support == 20 and disc.turns == 40  # racisme codings rolled up to their theme; 4 x 10 turns


def test_train_without_codings_is_a_clear_error(project):
    with pytest.raises(InputError):
        service.train_model(project)


# -- the pipeline --------------------------------------------------------------------


def test_describe_blank_pipeline(nlp_pipeline):
    text = describe_pipeline(None)
    assert "nl" in text and "spacy-lookups-data" in text


def test_model_loading_path(tmp_path, nlp_pipeline):
    """A pipeline saved with nlp.to_disk loads through the configurable path, without its parser."""
    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    path = tmp_path / "nl_klein"
    nlp.to_disk(path)
    pipe = load_pipeline(str(path))
    assert str(path) in pipe.description
    assert pipe.nlp.pipe_names[-1] == "miv_normalizer"
    doc = pipe.nlp("De pesters werden geschorst.")
    assert doc[1].norm_ == match_key("pesten")
    assert "fout" in describe_pipeline(str(tmp_path / "bestaat_niet"))
    with pytest.raises(InputError):
        load_pipeline(str(tmp_path / "bestaat_niet"))


# -- CLI contract -----------------------------------------------------------------------


def test_cli_suggest_accept_reject_json(project):
    path = str(project.path)
    project.close()
    runner = CliRunner()
    r = runner.invoke(main, ["suggest", path, "--json"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert rows and set(rows[0]) == {"transcript", "turn", "start", "end", "code", "score", "evidence", "source", "status"}
    row = next(x for x in rows if x["code"] == "racisme")
    assert row["evidence"] == ["Racisme"] and row["status"] == "open" and 0 <= row["score"] <= 1
    assert runner.invoke(main, ["reject", path, "fg_roc_studenten", str(row["turn"]), "racisme"]).exit_code == 0
    r = runner.invoke(main, ["accept", path, "fg_roc_studenten", "5", "geaccepteerde_onveiligheid", "--coder", "anna"])
    assert r.exit_code == 0, r.output
    rows = {(x["turn"], x["code"]): x for x in map(json.loads, runner.invoke(main, ["suggest", path, "--json"]).stdout.splitlines())}
    assert rows[(row["turn"], "racisme")]["status"] == "rejected"
    assert rows[(5, "geaccepteerde_onveiligheid")]["status"] == "accepted"
    r = runner.invoke(main, ["accept", path, "fg_roc_studenten", "0", "racisme"])
    assert r.exit_code == 1 and "no suggestion" in r.stderr


def test_cli_import_codings_and_evaluate(project, tmp_path):
    path = str(project.path)
    project.close()
    runner = CliRunner()
    bad = tmp_path / "bad.csv"
    bad.write_text("transcript,turn,code\nfg_roc_studenten,1,racisme\nfg_roc_studenten,99,racisme\n", encoding="utf-8")
    r = runner.invoke(main, ["import-codings", path, str(bad), "--coder", "ref"])
    assert r.exit_code == 1 and "bad.csv:3" in r.stderr
    with Project.open(path) as p:
        assert p.codings(coder="ref") == []  # nothing written
    good = tmp_path / "good.csv"
    good.write_text("transcript,turn,code\nfg_roc_studenten,1,racisme\nfg_roc_studenten,5,agressie_geweld\n"
                    "fg_roc_studenten,5,geaccepteerde_onveiligheid\nfg_roc_studenten,2,discriminatie\n", encoding="utf-8")
    r = runner.invoke(main, ["import-codings", path, str(good), "--coder", "ref"])
    assert r.exit_code == 0 and "4 codering(en) geïmporteerd" in r.stdout
    r = runner.invoke(main, ["evaluate", path, "--coder", "ref", "--json", "--rules-only"])
    assert r.exit_code == 0, r.output
    rows = {(x["method"], x["code"]): x for x in map(json.loads, r.stdout.splitlines())}
    assert rows[("rules", "agressie_geweld")]["recall"] == 1.0
    assert rows[("rules", "discriminatie")]["support"] == 2
    assert ("rules", "macro") in rows
    r = runner.invoke(main, ["evaluate", path, "--coder", "niemand"])
    assert r.exit_code == 1


# -- moderators, the bundled codebook, the bundled examples -------------------------------

from mivcode.core.suggest.dutch import moderator_speakers  # noqa: E402


def test_moderator_by_metadata_initials_or_questions():
    speakers = ["Marloes Peters", "Bas", "Ilias", "Marloes Peters", "Bas"]
    texts = ["Hoe gaat het?", "Goed.", "Prima.", "En op stage?", "Ook goed."]
    assert moderator_speakers(speakers, texts, {"moderator": "MP"}) == {"Marloes Peters"}
    assert moderator_speakers(speakers, texts, {"moderator": "marloes peters"}) == {"Marloes Peters"}
    asks = ["Joost", "Milan", "Joost", "Rayan", "Joost", "Milan"]
    said = ["Wat gebeurde er?", "Ruzie.", "Waarom dan?", "Weet ik niet.", "En daarna?", "Niks."]
    assert moderator_speakers(asks, said) == {"Joost"}
    assert moderator_speakers(["Gespreksleider", "Student 1"], ["Welkom.", "Hoi."]) == {"Gespreksleider"}


def test_moderator_named_by_name_is_down_weighted(words_project, tmp_path):
    name = add_transcript(words_project, tmp_path, "named", [
        "Joost Hendriks: Welkom. Wordt er hier gepest?",
        "Milan: Nee, niet echt.",
        "Joost Hendriks: En wordt er gevochten?",
        "Rayan: Soms wel, na school bij de bushalte.",
        "Joost Hendriks: Wat doen jullie dan?",
        "Milan: Weglopen.",
    ])
    service.refresh_suggestions(words_project, [name])
    assert not [s for s in words_project.suggestions(name) if s.turn in (0, 2, 4)]
    assert any(s.turn == 3 and s.code == "geweld" for s in words_project.suggestions(name))  # the answer


def test_bundled_codebook_compiles_and_expanded_patterns_match_like_the_matcher(nlp_pipeline):
    from spacy.matcher import Matcher

    from mivcode.core.codebook import default_codebook_path, load_codebook
    from mivcode.core.suggest.rules import RuleSet, _expand

    book = load_codebook(default_codebook_path())
    rules = RuleSet(nlp_pipeline.nlp, book.codes)
    assert len(rules.entries) > 300
    sentences = ["Ik werd gepest vanwege mijn afkomst.", "Ze lachten me uit en scholden me uit.",
                 "Hij bleef aan me zitten, ik durf het niet te melden.", "Het speelt hier niet echt.",
                 "Ze floten me na en staarden naar me."]
    for code in book.codes:
        for pattern in code.patterns:
            if _expand(pattern) is None:
                continue
            m = Matcher(nlp_pipeline.nlp.vocab)
            m.add("p", [pattern])
            for text in sentences:
                doc = nlp_pipeline.nlp(text)
                want = {(s, e) for _, s, e in m(doc)}
                got = {(h.start, h.end) for h in rules.match(doc) if h.kind == "patroon" and h.code == code.id}
                assert {(doc[s:e].start_char, doc[s:e].end_char) for s, e in want} <= got, (code.id, text)


def test_pipeline_with_its_own_lemmatizer_matches_token_by_token_like_the_lookup_path(tmp_path, nlp_pipeline):
    """A trained pipeline's lemma of a word can differ per sentence, so there the matcher checks each token
    instead of deciding once per word form; where the lemmas are the same, both ways find the same hits."""
    from mivcode.core.codebook import default_codebook_path, load_codebook
    from mivcode.core.suggest.rules import RuleSet

    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.to_disk(tmp_path / "nl_lemma")
    model = load_pipeline(str(tmp_path / "nl_lemma"))
    book = load_codebook(default_codebook_path())
    per_token = RuleSet(model.nlp, book.codes)
    assert per_token.contextual_lemmas and not RuleSet(nlp_pipeline.nlp, book.codes).contextual_lemmas
    per_form = RuleSet(model.nlp, book.codes)
    per_form.contextual_lemmas = False
    turns = ["Ik werd gepest vanwege mijn afkomst.", "Ze lachten me uit en scholden me uit.",
             "Hij bleef aan me zitten, ik durf het niet te melden.", "Die stagediscriminatie is echt erg.",
             "Er ging een pestfilmpje rond in de groepsapp.", "Dat hoort er gewoon bij, je went eraan.",
             "Ze floten me na en die discrimminatie ook.", "Nee."]
    text = " ".join(turns)
    spans, pos = [], 0
    for t in turns:
        spans.append((pos, pos + len(t)))
        pos += len(t) + 1
    def hits(rules):
        return [sorted((h.code, h.start, h.end, h.kind) for h in turn)
                for turn in rules.match_segments(model.nlp(text), spans, text)]
    got = hits(per_token)
    assert got == hits(per_form)
    assert sum(map(len, got)) >= 10 and not got[-1]
    for turn, found in zip(turns, per_token.match_segments(model.nlp(text), spans, text)):
        assert all(turn[h.start:h.end] == h.text for h in found)


@pytest.mark.skipif(not (Path(__file__).parent.parent / "transcripts_example" / "reference_codings.csv").exists(),
                    reason="bundled examples not present")
def test_bundled_examples_rules_find_most_coded_themes(tmp_path, nlp_pipeline):
    """A regression guard on the bundled examples (not a target: see benchmarks and the report)."""
    examples = Path(__file__).parent.parent / "transcripts_example"
    p = Project.create(tmp_path / "ex.miv")
    try:
        p.import_files([], manifest=examples / "manifest.csv")
        assert codings_csv.import_codings(p, examples / "reference_codings.csv", "ref") > 300
        scores = service.evaluate(p, "ref", with_model=False)
        macro = next(s for s in scores if s.code == "macro")
        assert macro.recall >= 0.7 and macro.precision >= 0.45, macro
        assert len([s for s in scores if s.code != "macro"]) == 8  # the eight themes
    finally:
        p.close()


def test_training_in_a_worker_thread_does_not_block_coding(coded_project):
    """The UI trains in a thread worker: the researcher keeps coding meanwhile (no long transaction)."""
    import threading

    errors: list[BaseException] = []

    def work():
        try:
            service.train_model(coded_project, "ref", epochs=10)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    toggles = 0
    while worker.is_alive() or toggles < 2:
        coded_project.toggle_code("fg1", 0, "agressie_geweld", "anna")  # commits at once
        toggles += 1
    worker.join()
    assert not errors and toggles >= 2
    assert service.stored_model(coded_project) is not None


# -- general mechanisms: split separable verbs, participles of loanwords ------------------------

VERBS_CODEBOOK = """\
name: werkwoorden
codes:
  - id: schelden
    label: Schelden
    color: "#c0392b"
    keywords: [uitschelden, uitlachen]
  - id: nafluiten
    label: Nafluiten
    color: "#16a085"
    keywords: [nafluiten, aanraken, opwachten]
  - id: online
    label: Online
    color: "#2980b9"
    keywords: [screenshot, hack, app, geld]
  - id: zwijgen
    label: Zwijgen
    color: "#7f8c8d"
    keywords: ["mond houden", "thuis voelen", "stage vinden"]
"""


@pytest.fixture
def verbs_project(tmp_path: Path, nlp_pipeline):
    book, errors = parse_codebook_text(VERBS_CODEBOOK, "werkwoorden.yaml")
    assert not errors
    p = Project.create(tmp_path / "v.miv", book)
    yield p
    p.close()


@pytest.mark.parametrize("line, code, span", [
    ("Die gasten schelden ons elke ochtend uit bij het hek.", "schelden", "schelden ons elke ochtend uit"),
    ("Als je langs de bankjes loopt fluiten ze je gewoon na.", "nafluiten", "fluiten ze je gewoon na"),
    ("Hij raakte haar op het feest steeds aan en zij wilde dat niet.", "nafluiten", "raakte haar op het feest steeds aan"),
    ("Ze lachten mijn broertje de hele les uit, maar de docent deed niks.", "schelden", None),
])
def test_split_separable_verb_matches_with_exact_offsets(verbs_project, tmp_path, line, code, span):
    found = suggestions_for(verbs_project, tmp_path, line)
    assert code in found, (line, found)
    if span:
        t = verbs_project.transcript(found[code].transcript)
        ev = [e for e in found[code].evidence if e.text == span]
        assert ev, found[code].evidence
        assert t.text[ev[0].start:ev[0].end] == span


@pytest.mark.parametrize("line", [
    "Ik wacht op de bus na school.",                # op is a preposition here, not the particle
    "Ik raak de weg kwijt aan het eind van de gang.",  # aan not last in its clause
])
def test_preposition_is_no_separated_particle(verbs_project, tmp_path, line):
    found = suggestions_for(verbs_project, tmp_path, line)
    assert "nafluiten" not in found, found


@pytest.mark.parametrize("line", [
    "Mijn bericht in de klassengroep werd meteen gescreenshot.",
    "Mijn Insta is vorige maand gehackt.",
    "Hij heeft me de hele nacht geappt.",
])
def test_participle_of_a_loanword_keyword(verbs_project, tmp_path, line):
    found = suggestions_for(verbs_project, tmp_path, line)
    assert "online" in found, (line, found)


def test_participle_is_no_compound_with_a_keyword_head(verbs_project, tmp_path):
    # geregeld = ge|regel|d, not gere|geld
    found = suggestions_for(verbs_project, tmp_path, "Dat hebben we met de mentor goed geregeld.")
    assert "online" not in found, found


@pytest.mark.parametrize("line, span", [
    ("Na die ruzie hield ik in de les gewoon mijn mond.", "hield ik in de les gewoon mijn mond"),
    ("Eerlijk gezegd voel ik me op deze locatie niet thuis.", "voel ik me op deze locatie niet thuis"),
])
def test_noun_verb_phrase_in_verb_second_order(verbs_project, tmp_path, line, span):
    found = suggestions_for(verbs_project, tmp_path, line)
    assert "zwijgen" in found, (line, found)
    t = verbs_project.transcript(found["zwijgen"].transcript)
    ev = [e for e in found["zwijgen"].evidence if e.text == span]
    assert ev and t.text[ev[0].start:ev[0].end] == span, found["zwijgen"].evidence


def test_verb_second_leaves_out_verbs_of_opinion(verbs_project, tmp_path):
    # "stage vinden" (find a placement) is not "ik vind stage leuk" (I think)
    found = suggestions_for(verbs_project, tmp_path, "Ik vind stage eigenlijk best leuk.")
    assert "zwijgen" not in found, found


# -- one behaviour, one code (codebook rule 4) -------------------------------------------------

@pytest.fixture
def miv_project(tmp_path: Path, nlp_pipeline):
    from mivcode.core.codebook import default_codebook_path, load_codebook

    p = Project.create(tmp_path / "miv.miv", load_codebook(default_codebook_path()))
    yield p
    p.close()


def test_generic_theme_is_derived_from_the_exclude_texts():
    from mivcode.core.codebook import default_codebook_path, load_codebook
    from mivcode.core.suggest.scoring import CodeIndex

    index = CodeIndex(load_codebook(default_codebook_path()).codes)
    assert index.generic == "agressie_geweld"
    assert index.yields_to == {"online_veiligheid", "lhbtiq", "discriminatie", "seksueel_grensoverschrijdend"}
    book, errors = parse_codebook_text(WORDS_CODEBOOK, "woorden.yaml")  # no exclude texts: no generic theme
    assert CodeIndex(book.codes).generic is None


ONLINE = {"online_veiligheid", "delen_beelden", "online_pesten", "online_bedreiging", "oplichting_hacken"}
AGGRESSION = {"agressie_geweld", "fysiek_geweld", "verbale_agressie", "bedreiging", "wapens", "pesten"}


def test_online_threat_is_not_also_offline_aggression(miv_project, tmp_path):
    found = suggestions_for(miv_project, tmp_path, "Gisteravond kreeg ik via Snapchat een bericht: ik ga je pakken morgen.")
    assert ONLINE & set(found), found
    assert not AGGRESSION & set(found), found


def test_aggression_with_more_than_one_word_stays_next_to_online(miv_project, tmp_path):
    found = suggestions_for(miv_project, tmp_path,
                            "Hij sloeg en schopte die jongen in de kantine en daarna stond het filmpje op TikTok.")
    assert "fysiek_geweld" in found, found
    assert ONLINE & set(found), found


@pytest.mark.parametrize("line, code", [
    ("In die winkel kijken ze me aan alsof ik iets ga jatten.", "discriminatie"),
    ("Bij de kluisjes zat hij steeds aan me, ook toen ik nee zei.", "ongewenste_aanraking"),
    ("Eerlijk gezegd heb ik niet het idee dat ik er echt bij hoor.", "erbij_horen"),
    ("In mijn stageteam hoor je er meteen bij.", "erbij_horen"),
    ("En dan vragen ze: nee, maar waar kom je écht vandaan?", "racisme"),
    ("In de kantine ging het bijna op matten.", "agressie_geweld"),
    ("Ik hou me in de les maar in, anders krijg je gedoe.", "zelfcensuur"),
    ("Hij is gewoon genegeerd door de hele klas.", "pesten"),
    ("Er wordt gefloten en geroepen, maar zolang ze niet aan me zitten vind ik het prima.", "normalisering"),
    ("Als ik een meisje voorstel dat bedekt is, dan zitten ze ineens vol.", "stagediscriminatie"),
    ("Bij de ingang krijgen de jongens met een kleurtje altijd als eerste een opmerking.", "racisme"),
    ("Incidenten hebben we hier eigenlijk niet, denk ik.", "ontkenning"),
    ("Ik stel haar voor en dan zitten ze ineens vol.", "stagediscriminatie"),
    ("Een gast legde bij het afrekenen zijn hand op mijn onderrug.", "ongewenste_aanraking"),
    ("Mannen die vanaf een terras achter je aan roepen.", "nastaren_nafluiten"),
    ("Eerlijk? Ik hoor er niet echt bij in die klas.", "erbij_horen"),
])
def test_bundled_codebook_patterns_for_everyday_phrasings(miv_project, tmp_path, line, code):
    found = suggestions_for(miv_project, tmp_path, line)
    assert code in found, (line, found)


def test_normalising_marker_as_a_split_separable_verb(miv_project, tmp_path):
    """A marker said the way people say it: 'aanstellen' as 'stel je niet zo aan'."""
    found = suggestions_for(miv_project, tmp_path,
                            "Ze schelden je de hele dag uit en dan zeggen ze: stel je niet zo aan.")
    assert "normalisering" in found, found
    assert any(e.rule == "marker: aanstellen" and e.text == "stel je niet zo aan"
               for e in found["normalisering"].evidence), found["normalisering"].evidence


def test_sentence_final_word_that_spacy_lists_as_an_abbreviation(nlp_pipeline):
    """spaCy's Dutch exceptions keep 'vol.', 'me.', 'hand.' whole as abbreviations; in speech they end sentences."""
    words = [t.text for t in nlp_pipeline.nlp("Dan zitten ze ineens vol. Hij zat aan me. Bijv. vandaag.")]
    assert words[:6] == ["Dan", "zitten", "ze", "ineens", "vol", "."]
    assert "me" in words and "bijv." in [w.lower() for w in words]


def test_split_separable_verb_needs_a_verb(miv_project, tmp_path):
    """'de hele dag uit' is a noun and a particle, not 'uitdagen'; the verb of 'ze lachten hem uit' is
    uitlachen (bullying), not the normalising marker 'lachen'."""
    found = suggestions_for(miv_project, tmp_path, "Ze lachten hem de hele dag uit.")
    assert "pesten" in found and "normalisering" not in found, found
    evidence = [e.rule for s in suggestions_for(miv_project, tmp_path, "Ze schelden je de hele dag uit.").values()
                for e in s.evidence]
    assert "woordvorm: uitdagen" not in evidence, evidence


def test_normalising_hoort_erbij_is_not_belonging(miv_project, tmp_path):
    found = suggestions_for(miv_project, tmp_path, "Ze zeggen dat het er gewoon bij hoort, dat geroep.")
    assert "erbij_horen" not in found, found


def test_suggestions_do_not_depend_on_the_hash_seed(tmp_path):
    """A rejection is kept by the evidence fingerprint: it must be the same in every process."""
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json\n"
        "from mivcode.core.codebook import default_codebook_path, load_codebook\n"
        "from mivcode.core.suggest.engine import Engine\n"
        "from mivcode.core.importers.turn_builder import Segment, build_transcript\n"
        "t = build_transcript('t', [Segment('Student 1', 'Hij schreeuwne en dreigdde en discrimineerdde iedereen.')])\n"
        "e = Engine(load_codebook(default_codebook_path()).codes)\n"
        "(a,) = e.analyse([t])\n"
        "print(json.dumps(sorted((s.code, s.fingerprint, [x.rule for x in s.evidence]) for s in e.suggest(a))))\n"
    )
    outs = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.add(subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                                check=True).stdout)
    assert len(outs) == 1 and json.loads(outs.pop())


def test_suggest_force_recomputes_and_keeps_reviews(tmp_path, small_codebook, small_transcript):
    from click.testing import CliRunner

    from mivcode.cli import main

    path = tmp_path / "p.miv"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(path), "--codebook", str(small_codebook)]).exit_code == 0
    assert runner.invoke(main, ["import", str(path), str(small_transcript)]).exit_code == 0
    first = runner.invoke(main, ["suggest", str(path), "--json"])
    rows = [json.loads(x) for x in first.stdout.splitlines()]
    assert rows
    r = rows[0]
    assert runner.invoke(main, ["reject", str(path), r["transcript"], str(r["turn"]), r["code"]]).exit_code == 0
    assert "1 transcript(en) herberekend" in runner.invoke(main, ["suggest", str(path), "--force"]).stderr
    again = runner.invoke(main, ["suggest", str(path), "--json"])
    after = {(x["turn"], x["code"]): x["status"] for x in map(json.loads, again.stdout.splitlines())}
    assert after[(r["turn"], r["code"])] == "rejected"
    quiet = runner.invoke(main, ["suggest", str(path)])
    assert "0 transcript(en) herberekend, 1 ongewijzigd" in quiet.stderr


@pytest.mark.parametrize("line", ["Dat slaat echt helemaal nergens op.", "Waar slaat dat nou op?",
                                  "We liepen met de hele klas de trap op.",
                                  "Mijn mentor gaf me een duwtje in de rug voor mijn stage."])
def test_idioms_are_no_evidence(miv_project, tmp_path, line):
    """'Dat slaat nergens op' means 'that makes no sense', 'de trap op' are the stairs: no violence."""
    assert "fysiek_geweld" not in suggestions_for(miv_project, tmp_path, line)


@pytest.mark.parametrize("line", ["Hij sloeg me zomaar in mijn gezicht.", "Hij gaf me een trap tegen mijn been.",
                                  "Ze hebben hem van de trap geduwd."])
def test_behaviour_next_to_an_idiom_still_counts(miv_project, tmp_path, line):
    assert "fysiek_geweld" in suggestions_for(miv_project, tmp_path, line)


@pytest.mark.parametrize("line, code", [("Ik kom met de bus, dat is ongeveer drie kwartier reizen.", "verbale_agressie"),
                                        ("Mijn oom werkt bij de politie, daarom wil ik dat ook.", "agressie_geweld"),
                                        ("Het tweede uur is uitgevallen, dus we gingen eerder naar huis.", "verbale_agressie"),
                                        ("Vanochtend viel de trein weer uit, lekker.", "delen_beelden"),
                                        ("Er komt een vaste klant voor een behandeling.", "discriminatie_geloof"),
                                        ("We moeten alles vastleggen voor ons portfolio.", "discriminatie_geloof"),
                                        ("Na gym moeten de matten terug in het hok.", "agressie_geweld"),
                                        ("Mijn maat zei dat ook al.", "agressie_geweld"),
                                        ("De inhoud van de les was best saai.", "zelfcensuur"),
                                        ("Moeten we de stoelen nog terugzetten?", "gelijke_kansen"),
                                        ("Ik ben dol op paarden.", "normalisering"),
                                        ("Je wordt hier niet echt een nummer, iedereen kent je.", "ontkenning"),
                                        ("Ik ben donker, snap je, maar dat is niet het punt.", "online_veiligheid"),
                                        ("Hij gaf een hoop commentaar op mijn verslag.", "online_veiligheid"),
                                        ("Eerst had ik een andere leerbaan, bij een garage.", "stagediscriminatie"),
                                        ("Hij heeft me uitgemaakt voor alles wat mooi en lelijk is.", "lhbtiq"),
                                        ("De stagekleding en de schoenen kosten best veel.", "stagediscriminatie"),
                                        ("In die ene klas klapte het meteen, twee groepen.", "fysiek_geweld"),
                                        ("We moeten oppassen dat we niet alles daarop gooien.", "zelfcensuur"),
                                        ("Onze studenten zijn voor zeventig procent van kleur.", "racisme"),
                                        ("Dat tikt echt aan van een leerlingsalaris.", "oplichting_hacken"),
                                        ("Ik heb een poster gezien bij de kantine.", "online_veiligheid"),
                                        ("De chef komt achter je staan als je aan het snijden bent.", "melden_en_steun")])
def test_everyday_words_that_only_look_like_behaviour(miv_project, tmp_path, line, code):
    """kwar|tier is no compound of tieren, the police as a career is no incident, a lesson that is
    'uitgevallen' was cancelled; a keyword's stem that is another everyday word (lekker ~ lekken,
    vaste ~ vasten, maat ~ matten, inhoud ~ inhouden, dol ~ dollen) is no evidence."""
    assert code not in suggestions_for(miv_project, tmp_path, line)


def test_police_called_in_is_still_aggression(miv_project, tmp_path):
    assert "agressie_geweld" in suggestions_for(miv_project, tmp_path, "Het liep uit de hand en toen kwam de politie erbij.")


@pytest.mark.parametrize("line, code", [("We geven les in blokken van vier weken en ik moet nog blokken voor de toets.",
                                         "online_bedreiging"),
                                        ("Veel studenten lopen stage bij de kinderopvang.", "melden_en_steun")])
def test_school_words_are_no_behaviour(miv_project, tmp_path, line, code):
    """'blokken' is also cramming and a block of lessons; kinder|opvang is no compound of 'opgevangen'."""
    assert code not in suggestions_for(miv_project, tmp_path, line)


def test_blocking_someone_is_still_online(miv_project, tmp_path):
    assert "online_bedreiging" in suggestions_for(miv_project, tmp_path, "Hij bleef maar berichten sturen, dus ik heb hem geblokt.")


def test_a_greeting_is_not_feeling_welcome(miv_project, tmp_path):
    """Every focus group opens with 'welkom': that is no theme for the answers that follow."""
    name = add_transcript(miv_project, tmp_path, "begroeting", [
        "Gespreksleider: Goedemiddag, welkom allemaal. Fijn dat jullie er zijn.",
        "Student 1: Dank je. Ik zit in het tweede jaar van de opleiding logistiek en loop nu stage.",
        "Student 2: Maar in mijn klas voel ik me eigenlijk nooit welkom, ik zit altijd alleen.",
    ])
    service.refresh_suggestions(miv_project, [name])
    by_turn = {(s.turn, s.code) for s in miv_project.suggestions(name)}
    assert (1, "erbij_horen") not in by_turn and (2, "erbij_horen") in by_turn


@pytest.mark.parametrize("line, code", [
    ("Ik word altijd als eerste beschuldigd als er iets kwijt is, omdat ik zwart ben.", "racisme"),
    ("Die jongen werd de hele tijd aap genoemd door een paar uit de klas.", "racisme"),
    ("Hij bleef me maar DM'en, ook nadat ik zei dat hij moest stoppen.", "online_veiligheid"),
    ("Een student gooide een stoel naar de docent toen hij boos werd.", "fysiek_geweld"),
    ("De docent durft het onderwerp niet aan te kaarten, bang voor ruzie.", "discussies_met_gevolgen"),
])
def test_constructions_students_use(miv_project, tmp_path, line, code):
    """The reason someone names ('omdat ik zwart ben'), a slur by what it is called, a verb made of an app
    word, a noun + verb phrase in speaking order, a topic left alone."""
    from mivcode.core.codebook import default_codebook_path, load_codebook, top_level_of

    by_id = {c.id: c for c in load_codebook(default_codebook_path()).codes}
    found = suggestions_for(miv_project, tmp_path, line)
    assert code in found or top_level_of(by_id, code) in {top_level_of(by_id, c) for c in found}, found


def test_aap_is_no_app(miv_project, tmp_path):
    """Spelling folds 'aap' and 'app' to the same key; only the written app words count as online."""
    found = suggestions_for(miv_project, tmp_path, "Hij noemde haar een aap, waar iedereen bij stond.")
    assert "online_veiligheid" not in found
