"""Each transcript format on real files, every encoding, and every kind of bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import docx
import pytest

from mivcode.core.errors import InputError
from mivcode.core.importers.batch import read_transcript_file
from mivcode.core.project import Project
from tests.conftest import dump

DIALOGUE = [
    ("Gespreksleider", "Welkom. Hoe veilig voelen jullie je op school?"),
    ("Student 2", "Best veilig, maar op stage werd ik raar aangekeken."),
    ("R1", "Ik zei toen: doe normaal, joh."),
    ("Docent", "Daar hebben we het in het team ook over gehad."),
]


def turn_texts(t):
    return [(u.speaker, t.turn_text(u)) for u in t.turns]


def write_docx(path: Path, rows, *, bold_labels: bool = False, table: bool = False) -> Path:
    d = docx.Document()
    d.add_paragraph("Focusgroep ROC Zuidrand, 12 maart")
    if table:
        tbl = d.add_table(rows=0, cols=2)
        for speaker, text in rows:
            cells = tbl.add_row().cells
            cells[0].text, cells[1].text = speaker, text
    else:
        for speaker, text in rows:
            p = d.add_paragraph()
            if bold_labels:
                p.add_run(f"{speaker}:").bold = True
                p.add_run(f" {text}")
            else:
                p.add_run(f"{speaker}: {text}")
    d.save(path)
    return path


def vtt_voice(rows) -> str:
    out = ["WEBVTT", ""]
    t = 0
    for i, (speaker, text) in enumerate(rows, start=1):
        words = text.split()
        halves = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])] if len(text) > 40 else [text]
        for half in halves:
            out += [f"{i}-{t}", f"00:00:{t:02d}.000 --> 00:00:{t + 2:02d}.500", f"<v {speaker}>{half.strip()}</v>", ""]
            t += 3
    return "\n".join(out)


# -- formats ------------------------------------------------------------------


def test_plain_text_labels_continuations_and_blank_lines(tmp_path):
    p = tmp_path / "fg.txt"
    p.write_text(
        "Focusgroep mbo, opname 1\n\n"
        "Gespreksleider: Welkom allemaal.\n\n"
        "Student 2: Op stage werd ik anders behandeld.\nDat was echt niet oké.\n"
        "Medewerker 3: Ik zei: dat pikken we niet.\n",
        encoding="utf-8",
    )
    t = read_transcript_file(p)
    assert turn_texts(t) == [
        ("Gespreksleider", "Welkom allemaal."),
        ("Student 2", "Op stage werd ik anders behandeld.\nDat was echt niet oké."),
        ("Medewerker 3", "Ik zei: dat pikken we niet."),
    ]
    # offsets point at the utterance in the canonical text
    for u in t.turns:
        assert t.text[u.start - len(u.speaker) - 2 : u.start] == f"{u.speaker}: "


def test_markdown_headings_bold_labels_and_bullets(tmp_path):
    p = tmp_path / "fg.md"
    p.write_text("# Focusgroep\n\n**Interviewer:** Wat vind je ervan?\n- **Student 1:** Gaat wel.\n", encoding="utf-8")
    assert turn_texts(read_transcript_file(p)) == [("Interviewer", "Wat vind je ervan?"), ("Student 1", "Gaat wel.")]


@pytest.mark.parametrize("layout", ["text", "bold", "table"])
def test_docx_layouts(tmp_path, layout):
    p = write_docx(tmp_path / "fg.docx", DIALOGUE, bold_labels=layout == "bold", table=layout == "table")
    t = read_transcript_file(p)
    assert turn_texts(t) == DIALOGUE
    assert t.source_format == "docx"


def test_webvtt_voice_tags_merge_consecutive_cues_and_keep_times(tmp_path):
    p = tmp_path / "teams.vtt"
    p.write_text(vtt_voice(DIALOGUE), encoding="utf-8")
    t = read_transcript_file(p)
    assert [s for s, _ in turn_texts(t)] == [s for s, _ in DIALOGUE]
    assert turn_texts(t)[1][1] == DIALOGUE[1][1]
    assert t.turns[0].t_start == 0.0
    assert t.turns[1].t_end > t.turns[1].t_start


def test_webvtt_name_prefixes_and_unlabelled_cue_continues(tmp_path):
    p = tmp_path / "zoom.vtt"
    p.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nGespreksleider: Zijn er vragen?\n\n"
        "00:00:03.500 --> 00:00:05.000\nFatima: Nee hoor.\n\n"
        "00:00:05.000 --> 00:00:07.000\nIk vond het wel spannend.\n\n"
        "00:00:08.000 --> 00:00:09.000\nGespreksleider: Dank je.\n",
        encoding="utf-8",
    )
    assert turn_texts(read_transcript_file(p)) == [
        ("Gespreksleider", "Zijn er vragen?"),
        ("Fatima", "Nee hoor. Ik vond het wel spannend."),
        ("Gespreksleider", "Dank je."),
    ]


def test_srt(tmp_path):
    p = tmp_path / "fg.srt"
    p.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nInterviewer: Voel je je veilig?\n\n"
        "2\n00:00:04,500 --> 00:00:06,000\nStudent 1: Meestal wel.\n\n"
        "3\n00:00:06,000 --> 00:00:08,000\nStudent 1: Behalve in de bus.\n",
        encoding="utf-8",
    )
    t = read_transcript_file(p)
    assert turn_texts(t) == [("Interviewer", "Voel je je veilig?"), ("Student 1", "Meestal wel. Behalve in de bus.")]
    assert (t.turns[1].t_start, t.turns[1].t_end) == (4.5, 8.0)


# -- encodings -----------------------------------------------------------------

TEXT = "Gespreksleider: Hoe gaat het in het café?\r\nStudent 1: Ik voelde me geïntimideerd, één keer.\r\n"


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
        TEXT.replace("\r\n", "\r").encode("utf-8"),
        TEXT.replace("\r\n", "\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "cp1252", "cr", "lf"],
)
def test_every_encoding_gives_the_same_canonical_text(tmp_path, encoded):
    p = tmp_path / "fg.txt"
    p.write_bytes(encoded)
    t = read_transcript_file(p)
    assert turn_texts(t) == [("Gespreksleider", "Hoe gaat het in het café?"),
                             ("Student 1", "Ik voelde me geïntimideerd, één keer.")]
    assert "\r" not in t.text and "\ufeff" not in t.text


def test_decomposed_accents_are_normalised_to_nfc(tmp_path):
    p = tmp_path / "fg.txt"
    p.write_text("Student 1: Ik voelde me gei\u0308ntimideerd.\n", encoding="utf-8")
    assert read_transcript_file(p).turn_text(read_transcript_file(p).turns[0]) == "Ik voelde me geïntimideerd."


def test_reimporting_the_same_content_in_another_encoding_is_a_no_op(tmp_path, small_codebook):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(TEXT.encode("utf-8"))
    b.write_bytes(TEXT.encode("cp1252"))
    with Project.create(tmp_path / "p.miv", small_codebook) as p:
        assert p.import_files([a]).imported == ["a"]
        report = p.import_files([b])
        assert report.imported == [] and "already imported as 'a'" in report.skipped[0]
        assert p.transcript_names() == ["a"]


# -- manifest ------------------------------------------------------------------


def test_manifest_metadata_extra_columns_and_names(tmp_path, small_codebook, small_transcript):
    other = tmp_path / "staff.txt"
    other.write_text("Interviewer: Hoe ervaart het team dit?\nDocent: Wisselend.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "bestand;naam;instelling;groep;leerweg;niveau;moderator\n"
        f"{small_transcript.name};fg1;ROC Zuidrand;student;BOL;4;AB\n"
        "staff.txt;fg2;ROC Zuidrand;medewerkers;;;CD\n",
        encoding="utf-8",
    )
    with Project.create(tmp_path / "p.miv", small_codebook) as p:
        p.import_files([small_transcript, other], manifest=manifest)
        t = p.transcript("fg1")
        assert (t.meta.institution, t.meta.group, t.meta.leerweg, t.meta.niveau) == ("ROC Zuidrand", "studenten", "BOL", "4")
        assert t.meta.extra == {"moderator": "AB"}
        assert p.transcript("fg2").meta.group == "medewerkers"


def test_manifest_alone_imports_the_files_it_lists(tmp_path, small_codebook, small_transcript):
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"file,institution,group\n{small_transcript.name},ROC X,studenten\n", encoding="utf-8")
    with Project.create(tmp_path / "p.miv", small_codebook) as p:
        assert p.import_files([], manifest=manifest).imported == ["fg_roc_studenten"]


# -- bad input leaves the project unchanged ------------------------------------




def _bad_inputs(tmp_path: Path, good: Path) -> dict[str, tuple[list[Path], Path | None, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"  \n\n \r\n")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    noturns = tmp_path / "notes.txt"
    noturns.write_text("Aantekeningen bij de focusgroep.\ngeen sprekers hier\n", encoding="utf-8")
    unknown = tmp_path / "fg.pdf"
    unknown.write_bytes(b"%PDF-1.4")
    fake_docx = tmp_path / "fg.docx"
    fake_docx.write_bytes(b"this is not a zip at all")
    novtt = tmp_path / "fg.vtt"
    novtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nzonder spreker\n", encoding="utf-8")
    m_missing = tmp_path / "m1.csv"
    m_missing.write_text(f"file,group\n{good.name},studenten\nverdwenen.txt,studenten\n", encoding="utf-8")
    m_not_in_batch = tmp_path / "m2.csv"
    other = tmp_path / "other.txt"
    other.write_text("Docent: hallo\n", encoding="utf-8")
    m_not_in_batch.write_text(f"file\n{good.name}\nother.txt\n", encoding="utf-8")
    m_bad_group = tmp_path / "m3.csv"
    m_bad_group.write_text(f"file,group\n{good.name},ouders\n", encoding="utf-8")
    return {
        "empty file": ([good, empty], None, "empty file"),
        "blank file": ([blank], None, "empty file"),
        "binary file": ([good, binary], None, "binary"),
        "no speaker turns": ([good, noturns], None, "no speaker turns"),
        "unknown extension": ([good, unknown], None, "unsupported file type '.pdf'"),
        "docx that is not a docx": ([fake_docx], None, "not a Word .docx file"),
        "vtt without speakers": ([novtt], None, "no speaker turns"),
        "manifest names a missing file": ([good], m_missing, "names a missing file 'verdwenen.txt'"),
        "manifest names a file not in the batch": ([good], m_not_in_batch, "not in this import batch"),
        "manifest with an unknown group": ([good], m_bad_group, "unknown group 'ouders'"),
    }


BAD_CASES = [
    "empty file", "blank file", "binary file", "no speaker turns", "unknown extension", "docx that is not a docx",
    "vtt without speakers", "manifest names a missing file", "manifest names a file not in the batch",
    "manifest with an unknown group",
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_is_one_clear_error_and_leaves_the_project_unchanged(tmp_path, small_codebook, case):
    good = tmp_path / "good.txt"
    good.write_text("Gespreksleider: Welkom.\nStudent 1: Dank je.\n", encoding="utf-8")
    files, manifest, expected = _bad_inputs(tmp_path, good)[case]
    path = tmp_path / "p.miv"
    Project.create(path, small_codebook).close()
    before = dump(path)
    with Project.open(path) as p:
        with pytest.raises(InputError) as err:
            p.import_files(files, manifest=manifest)
    message = str(err.value)
    assert expected in message and "\n" not in message
    assert any(f.name in message for f in files + ([manifest] if manifest else []))
    assert dump(path) == before


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Gespreksleider: Welkom.", ("Gespreksleider", "Welkom.")),
        ("Student 12: ja", ("Student 12", "ja")),
        ("R1: oké", ("R1", "oké")),
        ("Medewerker 3: klopt", ("Medewerker 3", "klopt")),
        ("Deelnemer 3 (docent): ja", ("Deelnemer 3 (docent)", "ja")),
        ("Mevr. de Vries: prima", ("Mevr. de Vries", "prima")),
        ("[00:01:02] GL: welkom", ("GL", "welkom")),
        ("Student 2 (00:03:12): hoi", ("Student 2", "hoi")),
        ("student 2: ja echt", ("Student 2", "ja echt")),
        ("GESPREKSLEIDER\tWelkom allemaal.", ("GESPREKSLEIDER", "Welkom allemaal.")),
        ("[Gespreksleider]: welkom", ("Gespreksleider", "welkom")),
        ("Student 1 - Daan: hoi", ("Student 1 - Daan", "hoi")),
        ("Respondent 3 – BOL 2: hoi", ("Respondent 3 – BOL 2", "hoi")),
        ("Spreker 1 [00:01:02]: hoi", ("Spreker 1", "hoi")),
        ("[Student 2] ik ook", ("Student 2", "ik ook")),
        ("[Gelach] echt waar", None),
        ("Toen - Daan: kom op", None),
        ("[Anouk de Vries] 10:03:15 Welkom allemaal", ("Anouk de Vries", "Welkom allemaal")),
        ("[Anouk de Vries] 10:03:15", ("Anouk de Vries", "")),
        ("Spreker 1 (00:00:03 - 00:00:09)", ("Spreker 1", "")),
        ("00:01:02 - 00:01:09 Spreker 1: hoi", ("Spreker 1", "hoi")),
        ("[Gelach] 10:03:15 echt waar", None),
        ("Ja\tdat klopt", None),
        ("Ik zei: doe normaal", None),
        ("Om 10:30 begon de les.", None),
        ("Nou: dat is zo", None),
        ("ik zei: laat maar", None),
    ],
)
def test_speaker_labels_real_transcripts_use(line, expected):
    from mivcode.core.importers.turn_builder import split_speaker

    hit = split_speaker(line)
    assert (hit[:2] if hit else None) == expected


def test_transcription_service_layout_speaker_and_time_above_the_text(tmp_path):
    p = tmp_path / "amberscript.txt"
    p.write_text(
        "Spreker 1  00:00:03\nWelkom bij dit gesprek.\n\nSpreker 2  00:00:09\nDank je.\nIk ben Sanne.\n",
        encoding="utf-8",
    )
    t = read_transcript_file(p)
    assert turn_texts(t) == [("Spreker 1", "Welkom bij dit gesprek."), ("Spreker 2", "Dank je.\nIk ben Sanne.")]
    assert t.turns[1].t_start == 9.0


def test_docx_bold_name_alone_labels_the_paragraphs_below(tmp_path):
    d = docx.Document()
    for speaker, text in DIALOGUE[:2]:
        d.add_paragraph().add_run(speaker).bold = True
        d.add_paragraph(text)
    d.save(tmp_path / "fg.docx")
    assert turn_texts(read_transcript_file(tmp_path / "fg.docx")) == DIALOGUE[:2]


def test_docx_time_stamp_before_a_bold_name(tmp_path):
    """Transcription services write "[00:00:05] **Spreker 1** tekst": the stamp must not hide the label."""
    d = docx.Document()
    for (speaker, text), stamp in zip(DIALOGUE[:2], ("[00:00:05]", "00:01:12")):
        p = d.add_paragraph()
        p.add_run(stamp + " ")
        p.add_run(speaker).bold = True
        p.add_run(" " + text)
    d.save(tmp_path / "fg.docx")
    t = read_transcript_file(tmp_path / "fg.docx")
    assert turn_texts(t) == DIALOGUE[:2]
    assert [u.t_start for u in t.turns] == [5.0, 72.0]


def test_header_fields_above_the_first_turn_are_not_speakers(tmp_path):
    """Transcripts open with 'Datum: …', 'Locatie: …', 'Aanwezig: …' (as lines or as table rows); those are
    no turns."""
    p = tmp_path / "fg.txt"
    p.write_text(
        "Focusgroep studenten – ROC Rivierland\nDatum: 14 maart 2023\nLocatie: Tiel\n"
        "Aanwezig: gespreksleider (GL), zes studenten (S1–S6)\nDuur: 75 minuten\n\n"
        "GL: Welkom allemaal.\nS1: Dank je.\n",
        encoding="utf-8",
    )
    assert turn_texts(read_transcript_file(p)) == [("GL", "Welkom allemaal."), ("S1", "Dank je.")]
    d = docx.Document()
    table = d.add_table(rows=0, cols=2)
    for speaker, text in [("Datum", "14 maart 2023"), ("Aantal deelnemers", "6"), *DIALOGUE[:2]]:
        row = table.add_row().cells
        row[0].text, row[1].text = speaker, text
    d.save(tmp_path / "fg.docx")
    assert turn_texts(read_transcript_file(tmp_path / "fg.docx")) == DIALOGUE[:2]


def test_bracketed_role_without_colon_opens_a_turn_but_a_transcriber_note_does_not(tmp_path):
    p = tmp_path / "fg.srt"
    p.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nGESPREKSLEIDER: Welkom allemaal.\n\n"
        "2\n00:00:04,500 --> 00:00:06,000\n[Student 2] Ik ben blij dat ik er ben.\n\n"
        "3\n00:00:06,500 --> 00:00:08,000\n[Gelach] Echt waar.\n",
        encoding="utf-8",
    )
    t = read_transcript_file(p)
    assert turn_texts(t) == [("GESPREKSLEIDER", "Welkom allemaal."),
                             ("Student 2", "Ik ben blij dat ik er ben. [Gelach] Echt waar.")]


def test_docx_turns_separated_by_soft_line_breaks(tmp_path):
    """A transcript pasted into Word often lands in one paragraph with line breaks (Shift+Enter)."""
    d = docx.Document()
    p = d.add_paragraph()
    for k, (speaker, text) in enumerate(DIALOGUE):
        run = p.add_run(f"{speaker}: {text}")
        if k < len(DIALOGUE) - 1:
            run.add_break()
    d.save(tmp_path / "fg.docx")
    assert turn_texts(read_transcript_file(tmp_path / "fg.docx")) == DIALOGUE



def test_f4_transcript_time_stamps_leave_the_text_and_become_end_times(tmp_path):
    """f4/f5transkript ends every paragraph with '#00:00:31-4#': not speech, but the time the turn ends."""
    p = tmp_path / "f4.txt"
    p.write_text("I: Welkom allemaal. #00:00:05-2#\n\nB1: Dank je.\nIk ben Sanne. #00:00:09-8#\n\n"
                 "B2: Ja. #00:01:31#\n", encoding="utf-8")
    t = read_transcript_file(p)
    assert turn_texts(t) == [("I", "Welkom allemaal."), ("B1", "Dank je.\nIk ben Sanne."), ("B2", "Ja.")]
    assert [u.t_end for u in t.turns] == [5.2, 9.8, 91.0]


def write_odt(path: Path, rows, *, table: bool = False, soft_breaks: bool = False) -> Path:
    """A real LibreOffice-style .odt written with odfpy: paragraphs, one paragraph with line breaks, or a table."""
    from odf import table as odf_table
    from odf import text as odf_text
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    doc.text.addElement(odf_text.P(text="Focusgroep studenten"))  # a title line: not a turn
    if table:
        t = odf_table.Table(name="Transcript")
        t.addElement(odf_table.TableColumn(numbercolumnsrepeated=2))
        for speaker, utterance in rows:
            tr = odf_table.TableRow()
            for value in (speaker, utterance):
                cell = odf_table.TableCell()
                cell.addElement(odf_text.P(text=value))
                tr.addElement(cell)
            t.addElement(tr)
        doc.text.addElement(t)
    elif soft_breaks:
        p = odf_text.P()
        for k, (speaker, utterance) in enumerate(rows):
            if k:
                p.addElement(odf_text.LineBreak())
            p.addText(f"{speaker}: {utterance}")
        doc.text.addElement(p)
    else:
        for speaker, utterance in rows:
            doc.text.addElement(odf_text.P(text=f"{speaker}: {utterance}"))
    doc.save(str(path))
    return path


@pytest.mark.parametrize("layout", ["paragraphs", "table", "soft_breaks"])
def test_odt_layouts(tmp_path, layout):
    p = write_odt(tmp_path / "fg.odt", DIALOGUE, table=layout == "table", soft_breaks=layout == "soft_breaks")
    assert turn_texts(read_transcript_file(p)) == DIALOGUE


def test_rtf_as_f4transkript_and_word_write_it(tmp_path):
    """Escapes (\\'e9, \\u8216?), bold groups, \\line breaks and f4 time stamps."""
    p = tmp_path / "f4.rtf"
    p.write_bytes(
        b"{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Calibri;}}\n"
        b"{\\b Gespreksleider:} Welkom allemaal. #00:00:05-2#\\par\n\\par\n"
        b"{\\b S1:} Ik ben Ren\\'e9e, dat vond ik echt \\u8216?niet ok\\u8217?.\\line Echt.\\par\n"
        b"S2: Ja. #00:00:31-4#\\par\n}"
    )
    t = read_transcript_file(p)
    assert turn_texts(t) == [("Gespreksleider", "Welkom allemaal."),
                             ("S1", "Ik ben Renée, dat vond ik echt ‘niet ok’.\nEcht."), ("S2", "Ja.")]
    assert t.turns[2].t_end == 31.4


@pytest.mark.parametrize("ext, payload", [
    (".rtf", b"Gespreksleider: dit is platte tekst met de verkeerde extensie"),
    (".odt", b"PK\x03\x04" + b"\x00" * 200),
    (".odt", b"Student 1: geen zip"),
])
def test_rtf_and_odt_that_are_not_what_they_say(tmp_path, ext, payload):
    f = tmp_path / f"vermomd{ext}"
    f.write_bytes(payload)
    with pytest.raises(InputError, match="vermomd"):
        read_transcript_file(f)


def test_docx_tracked_changes_read_as_word_shows_them(tmp_path):
    """A transcript with corrections never accepted: inserted words count, deleted words do not."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def change(tag: str, text_tag: str, text: str):
        el = OxmlElement(tag)
        el.set(qn("w:id"), "1")
        el.set(qn("w:author"), "transcribent")
        run, t = OxmlElement("w:r"), OxmlElement(text_tag)
        t.text = text
        t.set(qn("xml:space"), "preserve")
        run.append(t)
        el.append(run)
        return el

    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("Student 1").bold = True
    p.add_run(" Ik werd ")
    p._p.append(change("w:ins", "w:t", "echt vaak "))
    p.add_run("nagefloten.")
    p._p.append(change("w:del", "w:delText", " Niet waar."))
    d.add_paragraph("Gespreksleider: Dank je.")
    d.save(tmp_path / "fg.docx")
    assert turn_texts(read_transcript_file(tmp_path / "fg.docx")) == [
        ("Student 1", "Ik werd echt vaak nagefloten."), ("Gespreksleider", "Dank je.")]


@pytest.mark.parametrize("line, expected", [
    ("Docent burgerschap: Ik merk dat wel.", ("Docent burgerschap", "Ik merk dat wel.")),
    ("Medewerker receptie: Dat zie ik ook.", ("Medewerker receptie", "Dat zie ik ook.")),
    ("Mentor klas 2B: Klopt.", ("Mentor klas 2B", "Klopt.")),
    ("Docent zei: doe normaal.", None),
    ("Student vroeg toen: mag dat?", None),
])
def test_role_with_a_lower_case_specifier(line, expected):
    """Staff are often labelled by role and subject; a role followed by a verb of saying is speech."""
    from mivcode.core.importers.turn_builder import split_speaker

    hit = split_speaker(line)
    assert (hit[:2] if hit else None) == expected
