"""Random sessions of two coders and a codebook editor against one project (hypothesis state machine).

After every step: the file is sound (integrity, foreign keys), every coder's event log replays to
exactly the codings in the file, and an action either completes or is refused with InputError /
ProjectError leaving the file byte-for-byte as it was.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from mivcode.core.codebook import parse_codebook_text
from mivcode.core.errors import MivcodeError
from mivcode.core.history import replay
from mivcode.core.project import Project
from tests.conftest import dump as _dump

T = "fg"
CODERS = ["anna", "bram"]
ALL_CODES = ["discriminatie", "racisme", "agressie_geweld", "pesten"]
TEXT = "".join(f"{'Student 1' if i % 2 else 'GL'}: beurt {i} met ‘één’ 😀\n" for i in range(6))


def _book(codes: list[str]) -> str:
    lines = ["name: sm", "codes:"]
    for c in codes:
        lines += [f"  - id: {c}", f"    label: {c.title()}"]
        if c == "racisme" and "discriminatie" in codes:
            lines.append("    parent: discriminatie")
    return "\n".join(lines) + "\n"




class Session(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="mivcode-sm-"))
        (self.dir / "t.txt").write_text(TEXT.replace("fg", "fg"), encoding="utf-8")
        book, errors = parse_codebook_text(_book(ALL_CODES), "sm.yaml")
        assert not errors
        self.p = Project.create(self.dir / "p.miv", book)
        (self.dir / f"{T}.txt").write_text(TEXT, encoding="utf-8")
        self.p.import_files([self.dir / f"{T}.txt"])
        self.turns = len(self.p.transcript(T).turns)
        # open suggestions on every turn, as `mivcode suggest` leaves them
        from mivcode.core.model import Evidence, Suggestion
        from mivcode.core.store import suggestions as suggestion_rows

        t = self.p.transcript(T)
        with self.p.store.tx():
            for u in t.turns:
                for code, score in (("pesten", 0.9), ("racisme", 0.4)):
                    suggestion_rows.upsert_suggestion(self.p.store, t.id, Suggestion(
                        T, u.index, u.start, u.end, code, score,
                        [Evidence(u.start, u.start + 2, t.text[u.start:u.start + 2], "keyword")],
                        fingerprint=f"{code}-{u.index}"))

    def teardown(self):
        from hypothesis import event

        event(f"codings at the end: {min(len(self.p.codings()), 5)}+"[:-1] if len(self.p.codings()) < 5 else
              "codings at the end: 5 or more")
        event(f"undo/redo events: {'some' if any(e.action != 'do' for e in self.p.events()) else 'none'}")
        self.p.close()

    def _attempt(self, fn) -> None:
        before = _dump(self.p.path)
        try:
            fn()
        except MivcodeError as exc:
            assert "\n" not in str(exc).strip(), str(exc)
            assert _dump(self.p.path) == before, f"refused action changed the file: {exc}"

    @rule(coder=st.sampled_from(CODERS), turn=st.integers(0, 5), code=st.sampled_from(ALL_CODES))
    def toggle(self, coder, turn, code):
        self._attempt(lambda: self.p.toggle_code(T, turn % self.turns, code, coder))

    @rule(coder=st.sampled_from(CODERS), turn=st.integers(0, 5), code=st.sampled_from(ALL_CODES),
          a=st.integers(0, 40), n=st.integers(1, 30))
    def span(self, coder, turn, code, a, n):
        t = self.p.transcript(T)
        u = t.turns[turn % self.turns]
        start = u.start + a % max(1, u.end - u.start)
        self._attempt(lambda: self.p.add_coding(T, u.index, code, coder, start=start, end=start + n))

    @rule(coder=st.sampled_from(CODERS), turn=st.integers(0, 5), text=st.sampled_from(["", "memo", "ánders 😀"]))
    def memo(self, coder, turn, text):
        self._attempt(lambda: self.p.set_turn_memo(T, turn % self.turns, text, coder))

    @rule(coder=st.sampled_from(CODERS), turn=st.integers(0, 5), code=st.sampled_from(["pesten", "racisme"]),
          accept=st.booleans())
    def review(self, coder, turn, code, accept):
        fn = self.p.accept_suggestion if accept else self.p.reject_suggestion
        self._attempt(lambda: fn(T, turn % self.turns, code, coder))

    @rule(coder=st.sampled_from(CODERS), threshold=st.sampled_from([0.0, 0.5, 0.95]))
    def accept_all(self, coder, threshold):
        self._attempt(lambda: self.p.accept_all(T, threshold, coder))

    @rule(coder=st.sampled_from(CODERS))
    def undo(self, coder):
        self._attempt(lambda: self.p.undo(coder))

    @rule(coder=st.sampled_from(CODERS))
    def redo(self, coder):
        self._attempt(lambda: self.p.redo(coder))

    @rule(keep=st.sets(st.sampled_from(ALL_CODES), min_size=1))
    def load_codebook(self, keep):
        book, errors = parse_codebook_text(_book([c for c in ALL_CODES if c in keep]), "sm.yaml")
        assert not errors
        self._attempt(lambda: self.p.apply_codebook(book, coder="lead"))

    @rule(source=st.sampled_from(ALL_CODES), into=st.sampled_from(ALL_CODES))
    def merge_codes(self, source, into):
        self._attempt(lambda: self.p.merge_codes(source, into, "lead"))

    @invariant()
    def sound_and_replayable(self):
        conn = self.p.store.conn
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert not conn.in_transaction
        text = self.p.transcript(T).text
        codings = self.p.codings()
        assert all(0 <= c.start < c.end <= len(text) for c in codings)
        assert len({(c.start, c.end, c.code, c.coder) for c in codings}) == len(codings)
        # every coding's code is in the codebook
        assert {c.code for c in codings} <= {c.id for c in self.p.codes()}
        # the whole event log, every coder's and the codebook editor's, replays to exactly these codings and memos
        state = replay(self.p.events())
        assert {i: (c.start, c.end, c.code, c.coder) for i, c in state.codings.items()} == {
            c.id: (c.start, c.end, c.code, c.coder) for c in codings}
        assert state.memos == {(m.transcript, m.turn, m.coder): m.text for m in self.p.memos()}


TestSession = Session.TestCase
TestSession.settings = settings(max_examples=40, stateful_step_count=30, deadline=None,
                                suppress_health_check=[HealthCheck.too_slow])
