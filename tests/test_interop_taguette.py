"""Our codebook CSV read by Taguette's own codebook import (`taguette.import_codebook`, no server).

Taguette's "Import codebook" page hands the uploaded bytes to `import_codebook.list_tags` and checks
each tag with `validate.tag_path` / `validate.description` before it inserts them; the test runs
those same functions on `mivcode export P tags.csv --taguette`. Taguette is installed by the test
set-up (see the README), unchanged.
"""

from __future__ import annotations

import io

from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.exchange.refi_export import describe
from mivcode.core.project import Project
from tests.conftest import CODEBOOK
from tests.interop.readers import require

import_codebook = require("taguette.import_codebook")
validate = require("taguette.validate")


def taguette_reads(data: bytes) -> list[dict]:
    """What Taguette's import page does with an uploaded codebook before it shows it for confirmation."""
    tags = import_codebook.list_tags(io.BytesIO(data))
    for tag in tags:
        validate.tag_path(tag["path"])
        validate.description(tag["description"])
    return tags


def _export(tmp_path, codebook) -> tuple[bytes, Project]:
    Project.create(tmp_path / "p.miv", codebook).close()
    r = CliRunner().invoke(main, ["export", str(tmp_path / "p.miv"), str(tmp_path / "tags.csv"), "--taguette"])
    assert r.exit_code == 0, r.output
    return (tmp_path / "tags.csv").read_bytes(), Project.open(tmp_path / "p.miv")


def test_taguette_accepts_every_code_of_the_miv_codebook(tmp_path):
    data, p = _export(tmp_path, CODEBOOK)
    with p:
        codes = p.codes()
        tags = taguette_reads(data)
        assert len(tags) == len(codes) == len({t["path"] for t in tags})  # none disabled as a duplicate
        by_path = {t["path"]: t["description"] for t in tags}
        labels = {c.id: c.label for c in codes}
        for c in codes:
            path = f"{labels[c.parent]}.{c.label}" if c.parent else c.label
            assert by_path[path] == describe(c).strip()  # Taguette strips the cell
        assert any("\n" in d for d in by_path.values())  # definition and criteria, paragraphs kept


def test_taguette_reads_accents_quotes_and_commas(tmp_path):
    book = tmp_path / "odd.yaml"
    book.write_text('name: odd\ncodes:\n  - id: een\n    label: "Één, twee \\"drie\\""\n    definition: "Café; naïef 😀"\n'
                    "  - id: sub\n    label: Geërgerd\n    parent: een\n", encoding="utf-8")
    data, p = _export(tmp_path, book)
    p.close()
    assert [(t["path"], t["description"]) for t in taguette_reads(data)] == [
        ('Één, twee "drie"', "Café; naïef 😀"), ('Één, twee "drie".Geërgerd', "")]
