"""Operations as values: the registry, the event-log JSON (old files keep their undo history), inverses,
and apply + inverse leaving a real project file exactly as it was."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mivcode.core import ops
from mivcode.core.history import replay, stacks
from mivcode.core.model import Code, Coding, Event
from mivcode.core.ops import (
    OPS, AddCoding, Batch, PutCode, Recode, RemoveCoding, SetCodingMemo, SetConventions, SetSuggestionStatus, SetTurnMemo, Settle,
    Touches,
)
from mivcode.core.project import Project
from mivcode.core.store.writer import Writer
from tests import ops_session

FIXTURE = Path(__file__).parent / "data" / "events_before_ops.jsonl"


def _old_events() -> list[dict]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _without_label(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k != "label"}


def test_every_kind_is_registered_once_under_its_log_name():
    assert set(OPS) == {"add_coding", "remove_coding", "set_coding_memo", "set_turn_memo", "put_code", "recode",
                        "set_suggestion_status", "settle", "set_conventions", "batch"}
    for kind, cls in OPS.items():
        assert cls.kind == kind
    with pytest.raises(ValueError, match="registered twice"):
        ops.register(AddCoding)


def test_the_old_log_reads_and_writes_back_byte_for_byte():
    """Every payload mivcode logged before ops were values parses, and serialises to the same JSON."""
    events = _old_events()
    kinds = {sub["op"] for e in events if e["action"] in ("do", "undo", "redo") for sub in _leaves(e["payload"])}
    assert kinds == set(OPS) - {"set_conventions"}  # every kind there was then (conventions came later)
    for e in events:
        if e["action"] in ("do", "undo", "redo"):
            op = ops.from_json(e["payload"])
            assert json.dumps(op.to_json()) == json.dumps(_without_label(e["payload"]))
            assert json.dumps(ops.to_json(op, e["payload"].get("label"))) == json.dumps(e["payload"])


def test_undo_and_redo_write_what_the_old_code_wrote():
    """An undo event's payload was the inverse of what it undid, a redo's the op again: still so, key for key."""
    events = {e["id"]: e for e in _old_events()}
    checked = 0
    for e in events.values():
        if e["action"] in ("undo", "redo"):
            target = ops.from_json(events[e["undoes"]]["payload"])
            assert json.dumps(target.inverse().to_json()) == json.dumps(e["payload"])
            checked += 1
    assert checked >= 4


def _leaves(payload: dict):
    yield payload
    for sub in payload.get("ops", []):
        yield from _leaves(sub)


def test_the_same_session_logs_the_same_events_as_before(tmp_path):
    p = ops_session.run_session(tmp_path)
    try:
        now = ops_session.event_lines(p)
    finally:
        p.close()

    def timeless(line: str) -> str:
        return re.sub(r'"created_at": "[^"]*"', '"created_at": "-"', line)

    before = FIXTURE.read_text(encoding="utf-8").splitlines()
    assert [timeless(x) for x in now] == [timeless(x) for x in before]


def test_a_project_with_an_old_log_keeps_its_undo_history(tmp_path):
    """The events table replaced by the one the old mivcode wrote (its own timestamps): undo and redo work."""
    p = ops_session.run_session(tmp_path)
    try:
        conn = p.store.conn
        conn.execute("DROP TRIGGER events_append_only")
        for e in _old_events():
            conn.execute("UPDATE events SET payload = ? WHERE id = ?", (json.dumps(e["payload"], ensure_ascii=False),
                                                                       e["id"]))
        def consistent() -> list[tuple]:
            state = replay(p.events())
            assert {i: (c.start, c.end, c.code, c.coder) for i, c in state.codings.items()} == {
                c.id: (c.start, c.end, c.code, c.coder) for c in p.codings()}
            return sorted((c.transcript, c.start, c.code) for c in p.codings(coder="anna"))

        before = consistent()
        step = p.redo("anna")  # anna's last coding, undone at the end of the old session
        assert isinstance(step.op, AddCoding) and step.op.coding.code == "pesten"
        assert len(consistent()) == len(before) + 1
        assert isinstance(p.undo("anna").op, AddCoding) and consistent() == before
        step = p.undo("anna")  # the coding of 'nieuw', since merged into 'pesten' by the codebook editor
        assert isinstance(step.op, AddCoding) and step.op.coding.code == "nieuw"
        assert len(consistent()) == len(before) - 1
        step = p.undo("lead")  # the merge itself: 'nieuw' comes back
        assert step.label == "codebook" and isinstance(step.op, Batch)
        assert "nieuw" in [c.id for c in p.codes()]
        consistent()
        assert p.undo("consensus") is not None and p.redo("consensus") is not None
        consistent()
    finally:
        p.close()


def test_replay_follows_recodes_and_memos():
    c = Coding("fg", 0, 5, "a", "ann", id=7)
    events = [
        Event(1, "t", "ann", "do", AddCoding(c).to_json()),
        Event(2, "t", "ann", "do", SetTurnMemo("fg", 0, "ann", None, "waarom").to_json()),
        Event(3, "t", "lead", "do", Recode((7,), "a", "b").to_json()),
        Event(4, "t", "ann", "undo", SetTurnMemo("fg", 0, "ann", "waarom", None).to_json(), undoes=2),
        Event(5, "t", "ann", "merge", {"sources": []}),
    ]
    state = replay(events)
    assert [(i, x.code) for i, x in state.codings.items()] == [(7, "b")]
    assert state.memos == {}
    undo, redo = stacks(e for e in events if e.coder == "ann")
    assert [x.event_id for x in undo] == [1] and [x.event_id for x in redo] == [4]


# -- properties ---------------------------------------------------------------------------------------

_text = st.text(alphabet="abc éü😀", max_size=6)
_maybe = st.none() | _text
_codes = st.sampled_from(["discriminatie", "racisme", "pesten"])
_codings = st.builds(Coding, st.just("fg"), st.integers(0, 50), st.integers(51, 90), _codes,
                     st.sampled_from(["anna", "bram"]), st.sampled_from(["manual", "import"]), _maybe,
                     st.just("2024-01-01T00:00:00.000+00:00"), st.integers(1, 10**6))
_code_values = st.builds(Code, st.sampled_from(["x", "y"]), _text.filter(bool), st.none() | _codes,
                         keywords=st.lists(_text, max_size=2), color=st.just("#123456"),
                         shortcut=st.none() | st.sampled_from("uvw"), order=st.integers(0, 9))
_leaf_ops = st.one_of(
    st.builds(AddCoding, _codings), st.builds(RemoveCoding, _codings),
    st.builds(SetCodingMemo, st.integers(1, 99), _maybe, _maybe),
    st.builds(SetTurnMemo, st.just("fg"), st.integers(0, 3), st.sampled_from(["anna", "bram"]), _maybe, _maybe),
    st.builds(PutCode, st.none() | _code_values, st.none() | _code_values),
    st.builds(Recode, st.lists(st.integers(1, 99), max_size=3).map(tuple), _codes, _codes),
    st.builds(SetSuggestionStatus, st.just("fg"), st.integers(0, 3), _codes,
              st.sampled_from(["open", "accepted", "rejected"]), st.sampled_from(["open", "accepted", "rejected"])),
    st.builds(Settle, st.just("fg"), st.integers(0, 3), st.sampled_from(["union", "none", "coder:anna"]),
              st.lists(_codes, max_size=2).map(tuple), st.just(("anna", "bram")), st.none() | st.just("jan")),
    st.builds(SetConventions, st.fixed_dictionaries({}, optional={"moderator_questions": st.just(True),
                                                                 "not_coded": st.lists(_codes, max_size=2)}),
              st.fixed_dictionaries({}, optional={"sibling_themes": st.just(True)})),
)
_any_ops = st.recursive(_leaf_ops, lambda inner: st.lists(inner, min_size=1, max_size=3).map(
    lambda xs: Batch(tuple(xs))), max_leaves=6)


@given(_any_ops)
def test_every_op_round_trips_its_json_and_is_undone_by_its_inverse(op):
    payload = json.loads(json.dumps(op.to_json()))  # what the log stores and gives back
    again = ops.from_json(payload)
    assert again == op and again.to_json() == op.to_json()
    assert op.inverse().inverse() == op
    assert op.inverse().touches == op.touches
    assert isinstance(op.describe("nl"), str) and isinstance(op.describe("en"), str)


def test_a_batch_says_what_it_touches():
    c = Coding("fg", 0, 5, "a", "ann", id=1)
    b = Batch((AddCoding(c), SetSuggestionStatus("fg", 0, "a", "open", "accepted")))
    assert b.touches == Touches.CODINGS | Touches.SUGGESTIONS
    assert Batch((PutCode(None, Code("x", "X")),)).touches & Touches.CODES
    assert list(Batch((b, Settle("fg", 0, "none", (), ("a", "b"), None))).leaves())[-1].kind == "settle"


def _tables(path: Path) -> dict:
    """Everything an op may change, without the bookkeeping that is allowed to differ (timestamps of a
    status change, AUTOINCREMENT's high-water mark)."""
    conn = sqlite3.connect(path)
    try:
        return {
            "codes": conn.execute("SELECT * FROM codes ORDER BY id").fetchall(),
            "codings": conn.execute("SELECT * FROM codings ORDER BY id").fetchall(),
            "memos": conn.execute("SELECT transcript_id, turn_idx, coder_id, text FROM memos ORDER BY 1, 2, 3").fetchall(),
            "suggestions": conn.execute("SELECT transcript_id, turn_idx, code_id, status FROM suggestions"
                                        " ORDER BY 1, 2, 3").fetchall(),
        }
    finally:
        conn.close()


@pytest.fixture(scope="module")
def session_project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ops")
    p = ops_session.run_session(folder)
    p.close()
    return folder / "p.miv"


def _valid_ops(p: Project):
    """Strategy of ops that make sense in this project's state, as `Project` builds them."""
    t = p.transcript("fg")
    codings = p.codings()
    memo = {(m.turn, m.coder): m.text for m in p.memos("fg")}
    status = {(s.turn, s.code): s.status for s in p.suggestions("fg")}
    codes = p.codes()
    leaf_codes = [c for c in codes if not any(d.parent == c.id for d in codes) and not p.code_counts().get(c.id)]
    spans = st.tuples(st.integers(0, len(t.text) - 2), st.integers(1, 20)).map(
        lambda ab: (ab[0], min(ab[0] + ab[1], len(t.text))))

    def fresh(span, code, coder):
        return AddCoding(Coding("fg", span[0], span[1], code, coder, "manual", None, "2024-01-01T00:00:00+00:00"))

    taken = {(c.start, c.end, c.code, c.coder) for c in codings}
    choices = [
        st.builds(fresh, spans, st.sampled_from([c.id for c in codes]), st.sampled_from(["anna", "zoë"])).filter(
            lambda o: (o.coding.start, o.coding.end, o.coding.code, o.coding.coder) not in taken),
        st.builds(lambda turn, coder, new: SetTurnMemo("fg", turn, coder, memo.get((turn, coder)), new),
                  st.integers(0, len(t.turns) - 1), st.sampled_from(["anna", "bram"]), _maybe),
        st.builds(lambda turn, new: SetSuggestionStatus("fg", turn, "pesten", status[(turn, "pesten")], new),
                  st.sampled_from(sorted(t for t, c in status if c == "pesten")),
                  st.sampled_from(["open", "accepted", "rejected"])),
        st.builds(lambda c: PutCode(None, c), st.builds(Code, st.just("nieuw2"), _text.filter(bool),
                                                        st.none() | st.just("discriminatie"))),
        st.just(Settle("fg", 1, "union", ("pesten",), ("anna", "bram"), "jan")),
    ]
    if codings:
        choices.append(st.sampled_from(codings).map(RemoveCoding))
        choices.append(st.builds(lambda c, m: SetCodingMemo(c.id, c.memo, m), st.sampled_from(codings), _maybe))
        choices.append(st.builds(lambda c, target: Recode((c.id,), c.code, target), st.sampled_from(codings),
                                 st.sampled_from(["discriminatie"])).filter(
            lambda o: all((x.start, x.end, "discriminatie", x.coder) not in taken
                          for x in codings if x.id in o.ids)))
    if leaf_codes:
        choices.append(st.sampled_from(leaf_codes).map(lambda c: PutCode(c, None)))
        choices.append(st.sampled_from(leaf_codes).map(
            lambda c: PutCode(c, Code(**{**ops.code_dict(c), "label": c.label + " (nieuw)"}))))
    return st.one_of(*choices)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_apply_then_inverse_leaves_the_file_as_it_was(session_project, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("case") / "p.miv"
    path.write_bytes(session_project.read_bytes())
    with Project.open(path) as p:
        op = data.draw(_valid_ops(p))
        if data.draw(st.booleans()):
            op = Batch((op,))
        before = _tables(path)
        with p.store.tx():
            op.apply(Writer(p.store))
        with p.store.tx():
            op.inverse().apply(Writer(p.store))
        assert _tables(path) == before


def test_project_apply_logs_the_op_and_drops_the_caches_it_touches(project_with_codes):
    p = project_with_codes
    codes = p.codes()
    assert p.codes() is codes  # cached
    p.apply(SetTurnMemo("fg", 0, "anna", None, "x"), "anna")
    assert p.codes() is codes  # a memo does not touch the codebook
    p.apply(PutCode(None, Code("extra", "Extra")), "lead", label="codebook")
    assert "extra" in [c.id for c in p.codes()]
    last = p.events("lead")[-1]
    assert last.action == "do" and last.payload["label"] == "codebook" and last.payload["op"] == "put_code"


@pytest.fixture
def project_with_codes(tmp_path):
    p = ops_session.run_session(tmp_path)
    yield p
    p.close()
