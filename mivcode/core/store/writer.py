"""What operations do to the file, in SQL: the store side of `mivcode.core.ops`.

`Project.apply` hands each op a `Writer` for the one transaction it runs in.
Ops name what they change (a coding, a memo, a code); the writer turns names
into the store's ids, caching them for that transaction only, so a batch of
50,000 codings (a merge) looks each transcript and coder up once.
"""

from __future__ import annotations

from collections.abc import Iterable

from mivcode.core.model import Code, Coding
from mivcode.core.store import codes as code_rows
from mivcode.core.store import codings as coding_rows
from mivcode.core.store import suggestions as suggestion_rows
from mivcode.core.store import transcripts as transcript_rows
from mivcode.core.store.connection import ProjectStore


class Writer:
    """Writes of one transaction (must run inside `store.tx()`)."""

    def __init__(self, store: ProjectStore):
        self.store = store
        self._tids: dict[str, int] = {}
        self._coders: dict[str, int] = {}

    def _tid(self, name: str) -> int:
        tid = self._tids.get(name)
        if tid is None:
            tid = transcript_rows.transcript_id(self.store, name)
            if tid is None:
                raise ValueError(f"transcript {name!r} is gone")
            self._tids[name] = tid
        return tid

    def _coder(self, name: str) -> int:
        kid = self._coders.get(name)
        if kid is None:
            kid = self._coders[name] = coding_rows.coder_id(self.store, name)
        return kid

    # -- codings ---------------------------------------------------------------------

    def add_coding(self, c: Coding) -> int:
        """Insert `c` (under its own id when it has one: a redo); returns its id."""
        return coding_rows.insert_coding(self.store, self._tid(c.transcript), c, coder_id=self._coder(c.coder))

    def remove_coding(self, coding_id: int) -> None:
        coding_rows.delete_coding(self.store, coding_id)

    def set_coding_memo(self, coding_id: int, memo: str | None) -> None:
        coding_rows.set_coding_memo(self.store, coding_id, memo)

    def recode(self, coding_ids: Iterable[int], code: str) -> None:
        coding_rows.recode(self.store, coding_ids, code)

    # -- memos, codes, suggestions -----------------------------------------------------

    def set_turn_memo(self, transcript: str, turn: int, coder: str, text: str | None) -> None:
        coding_rows.set_turn_memo(self.store, self._tid(transcript), turn, coder, text)

    def put_code(self, code: Code) -> None:
        code_rows.upsert_code(self.store, code)

    def remove_code(self, code_id: str) -> None:
        code_rows.delete_code(self.store, code_id)

    def set_suggestion_status(self, transcript: str, turn: int, code: str, status: str) -> None:
        suggestion_rows.set_status(self.store, self._tid(transcript), turn, code, status)

    def set_conventions(self, conventions: dict) -> None:
        code_rows.save_conventions(self.store, conventions)
