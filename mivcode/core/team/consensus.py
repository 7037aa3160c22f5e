"""The consensus layer: what the team agreed on, as the codings of coder `consensus`.

Why a coder layer and not a table: everything that works on a coder's
codings (suggestion training, exports, agreement against the consensus)
works on the consensus with `--coder consensus`, and undo, redo and the
audit trail come from the event log like any other coding.

A decision on a turn is one undoable batch, logged under the coder
`consensus`: the consensus codings of the turn become the chosen codes and
a `settle` marker records that the turn was decided (also when the decision
is "no code"), by whom and how (coder N, union, edited). The settled state
is replayed from the log, so an undone decision is unsettled again.

Turns are compared as sets of codes: a code is in a turn for a coder when a
coding of it overlaps the turn (as in the agreement table). Only
transcripts that at least two of the coders coded are compared, and in
them only the coders who coded that transcript.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mivcode.core.errors import InputError
from mivcode.core.history import Logged
from mivcode.core.model import CONSENSUS_CODER, Coding
from mivcode.core.ops import AddCoding, Batch, Op, RemoveCoding, Settle
from mivcode.core.project import Project
from mivcode.core.spans import TurnIndex, touches, turn_end
from mivcode.core.clock import now_iso

MAX_CODERS = 5


@dataclass(slots=True)
class TurnComparison:
    transcript: str
    turn: int
    start: int
    end: int
    coders: list[str]  # the coders who coded this transcript, in the order asked
    codes: dict[str, set[str]]
    spans: dict[str, dict[str, list[tuple[int, int]]]]  # coder -> code -> spans overlapping the turn
    consensus: set[str] = field(default_factory=set)
    settled: bool = False

    @property
    def agreed(self) -> bool:
        sets = [self.codes[c] for c in self.coders]
        return all(s == sets[0] for s in sets[1:])

    @property
    def union(self) -> set[str]:
        return set().union(*(self.codes[c] for c in self.coders))


@dataclass(slots=True)
class AutoResult:
    turns: int
    codings: int
    disagreements: int


def check_coders(project: Project, coders: list[str]) -> list[str]:
    """2-5 distinct coders with codings, none of them the consensus layer itself."""
    coders = list(dict.fromkeys(coders))
    if not 2 <= len(coders) <= MAX_CODERS:
        raise InputError(f"--coders: name 2 to {MAX_CODERS} coders, comma-separated (got {len(coders)})")
    if CONSENSUS_CODER in coders:
        raise InputError(f"--coders: '{CONSENSUS_CODER}' is the result layer; name the coders it settles")
    available = project.coders_with_codings()
    for c in coders:
        if c not in available:
            raise InputError(f"{project.path}: coder '{c}' has no codings here (coders: {', '.join(available) or 'none'})")
    return coders


def settled_turns(project: Project) -> set[tuple[str, int]]:
    """(transcript, turn) of every decision still in force (undone ones replayed away)."""
    out: set[tuple[str, int]] = set()
    for entry in project.undoable(CONSENSUS_CODER):
        for op in entry.op.leaves():
            if isinstance(op, Settle):
                out.add((op.transcript, op.turn))
    return out


def compare_turns(project: Project, coders: list[str]) -> list[TurnComparison]:
    """Every turn of every transcript at least two of `coders` coded, with each coder's codes."""
    coders = check_coders(project, coders)
    bulk = project.bulk
    names = {tid: name for tid, name, _, _ in bulk.transcript_index()}
    by_transcript: dict[int, list[tuple]] = {}
    for row in bulk.coding_rows([*coders, CONSENSUS_CODER]):
        by_transcript.setdefault(row[0], []).append(row)
    turns: dict[int, list[tuple[int, int, int]]] = {}
    for tid, idx, start, end in bulk.turn_bounds():
        turns.setdefault(tid, []).append((idx, start, end))
    settled = settled_turns(project)
    out: list[TurnComparison] = []
    for tid in sorted(by_transcript, key=lambda t: names[t]):
        rows = by_transcript[tid]
        present = [c for c in coders if any(r[4] == c for r in rows)]
        if len(present) < 2:
            continue
        tturns = sorted(turns.get(tid, []), key=lambda u: u[1])
        index = TurnIndex([u[1] for u in tturns], [u[2] for u in tturns])
        items = [
            TurnComparison(names[tid], idx, s, e, present, {c: set() for c in present}, {c: {} for c in present})
            for idx, s, e in tturns
        ]
        for _, start, end, code, who in rows:
            for i in index.touched(start, end):
                item = items[i]
                if who == CONSENSUS_CODER:
                    item.consensus.add(code)
                else:
                    item.codes[who].add(code)
                    item.spans[who].setdefault(code, []).append((start, end))
        for item in items:
            item.settled = (item.transcript, item.turn) in settled or bool(item.consensus)
        out.extend(items)
    return out


