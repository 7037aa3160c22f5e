"""Texts of the command line: confirmations, summaries and table headers (not --help, not errors).

Listings print their JSON keys translated as table headers (`cli.col.<key>`);
`--json` keeps the keys themselves, which are a contract for scripts.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.none": ("(geen)", "(none)"),
    "cli.interrupted": ("onderbroken", "interrupted"),
    "cli.warning": ("waarschuwing: {warning}", "warning: {warning}"),
    # -- table headers (one per JSON key that listings print)
    "cli.col.name": ("naam", "name"),
    "cli.col.institution": ("instelling", "institution"),
    "cli.col.group": ("groep", "group"),
    "cli.col.turns": ("beurten", "turns"),
    "cli.col.words": ("woorden", "words"),
    "cli.col.coded_turns": ("gecodeerd", "coded_turns"),
    "cli.col.index": ("beurt", "index"),
    "cli.col.speaker": ("spreker", "speaker"),
    "cli.col.start": ("begin", "start"),
    "cli.col.end": ("eind", "end"),
    "cli.col.text": ("tekst", "text"),
    "cli.col.transcript": ("transcript", "transcript"),
    "cli.col.turn": ("beurt", "turn"),
    "cli.col.code": ("code", "code"),
    "cli.col.coder": ("codeur", "coder"),
    "cli.col.origin": ("herkomst", "origin"),
    "cli.col.memo": ("memo", "memo"),
    "cli.col.score": ("score", "score"),
    "cli.col.source": ("bron", "source"),
    "cli.col.status": ("status", "status"),
    "cli.col.evidence": ("bewijs", "evidence"),
    "cli.col.method": ("methode", "method"),
    "cli.col.precision": ("precisie", "precision"),
    "cli.col.recall": ("recall", "recall"),
    "cli.col.f1": ("f1", "f1"),
    "cli.col.support": ("aantal", "support"),
    "cli.col.predicted": ("voorspeld", "predicted"),
    "cli.col.units": ("eenheden", "units"),
    "cli.col.percent": ("percentage", "percent"),
    "cli.col.opm": ("opm", "notes"),
    "cli.col.settled": ("beslist", "settled"),
    "cli.col.consensus": ("consensus", "consensus"),
    # -- project, import, coding
    "cli.created": ("{path} aangemaakt met codeboek '{codebook}' ({n} codes)",
                    "created {path} with codebook '{codebook}' ({n} codes)"),
    "cli.imported": ("{name} geïmporteerd", "imported {name}"),
    "cli.nothing_to_import": ("niets nieuws om te importeren", "nothing new to import"),
    "cli.coded": ("{transcript} beurt {turn} {start}-{end} gecodeerd als {code} ({coder})",
                  "coded {transcript} turn {turn} {start}-{end} as {code} ({coder})"),
    "cli.uncoded": ("{n} codering(en) {code} verwijderd uit {transcript} beurt {turn} ({coder})",
                    "removed {n} coding(s) of {code} from {transcript} turn {turn} ({coder})"),
    "cli.codebook_ok": ("{file}: in orde — {n} codes, {themes} thema's", "{file}: ok — {n} codes, {themes} themes"),
    "cli.codebook_loaded": ("codeboek geladen: {added} toegevoegd, {updated} gewijzigd, {removed} verwijderd, "
                            "{merged} samengevoegd",
                            "codebook loaded: {added} added, {updated} updated, {removed} removed, {merged} merged"),
    "cli.memo_set": ("memo opgeslagen bij {transcript} beurt {turn} ({coder})",
                     "memo set on {transcript} turn {turn} ({coder})"),
    "cli.memo_cleared": ("memo gewist bij {transcript} beurt {turn} ({coder})",
                         "memo cleared on {transcript} turn {turn} ({coder})"),
    # the short phrase of each undoable operation, for the undo/redo lines (core/ops.py)
    "op.add_coding": ("code {code} op {transcript}", "code {code} on {transcript}"),
    "op.remove_coding": ("code {code} verwijderd", "code {code} removed"),
    "op.set_suggestion_status": ("suggestie {code}", "suggestion {code}"),
    "op.set_coding_memo": ("memo bij codering", "memo on coding"),
    "op.set_turn_memo": ("memo bij beurt {turn}", "memo on turn {turn}"),
    "op.batch": ("{n} wijzigingen", "{n} changes"),
    "op.put_code": ("codeboek", "codebook"),
    "op.recode": ("codes samengevoegd", "codes merged"),
    "op.settle": ("beslissing over {transcript} beurt {turn}", "decision on {transcript} turn {turn}"),
    "cli.undone": ("ongedaan gemaakt: {what}", "undone: {what}"),
    "cli.redone": ("opnieuw gedaan: {what}", "redone: {what}"),
    "cli.nothing_undo": ("niets ongedaan te maken voor {coder}", "nothing to undo for {coder}"),
    "cli.nothing_redo": ("niets opnieuw te doen voor {coder}", "nothing to redo for {coder}"),
    "cli.meta_updated": ("metadata van {transcript} bijgewerkt", "metadata of {transcript} updated"),
    "cli.doctor_config": ("configuratie: {path} (codeur: {coder}, taal: {language})",
                          "config: {path} (coder: {coder}, language: {language})"),
    "cli.doctor_pipeline": ("spaCy-pipeline: {pipeline}", "spaCy pipeline: {pipeline}"),
    # -- suggestions
    "cli.suggest_summary": ("{recomputed} transcript(en) herberekend, {skipped} ongewijzigd; {added} nieuw, "
                            "{updated} gewijzigd, {removed} vervallen ({source})",
                            "{recomputed} transcript(s) recomputed, {skipped} unchanged; {added} new, "
                            "{updated} changed, {removed} dropped ({source})"),
    "cli.accepted": ("suggestie {code} geaccepteerd voor beurt {turn} van {transcript} als {coder}",
                     "accepted {code} for turn {turn} of {transcript} as {coder}"),
    "cli.already_coded": (" (was al gecodeerd)", " (was already coded)"),
    "cli.rejected": ("suggestie {code} afgewezen voor beurt {turn} van {transcript}",
                     "rejected {code} for turn {turn} of {transcript}"),
    "cli.trained": ("model getraind op {turns} beurten uit {transcripts} transcript(en) van {coder} "
                    "({labels} codes, {folds}-voudige kalibratie, {seconds} s)",
                    "model trained on {turns} turns from {transcripts} transcript(s) of {coder} "
                    "({labels} codes, {folds}-fold calibration, {seconds} s)"),
    "cli.rules_only": ("alleen regels (model hielp niet op testdata): {codes}",
                       "rules only (the model did not help on held-out data): {codes}"),
    "cli.run_suggest": ("voer `mivcode suggest` uit om de suggesties bij te werken",
                        "run `mivcode suggest` to update the suggestions"),
    "cli.codings_imported": ("{n} codering(en) geïmporteerd als {coder}", "imported {n} coding(s) as {coder}"),
    # -- team work
    "cli.merge.conflict_ours": ("codeboekconflict (ons gekozen): {conflict}", "codebook conflict (ours kept): {conflict}"),
    "cli.merge.conflict_theirs": ("codeboekconflict (hun gekozen): {conflict}",
                                  "codebook conflict (theirs taken): {conflict}"),
    "cli.merge.codings": ("{added} coderingen toegevoegd ({present} al aanwezig)",
                          "{added} codings added ({present} already present)"),
    "cli.merge.transcripts": ("{n} transcript(en) toegevoegd: {names}", "{n} transcript(s) added: {names}"),
    "cli.merge.codes_added": ("{n} code(s) toegevoegd: {names}", "{n} code(s) added: {names}"),
    "cli.merge.codes_replaced": ("{n} code(s) overgenomen: {names}", "{n} code(s) taken over: {names}"),
    "cli.merge.codings_differing": ("{n} codering(en) met andere herkomst of memo: de eigen behouden",
                                    "{n} coding(s) with another origin or memo: ours kept"),
    "cli.merge.meta_differing": ("metadata verschilt bij {names}: de eigen behouden (wijzig met `mivcode meta`)",
                                 "metadata differs for {names}: ours kept (change with `mivcode meta`)"),
    "cli.merge.memos": ("{added} memo('s) toegevoegd, {kept} eigen memo('s) behouden",
                        "{added} memo(s) added, {kept} own memo(s) kept"),
    "cli.merge.source": ("{path}: {parts} (coders: {coders})", "{path}: {parts} (coders: {coders})"),
    "cli.merge.nothing_new": ("niets nieuws: het project bevat alles uit deze bestanden al",
                              "nothing new: the project already holds everything in these files"),
    "cli.agreement.units_turn": ("beurten", "turns"),
    "cli.agreement.units_span": ("tekens", "characters"),
    "cli.agreement.units_participants": ("beurten van deelnemers, zonder gespreksleider",
                                         "participant turns, without the moderator"),
    "cli.agreement.as_themes": ("als thema", "as themes"),
    "cli.agreement.as_coded": ("zoals gecodeerd", "as coded"),
    "cli.agreement.header": ("Overeenstemming — niveau {level}, eenheden: {units}; coders: {coders}; codes {codes}",
                             "Agreement — level {level}, units: {units}; coders: {coders}; codes {codes}"),
    "cli.agreement.min_overlap": ("; min. overlap {overlap}", "; min. overlap {overlap}"),
    "cli.consensus_done": ("consensus: {codings} codering(en) in {turns} beurt(en) waarover de coders het eens zijn; "
                           "{disagreements} beurt(en) met verschillen (beslis met `mivcode adjudicate`)",
                           "consensus: {codings} coding(s) in {turns} turn(s) the coders agree on; "
                           "{disagreements} turn(s) with differences (settle with `mivcode adjudicate`)"),
    # -- exports and exchange
    "cli.wrote_xlsx": ("{path} geschreven: {sheets} tabbladen, {segments} fragmenten ({layer})",
                       "wrote {path}: {sheets} sheets, {segments} segments ({layer})"),
    "cli.wrote_csv": ("{path} geschreven: {rows} rijen ({layer})", "wrote {path}: {rows} rows ({layer})"),
    "cli.wrote_taguette": ("{path} geschreven: {codes} codes als Taguette-tags",
                           "wrote {path}: {codes} codes as Taguette tags"),
    "cli.wrote_qdpx": ("{path} geschreven: {transcripts} transcripten, {codes} codes, {codings} coderingen "
                       "in {selections} selecties",
                       "wrote {path}: {transcripts} transcripts, {codes} codes, {codings} codings "
                       "in {selections} selections"),
    "cli.wrote_qdc": ("{path} geschreven: {codes} codes", "wrote {path}: {codes} codes"),
    "cli.imported_qdpx": ("{file} geïmporteerd: {transcripts} transcripten ({transcripts_existing} al aanwezig), "
                          "{codes} nieuwe codes ({codes_existing} bekend), {codings} coderingen "
                          "({codings_existing} al aanwezig)",
                          "imported {file}: {transcripts} transcripts ({transcripts_existing} already present), "
                          "{codes} new codes ({codes_existing} known), {codings} codings "
                          "({codings_existing} already present)"),
    "cli.imported_qdpx_memos": (", {n} memo's bij beurten", ", {n} turn memos"),
    "cli.imported_qdc": ("codeboek geïmporteerd uit {file}: {codes} nieuwe codes, {existing} al aanwezig",
                         "codebook imported from {file}: {codes} new codes, {existing} already present"),
    # -- demo
    "cli.demo_built": ("demoproject {path} gebouwd: {transcripts} transcripten, {codings} referentiecoderingen "
                       "door '{coder}'{skipped}, {suggestions} open suggesties",
                       "built demo project {path}: {transcripts} transcripts, {codings} reference codings "
                       "by '{coder}'{skipped}, {suggestions} open suggestions"),
    "cli.demo_skipped": (" ({n} rijen overgeslagen)", " ({n} rows skipped)"),
    "cli.demo.project": ("project: {path}", "project: {path}"),
    "cli.demo.totals": ("transcripten: {transcripts}  codes: {codes}  codeurs: {coders}",
                        "transcripts: {transcripts}  codes: {codes}  coders: {coders}"),
    "cli.demo.line": ("{coded}/{turns} beurten gecodeerd{by}, {open} open suggesties",
                      "{coded}/{turns} turns coded{by}, {open} open suggestions"),
    "cli.demo.by": (" door {coder}", " by {coder}"),
}
