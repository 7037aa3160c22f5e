"""One session of every undoable action, through the public API only; its event log is a test fixture.

`tests/data/events_before_ops.jsonl` is what this session logged when it was run with the mivcode
that kept operations as plain dicts (before `mivcode.core.ops`), so the ops tests can check that
today's code writes the very same payloads and reads the old ones. Regenerate only with such an old
checkout: `PYTHONPATH=OLD_CHECKOUT python tests/ops_session.py OUT.jsonl`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CODEBOOK = """name: t
codes:
  - id: discriminatie
    label: Discriminatie
    shortcut: "1"
  - id: racisme
    label: Racisme
    parent: discriminatie
  - id: pesten
    label: Pesten
"""
TEXT = "GL: Hoe gaat het?\nStudent 1: Ik werd uitgescholden.\nStudent 2: Bij mij ook, racisme.\n"


def run_session(folder: Path):
    """Build the project and run the session; returns the open project."""
    from mivcode.core.codebook import parse_codebook_text
    from mivcode.core.model import Code, Evidence, Suggestion
    from mivcode.core.project import Project
    from mivcode.core.store import suggestions as suggestion_rows
    from mivcode.core.team import consensus

    book, errors = parse_codebook_text(CODEBOOK, "t.yaml")
    assert not errors
    (folder / "fg.txt").write_text(TEXT, encoding="utf-8")
    p = Project.create(folder / "p.miv", book)
    p.import_files([folder / "fg.txt"])
    t = p.transcript("fg")
    with p.store.tx():  # open suggestions, as `mivcode suggest` leaves them
        for u in t.turns:
            suggestion_rows.upsert_suggestion(p.store, t.id, Suggestion(
                "fg", u.index, u.start, u.end, "pesten", 0.9, [Evidence(u.start, u.start + 2, "x", "keyword")],
                fingerprint="f"))
    p.add_coding("fg", 1, "racisme", "anna")
    p.add_coding("fg", 2, "pesten", "bram")  # also settles the open suggestion
    p.add_coding("fg", 0, "racisme", "bram", start=t.turns[0].start, end=t.turns[0].start + 3, memo="kort")
    c = p.codings(coder="anna")[0]
    p.set_coding_memo(c.id, "eerste memo", "anna")
    p.set_turn_memo("fg", 1, "memo op beurt", "anna")
    p.remove_codings("fg", 1, "racisme", "anna")
    p.reject_suggestion("fg", 0, "pesten", "anna")
    p.accept_suggestion("fg", 1, "pesten", "anna")
    p.save_code(Code(id="nieuw", label="Nieuw", color="#123456"), "lead")
    p.add_coding("fg", 0, "nieuw", "anna")
    p.merge_codes("nieuw", "pesten", "lead")
    p.add_coding("fg", 2, "pesten", "anna")
    p.add_coding("fg", 1, "racisme", "bram")
    consensus.auto_agreed(p, ["anna", "bram"], by="jan")
    items = [i for i in consensus.compare_turns(p, ["anna", "bram"]) if not i.agreed]
    consensus.decide(p, items[0], set(items[0].union), choice="union", by="jan")
    p.undo("anna")
    p.redo("anna")
    p.undo("anna")
    p.undo("consensus")
    return p


def event_lines(p) -> list[str]:
    return [json.dumps({"id": e.id, "coder": e.coder, "action": e.action, "undoes": e.undoes, "payload": e.payload},
                       ensure_ascii=False) for e in p.events()]


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        project = run_session(Path(tmp))
        Path(sys.argv[1]).write_text("\n".join(event_lines(project)) + "\n", encoding="utf-8")
        project.close()