def _desired(item: TurnComparison, codes: set[str]) -> set[tuple[int, int, str]]:
    """The spans of each chosen code: those of the first coder (in the order asked) who has it, else the turn."""
    wanted: set[tuple[int, int, str]] = set()
    for code in codes:
        for c in item.coders:
            if code in item.spans[c]:
                wanted.update((s, e, code) for s, e in item.spans[c][code])
                break
        else:
            wanted.add((item.start, turn_end(item), code))
    return wanted


def _layer_ops(project: Project, item: TurnComparison, codes: set[str]) -> list[Op]:
    """Ops that make the consensus codings overlapping the turn exactly the chosen codes."""
    wanted = _desired(item, codes)
    existing = [c for c in project.codings(coder=CONSENSUS_CODER, transcript=item.transcript)
                if touches(item, c.start, c.end)]
    have = {(c.start, c.end, c.code) for c in existing}
    ops: list[Op] = [RemoveCoding(c) for c in existing if (c.start, c.end, c.code) not in wanted]
    for start, end, code in sorted(wanted - have):
        ops.append(AddCoding(Coding(item.transcript, start, end, code, CONSENSUS_CODER, "consensus", None,
                                    now_iso())))
    return ops


def decide(project: Project, item: TurnComparison, codes: set[str], *, choice: str, by: str | None) -> None:
    """Settle one turn: the consensus layer gets `codes` (possibly none), in one undoable step."""
    for code in codes:
        project.code(code)
    ops = _layer_ops(project, item, codes)
    ops.append(Settle(item.transcript, item.turn, choice, tuple(sorted(codes)), tuple(item.coders), by))
    project.apply(Batch(tuple(ops)), CONSENSUS_CODER, label="adjudicate")
    item.consensus = set(codes)
    item.settled = True


def undo_last(project: Project) -> Logged | None:
    """Undo the consensus layer's last step (a decision or an automatic fill)."""
    return project.undo(CONSENSUS_CODER)


def auto_agreed(project: Project, coders: list[str], *, by: str | None) -> AutoResult:
    """Copy every coded turn the coders agree on, not yet in the consensus, in one undoable step."""
    items = compare_turns(project, coders)
    ops: list[Op] = []
    seen: set[tuple[str, int, int, str]] = set()
    turns = 0
    for item in items:
        if item.agreed and item.union and not item.consensus and not item.settled:
            # A span running into the next turn is copied once, not once per turn it touches.
            new = [o for o in _layer_ops(project, item, item.union) if _key(o) not in seen]
            if new:
                ops.extend(new)
                seen.update(_key(o) for o in new)
                turns += 1
    if ops:
        project.apply(Batch(tuple(ops), {"by": by, "coders": coders, "auto": "agreed"}), CONSENSUS_CODER,
                      label="consensus")
    disagreements = sum(1 for i in items if not i.agreed)
    return AutoResult(turns, len(ops), disagreements)


def _key(op: Op) -> tuple[str, int, int, str]:
    c = op.coding  # type: ignore[attr-defined]  (AddCoding and RemoveCoding both carry one)
    return c.transcript, c.start, c.end, c.code
