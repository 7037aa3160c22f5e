"""Texts the core reports while it works: the stages of slow work, shown by the UI's status line and the CLI."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "progress.suggest": ("suggesties berekenen", "computing suggestions"),
    "progress.save": ("opslaan", "saving"),
    "progress.read": ("transcripten lezen", "reading transcripts"),
    "progress.train": ("model trainen", "training the model"),
    "progress.done": ("klaar", "done"),
}
