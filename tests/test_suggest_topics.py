"""Topic continuation: a follow-up turn without keywords keeps the theme of the conversation.

Dialogues written for these tests (not from the bundled examples), run through real spaCy and the
whole suggestion path; the codebook is small so that only the words below can carry a theme.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mivcode.core.codebook import parse_codebook_text
from mivcode.core.project import Project
from mivcode.core.suggest import service
from mivcode.core.suggest.scoring import _substantive

CODEBOOK = """\
name: onderwerpen
codes:
  - id: pesten
    label: Pesten
    color: "#e67e22"
    keywords: [pesten, uitschelden, treiteren]
  - id: discriminatie
    label: Discriminatie
    color: "#8e44ad"
    keywords: [discriminatie, racisme, afkomst]
  - id: online
    label: Online
    color: "#2980b9"
    keywords: [groepsapp, instagram, screenshot]
"""


@pytest.fixture
def topics_project(tmp_path: Path):
    book, errors = parse_codebook_text(CODEBOOK, "onderwerpen.yaml")
    assert not errors
    p = Project.create(tmp_path / "o.miv", book)
    yield p
    p.close()


def themes_per_turn(p: Project, tmp_path: Path, name: str, lines: list[str]) -> list[set[str]]:
    f = tmp_path / f"{name}.txt"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p.import_files([f])
    service.refresh_suggestions(p, [name])
    out: list[set[str]] = [set() for _ in lines]
    for s in p.suggestions(name):
        out[s.turn].add(s.code)
    return out


def test_follow_up_without_keywords_keeps_the_topic_across_a_follow_up_question(topics_project, tmp_path):
    turns = themes_per_turn(topics_project, tmp_path, "volgvraag", [
        "Gespreksleider: Hoe gaat het met elkaar omgaan in jullie klas?",
        "Student 1: Er is een jongen die door de halve klas wordt getreiterd, elke pauze weer.",
        "Gespreksleider: En wat hebben jullie toen gedaan?",
        "Student 2: Eigenlijk niets. Niemand durfde naar de mentor te stappen.",
    ])
    assert "pesten" in turns[1]                       # said in so many words
    assert turns[3] == {"pesten"}                     # no keyword, but the topic is still the bullying


def test_first_person_reaction_inherits_the_topic_of_a_moderator_question(topics_project, tmp_path):
    turns = themes_per_turn(topics_project, tmp_path, "vraag", [
        "Gespreksleider: Merken jullie iets van racisme op school?",
        "Student 1: Ik heb zelf meegemaakt dat een docent mij anders behandelde dan mijn klasgenoten.",
    ])
    assert turns[0] == set()                          # the moderator's own turn is not suggested
    assert "discriminatie" in turns[1]


def test_a_new_moderator_question_ends_the_topic(topics_project, tmp_path):
    turns = themes_per_turn(topics_project, tmp_path, "wissel", [
        "Gespreksleider: Hoe gaat het met elkaar omgaan in jullie klas?",
        "Student 1: Er is een jongen die door de halve klas wordt getreiterd, elke pauze weer.",
        "Gespreksleider: Hoe laat beginnen de lessen op maandag?",
        "Student 2: Meestal om half negen, behalve als de eerste docent ziek is.",
    ])
    assert "pesten" in turns[1]
    assert turns[3] == set()


def test_a_moderator_question_about_another_theme_switches_the_topic(topics_project, tmp_path):
    turns = themes_per_turn(topics_project, tmp_path, "ander_thema", [
        "Student 1: Er is een jongen die door de halve klas wordt getreiterd, elke pauze weer.",
        "Gespreksleider: En in de groepsapp van de klas, hoe gaat het daar?",
        "Student 2: Daar worden soms foto's van mensen gedeeld zonder te vragen.",
    ])
    assert "online" in turns[2]
    assert "pesten" not in turns[2]


def test_a_backchannel_does_not_get_the_topic(topics_project, tmp_path):
    turns = themes_per_turn(topics_project, tmp_path, "instemming", [
        "Gespreksleider: Hoe gaat het met elkaar omgaan in jullie klas?",
        "Student 1: Er is een jongen die door de halve klas wordt getreiterd, elke pauze weer.",
        "Gespreksleider: En wat hebben jullie toen gedaan?",
        "Student 2: Ja, klopt.",
        "Student 3: Nee hoor, echt niet.",
    ])
    assert turns[3] == set()
    assert turns[4] == set()


def test_the_topic_fades_over_many_turns(topics_project, tmp_path):
    lines = [
        "Gespreksleider: Hoe gaat het met elkaar omgaan in jullie klas?",
        "Student 1: Er is een jongen die door de halve klas wordt getreiterd, elke pauze weer.",
        "Gespreksleider: En wat hebben jullie toen gedaan?",
    ] + [f"Student {k}: Ik weet niet meer precies wat ik op dag {k} heb gezegd." for k in range(2, 9)]
    turns = themes_per_turn(topics_project, tmp_path, "vervaagt", lines)
    assert "pesten" in turns[3]
    assert turns[-1] == set()


@pytest.mark.parametrize("text, expected", [
    ("Ja.", False),
    ("Ja, klopt.", False),
    ("Nee, is goed.", False),
    ("Ja hoor, dat was zo.", False),
    ("Twee keer pech? Dat geloof je toch zelf niet.", True),
    ("Dat herken ik wel, bij mijn oude school ook.", True),
])
def test_backchannels_are_not_substantive(text, expected):
    assert _substantive(text) is expected


def test_an_introduction_that_lists_the_themes_gives_them_to_nobody(topics_project, tmp_path):
    """The moderator opens by naming what the group will be about; the round of introductions that follows
    is about none of it."""
    turns = themes_per_turn(topics_project, tmp_path, "intro", [
        "Gespreksleider: Welkom allemaal. We praten vandaag over pesten, discriminatie en de groepsapp. "
        "Alles blijft anoniem. Zullen we beginnen met een voorstelrondje?",
        "Student 1: Ik ben Daan, ik zit in het tweede jaar van de opleiding ICT en ik woon in Enschede.",
        "Student 2: Ik ben Fatima, ik doe verpleegkunde en ik werk ernaast in een supermarkt.",
    ])
    assert turns[1] == set() and turns[2] == set()


def test_a_question_after_a_thank_you_opens_its_topic(topics_project, tmp_path):
    turns = themes_per_turn(topics_project, tmp_path, "dank", [
        "Gespreksleider: Dank je wel. En hoe zit het met discriminatie hier op school?",
        "Student 1: Nou, ik heb zelf gemerkt dat sommige docenten anders tegen ons praten dan tegen de rest.",
    ])
    assert "discriminatie" in turns[1]


def test_a_question_pointing_back_asks_about_what_came_before_it(topics_project, tmp_path):
    turns = themes_per_turn(topics_project, tmp_path, "terug", [
        "Gespreksleider: Je vertelde net over die groepsapp. Hoe ging dat daarna verder?",
        "Student 1: Ze hebben me er uiteindelijk uitgegooid en daarna sprak niemand meer met me.",
    ])
    assert "online" in turns[1]


def test_one_introduction_is_not_the_topic_of_the_next(topics_project, tmp_path):
    """In the round of introductions a participant who names a theme about themselves does not hand it to
    the next introductions; after the round, the conversation's own topics work as before."""
    themes = themes_per_turn(topics_project, tmp_path, "voorstelrondje", [
        "Gespreksleider: Welkom allemaal. Zullen we eerst een rondje doen? Je voornaam en je opleiding.",
        "Student 1: Ik ben Sem, ICT niveau 4. Ik zit ook in de groepsapp van de klas, daar gebeurt van alles.",
        "Student 2: Ik ben Noor, ook ICT. Ik woon in Almere en ik reis elke dag met de trein hierheen.",
        "Gespreksleider: Dank je. En jij?",
        "Student 3: Daan, software development, eerste jaar. Ik heb hiervoor havo gedaan, maar dat liep niet.",
        "Gespreksleider: Mooi. Hoe voelen jullie je hier op school, en gebeurt er weleens iets in de groepsapp?",
        "Student 1: Vorige week zette iemand een screenshot van een meisje in de groepsapp, met rotopmerkingen.",
        "Student 2: Ja, en daarna werd het alleen maar erger, iedereen ging erop reageren en zij zei niks meer.",
    ])
    assert "online" in themes[1]
    assert themes[2] == set() and themes[4] == set(), themes
    assert "online" in themes[6] and "online" in themes[7], themes
