"""Whole tables as plain rows, read-only: what agreement, consensus, merge and the exports read in one go.

Those work on every coding of a project (half a million in a big study) with
numpy or a single pass, so they want flat rows and the store's integer ids
rather than a dataclass per coding. `Project.bulk` hands out one of these; it
cannot write, so every change still goes through `Project` and its caches stay
right. Ids are the store's: valid while the project is open, never stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mivcode.core.store import exports, team
from mivcode.core.store.connection import ProjectStore

if TYPE_CHECKING:
    import numpy as np


class BulkReads:
    def __init__(self, store: ProjectStore):
        self._store = store

    # -- transcripts and turns ---------------------------------------------------------

    def transcript_index(self) -> list[tuple]:
        """(id, name, content_hash, length of text) of every transcript."""
        return team.transcript_index(self._store)

    def transcript_table(self, *, with_text: bool = True) -> list[dict]:
        """Every transcript with its metadata columns (and text), in report order."""
        return exports.transcript_table(self._store, with_text=with_text)

    def turn_bounds(self) -> list[tuple]:
        """(transcript_id, idx, start, end) of every turn, ordered per transcript."""
        return team.turn_bounds(self._store)

    def turn_table(self) -> dict[int, list[tuple]]:
        """Per transcript id, its turns as (idx, speaker, start, end, t_start, t_end) in order."""
        return exports.turn_table(self._store)

    def turn_speakers_and_texts(self) -> list[tuple]:
        """(transcript_id, idx, speaker, text) of every turn."""
        return team.turn_speakers_and_texts(self._store)

    def transcript_free_meta(self) -> dict[int, dict[str, str]]:
        """Per transcript id, its free metadata (a manifest's `moderator` column, say)."""
        return team.transcript_moderator_meta(self._store)

    # -- codings and memos -------------------------------------------------------------

    def coding_array(self) -> tuple[np.ndarray, dict[int, str], dict[int, str]]:
        """All codings as int64 [n, 5] (transcript_id, start, end, coder id, code rowid), with the names."""
        return team.coding_array(self._store)

    def coding_rows(self, coders: list[str] | None = None) -> list[tuple]:
        """(transcript_id, start, end, code_id, coder) of all codings (of `coders`)."""
        return team.coding_rows(self._store, coders)

    def coding_table(self, coder: str | None = None) -> list[tuple]:
        """(transcript_id, start, end, code_id, coder, origin, memo, created_at) in text order."""
        return exports.coding_table(self._store, coder)

    def full_coding_rows(self) -> list[tuple]:
        """(content hash, start, end, code, coder, origin, memo, created_at) of every coding."""
        return team.full_coding_rows(self._store)

    def coding_details(self) -> dict[tuple, tuple]:
        """(content hash, start, end, code, coder) -> (origin, memo) of every coding."""
        return team.coding_details(self._store)

    def turn_memo_table(self, *, with_dates: bool = False) -> list[tuple]:
        """(transcript_id, turn, coder, text) of every memo on a turn; `with_dates` adds created_at."""
        return exports.turn_memo_table(self._store, with_dates=with_dates)

    # -- provenance kept for the other tools --------------------------------------------

    def transcript_importers(self) -> dict[str, str]:
        """Content hash -> the coder who first brought the transcript into the project."""
        return exports.transcript_importers(self._store)

    def refi_source_guids(self) -> dict[str, str]:
        """Content hash -> the REFI-QDA source guid it was imported under, as the other tool spelled it."""
        return exports.refi_source_guids(self._store)

    def turn_memo_rows(self) -> list[tuple]:
        """(content hash, turn, coder, text) of every memo on a turn."""
        return team.turn_memo_rows(self._store)
