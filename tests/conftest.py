"""Shared fixtures: temporary projects on real files, isolated user config."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mivcode.core.project import Project

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "transcripts_example"
CODEBOOK = REPO / "codebooks" / "miv2023.yaml"

SMALL_CODEBOOK = """\
name: test
codes:
  - id: discriminatie
    label: Discriminatie
    color: "#c0392b"
    shortcut: "1"
    keywords: [discriminatie, racisme, discrimineren]
  - id: racisme
    label: Racisme
    parent: discriminatie
    color: "#e74c3c"
    shortcut: "r"
    keywords: [racisme, racist]
  - id: agressie_geweld
    label: Agressie en geweld
    color: "#e67e22"
    shortcut: "5"
    keywords: [slaan, vechten, mes]
  - id: geaccepteerde_onveiligheid
    label: Geaccepteerde onveiligheid
    color: "#7f8c8d"
    shortcut: "8"
    markers: [hoort erbij, normaal]
    requires: [agressie_geweld, discriminatie]
"""

SMALL_TRANSCRIPT = """\
Gespreksleider: Welkom allemaal. Voelen jullie je veilig op school?
Student 1: Ja, meestal wel. Racisme? Nee, dat speelt hier niet.
Student 2: Nou, bij mijn stage werd ik anders behandeld vanwege mijn afkomst.
Gespreksleider: Kun je daar meer over vertellen?
Student 2: Ze namen liever iemand anders aan, zeg maar.
Student 1: En op het plein wordt soms gevochten, maar dat hoort erbij.
Gespreksleider: Dank jullie wel.
"""


def dump(path: Path) -> list[str]:
    """Every table of a project file as SQL: compared before and after a refused action to prove nothing changed."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never read or write the developer's own config or data while testing."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("MIVCODE_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("MIVCODE_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("MIVCODE_CODER", "tester")


@pytest.fixture
def small_codebook(tmp_path: Path) -> Path:
    p = tmp_path / "codebook.yaml"
    p.write_text(SMALL_CODEBOOK, encoding="utf-8")
    return p


@pytest.fixture
def small_transcript(tmp_path: Path) -> Path:
    p = tmp_path / "fg_roc_studenten.txt"
    p.write_text(SMALL_TRANSCRIPT, encoding="utf-8")
    return p


@pytest.fixture
def project(tmp_path: Path, small_codebook: Path, small_transcript: Path):
    """A project with the small codebook and one imported transcript, `fg_roc_studenten`."""
    p = Project.create(tmp_path / "project.miv", small_codebook)
    p.import_files([small_transcript], overrides=None)
    yield p
    p.close()
