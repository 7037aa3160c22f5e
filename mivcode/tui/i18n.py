"""The one message catalogue of the terminal UI: Dutch first, English selectable.

Researchers at the agencies read Dutch all day; English is there for
international colleagues. Every text a researcher sees comes from here so a
translation never goes missing in a corner of a screen. `t(key, **values)`
formats with `str.format`; an unknown key shows itself, so a gap is visible
in the UI and in tests rather than crashing a coding session.
"""

from __future__ import annotations

LANGUAGES = ("nl", "en")
_language = "nl"

MESSAGES: dict[str, tuple[str, str]] = {
    # -- app / general
    "app.title": ("mivcode — MIV mbo coderen", "mivcode — MIV mbo coding"),
    "app.readonly": ("Project is alleen-lezen: je kunt kijken, niet wijzigen.", "Project is read-only: you can look, not change."),
    "app.readonly_refused": ("Alleen-lezen: {what} is niet opgeslagen.", "Read-only: {what} was not saved."),
    "app.language_set": ("Taal: Nederlands", "Language: English"),
    "app.theme_set": ("Thema: {theme}", "Theme: {theme}"),
    "app.coder_set": ("Codeur: {coder}", "Coder: {coder}"),
    "app.error": ("Fout: {error}", "Error: {error}"),
    "common.none": ("(geen)", "(none)"),
    "common.all": ("alle", "all"),
    "common.cancel": ("Annuleren", "Cancel"),
    "common.ok": ("OK", "OK"),
    # -- bindings (descriptions: footer, help, palette)
    "key.quit": ("Stoppen", "Quit"),
    "key.help": ("Toetsen", "Keys"),
    "key.palette": ("Opdrachten", "Commands"),
    "key.back": ("Terug", "Back"),
    "key.open": ("Openen", "Open"),
    "key.codebook": ("Codeboek", "Codebook"),
    "key.retrieval": ("Fragmenten", "Segments"),
    "key.adjudication": ("Beoordelen", "Adjudicate"),
    "key.language": ("Taal NL/EN", "Language NL/EN"),
    "key.theme": ("Licht/donker", "Light/dark"),
    "key.coder": ("Codeur wisselen", "Change coder"),
    "key.search": ("Zoeken", "Search"),
    "key.down": ("Volgende beurt", "Next turn"),
    "key.up": ("Vorige beurt", "Previous turn"),
    "key.page_down": ("Pagina omlaag", "Page down"),
    "key.page_up": ("Pagina omhoog", "Page up"),
    "key.first": ("Eerste beurt", "First turn"),
    "key.last": ("Laatste beurt", "Last turn"),
    "key.picker": ("Code kiezen", "Pick code"),
    "key.accept": ("Suggestie accepteren", "Accept suggestion"),
    "key.reject": ("Suggestie afwijzen", "Reject suggestion"),
    "key.accept_all": ("Alles boven drempel", "Accept above threshold"),
    "key.memo": ("Memo", "Memo"),
    "key.undo": ("Ongedaan maken", "Undo"),
    "key.redo": ("Opnieuw", "Redo"),
    "key.filter": ("Filter", "Filter"),
    "key.next_hit": ("Volgende treffer", "Next hit"),
    "key.prev_hit": ("Vorige treffer", "Previous hit"),
    "key.suggest": ("Suggesties berekenen", "Compute suggestions"),
    "key.train": ("Model trainen", "Train model"),
    "key.caret_left": ("Cursor woord links", "Caret word left"),
    "key.caret_right": ("Cursor woord rechts", "Caret word right"),
    "key.select_left": ("Selectie woord links", "Select word left"),
    "key.select_right": ("Selectie woord rechts", "Select word right"),
    "key.select_down": ("Selectie regel omlaag", "Select line down"),
    "key.select_up": ("Selectie regel omhoog", "Select line up"),
    "key.clear": ("Selectie/filter wissen", "Clear selection/filter"),
    "key.add_code": ("Code toevoegen", "Add code"),
    "key.rename": ("Naam wijzigen", "Rename"),
    "key.move": ("Verplaatsen", "Move"),
    "key.merge": ("Samenvoegen", "Merge"),
    "key.keywords": ("Trefwoorden", "Keywords"),
    "key.definition": ("Definitie", "Definition"),
    "key.filter_institution": ("Instelling", "Institution"),
    "key.filter_group": ("Groep", "Group"),
    "key.filter_coder": ("Codeur", "Coder"),
    "key.pick_code": ("Code", "Code"),
    "key.refresh": ("Vernieuwen", "Refresh"),
    "key.shortcut": ("Code aan/uit (sneltoets)", "Toggle code (shortcut)"),
    # -- home
    "home.title": ("Transcripten", "Transcripts"),
    "home.codebook": ("Codeboek", "Codebook"),
    "home.progress": ("{coded}/{turns} beurten", "{coded}/{turns} turns"),
    "home.open_suggestions": ("◆ {n} open", "◆ {n} open"),  # ◆ marks open suggestions everywhere
    "home.no_transcripts": ("Nog geen transcripten. Importeer met `mivcode import`.", "No transcripts yet. Import with `mivcode import`."),
    "home.unknown_institution": ("(instelling onbekend)", "(institution unknown)"),
    "home.unknown_group": ("(groep onbekend)", "(group unknown)"),
    "home.header": ("Project {path} · codeur {coder}", "Project {path} · coder {coder}"),
    # -- coder dialog
    "coder.title": ("Wie codeert er?", "Who is coding?"),
    "coder.prompt": ("Je naam of initialen (wordt onthouden):", "Your name or initials (remembered):"),
    "coder.empty": ("Vul een naam in.", "Enter a name."),
    # -- coding screen
    "coding.status": ("{coder} · {transcript} · beurt {turn} (0–{last}){filter}", "{coder} · {transcript} · turn {turn} (0–{last}){filter}"),
    "coding.filter_label": (" · filter: {name} {pos}/{total}", " · filter: {name} {pos}/{total}"),
    "coding.side_codes": ("Codes op deze beurt", "Codes on this turn"),
    "coding.side_suggestions": ("Suggesties", "Suggestions"),
    "coding.side_memo": ("Memo", "Memo"),
    "coding.no_suggestions": ("geen open suggesties", "no open suggestions"),
    "coding.no_codes": ("nog niet gecodeerd", "not coded yet"),
    "coding.suggestion_hint": ("a = accepteren, x = afwijzen", "a = accept, x = reject"),
    "coding.coded": ("Gecodeerd: beurt {turn} → {code}", "Coded: turn {turn} → {code}"),
    "coding.coded_span": ("Fragment gecodeerd ({n} tekens) → {code}", "Segment coded ({n} characters) → {code}"),
    "coding.uncoded": ("Code verwijderd: beurt {turn} ✗ {code}", "Code removed: turn {turn} ✗ {code}"),
    "coding.accepted": ("Suggestie geaccepteerd: {code}", "Suggestion accepted: {code}"),
    "coding.rejected": ("Suggestie afgewezen: {code}", "Suggestion rejected: {code}"),
    "coding.accepted_all": ("{n} suggesties geaccepteerd (score ≥ {threshold})", "{n} suggestions accepted (score ≥ {threshold})"),
    "coding.no_open": ("Geen open suggestie op deze beurt.", "No open suggestion on this turn."),
    "coding.undone": ("Ongedaan gemaakt: {what}", "Undone: {what}"),
    "coding.redone": ("Opnieuw gedaan: {what}", "Redone: {what}"),
    "coding.nothing_undo": ("Niets om ongedaan te maken.", "Nothing to undo."),
    "coding.nothing_redo": ("Niets om opnieuw te doen.", "Nothing to redo."),
    "coding.memo_saved": ("Memo opgeslagen.", "Memo saved."),
    "coding.memo_removed": ("Memo verwijderd.", "Memo removed."),
    "coding.threshold_title": ("Alle open suggesties accepteren vanaf score:", "Accept every open suggestion from score:"),
    "coding.threshold_invalid": ("Geef een getal tussen 0 en 1.", "Give a number between 0 and 1."),
    "coding.empty_filter": ("Geen beurten voor dit filter.", "No turns match this filter."),
    "coding.loading": ("Transcript laden…", "Loading transcript…"),
    "coding.suggest_running": ("Suggesties berekenen… {pct}", "Computing suggestions… {pct}"),
    "coding.suggest_done": ("Suggesties bijgewerkt.", "Suggestions updated."),
    "coding.suggest_failed": ("Suggesties mislukt: {error}", "Suggestions failed: {error}"),
    "coding.train_running": ("Model trainen… {pct}", "Training model… {pct}"),
    "coding.train_done": ("Model getraind.", "Model trained."),
    "coding.tag_span": ("fragment", "segment"),
    "coding.memo_marker": ("✎ memo", "✎ memo"),
    "coding.suggest_marker": ("◆ {n} suggestie(s)", "◆ {n} suggestion(s)"),
    "coding.selection": ("selectie: {n} tekens", "selection: {n} characters"),
    "coding.jumped": ("Treffer {i}/{n}", "Hit {i}/{n}"),
    "coding.no_hits": ("Geen zoektreffers; zoek eerst met /.", "No search hits; search first with /."),
    # (what undo/redo did is said by each op: mivcode.core.ops)
    # -- filter dialog
    "filter.title": ("Beurten filteren", "Filter turns"),
    "filter.all": ("Alle beurten", "All turns"),
    "filter.uncoded": ("Nog niet gecodeerd (door mij)", "Not coded yet (by me)"),
    "filter.suggestions": ("Met open suggesties", "With open suggestions"),
    "filter.code": ("Met code: {code}", "With code: {code}"),
    "filter.speaker": ("Spreker: {speaker}", "Speaker: {speaker}"),
    "filter.memo": ("Met memo", "With memo"),
    "filter.name.all": ("alle", "all"),
    "filter.name.uncoded": ("ongecodeerd", "uncoded"),
    "filter.name.suggestions": ("open suggesties", "open suggestions"),
    "filter.name.memo": ("memo", "memo"),
    # -- code picker
    "picker.title": ("Code kiezen (typ om te zoeken)", "Pick a code (type to search)"),
    "picker.title_parent": ("Nieuwe bovenliggende code (leeg = hoofdthema)", "New parent code (empty = top level)"),
    "picker.title_merge": ("Samenvoegen met welke code?", "Merge into which code?"),
    "picker.top_level": ("(hoofdniveau)", "(top level)"),
    # -- memo dialog
    "memo.title_turn": ("Memo bij beurt {turn}", "Memo on turn {turn}"),
    "memo.title_coding": ("Memo bij codering {code}", "Memo on coding {code}"),
    "memo.target": ("Memo voor:", "Memo for:"),
    "memo.target_turn": ("de beurt", "the turn"),
    "memo.target_coding": ("codering {code}", "coding {code}"),
    "memo.hint": ("Enter = opslaan, leeg = verwijderen, Esc = annuleren", "Enter = save, empty = remove, Esc = cancel"),
    # -- search
    "search.title": ("Zoeken in het hele project", "Search the whole project"),
    "search.placeholder": ("zoekterm (fuzzy)…", "search term (fuzzy)…"),
    "search.results": ("{n} treffers", "{n} hits"),
    "search.no_results": ("Geen treffers.", "No hits."),
    "search.hint": ("↑/↓ kiezen, Enter springen, Esc sluiten", "↑/↓ choose, Enter jump, Esc close"),
    # -- codebook screen
    "codebook.title": ("Codeboek", "Codebook"),
    "codebook.definition": ("Definitie", "Definition"),
    "codebook.include": ("Wel coderen", "Include"),
    "codebook.exclude": ("Niet coderen", "Exclude"),
    "codebook.examples": ("Voorbeelden", "Examples"),
    "codebook.keywords": ("Trefwoorden", "Keywords"),
    "codebook.shortcut": ("Sneltoets", "Shortcut"),
    "codebook.count": ("Coderingen", "Codings"),
    "codebook.parent": ("Onder", "Under"),
    "codebook.new_id": ("Id van de nieuwe code (a-z, 0-9, _):", "Id of the new code (a-z, 0-9, _):"),
    "codebook.exists": ("Er is al een code '{code}'.", "A code '{code}' already exists."),
    "codebook.new_label": ("Label van de nieuwe code:", "Label of the new code:"),
    "codebook.rename": ("Nieuw label voor {code}:", "New label for {code}:"),
    "codebook.keywords_edit": ("Trefwoorden voor {code} (komma's ertussen):", "Keywords for {code} (comma separated):"),
    "codebook.definition_edit": ("Definitie van {code}:", "Definition of {code}:"),
    "codebook.saved": ("Codeboek opgeslagen: {code}", "Codebook saved: {code}"),
    "codebook.merged": ("{source} samengevoegd met {target} ({n} coderingen verplaatst)", "{source} merged into {target} ({n} codings moved)"),
    "codebook.confirm_merge": ("{source} samenvoegen met {target}? Alle coderingen verhuizen. (j/n)", "Merge {source} into {target}? All codings move. (y/n)"),
    "codebook.refreshing": ("Suggesties worden bijgewerkt…", "Updating suggestions…"),
    # -- retrieval
    "retrieval.title": ("Gecodeerde fragmenten", "Coded segments"),
    "retrieval.summary": ("{code}: {n} fragmenten · instelling: {institution} · groep: {group} · codeur: {coder}",
                          "{code}: {n} segments · institution: {institution} · group: {group} · coder: {coder}"),
    "retrieval.none": ("Geen fragmenten met deze code en filters.", "No segments with this code and filters."),
    "retrieval.choose": ("Kies een code met c.", "Choose a code with c."),
    "retrieval.choose_filter": ("Filter op {what}", "Filter by {what}"),
    "retrieval.item": ("{transcript} · beurt {turn} · {speaker} · {coder}", "{transcript} · turn {turn} · {speaker} · {coder}"),
    # -- help
    "help.title": ("Toetsen en opdrachten", "Keys and commands"),
    "help.pipeline": ("spaCy-pipeline", "spaCy pipeline"),
    "help.pipeline_loading": ("wordt opgevraagd…", "being looked up…"),
    "help.codes": ("Codesneltoetsen (codeerscherm)", "Code shortcuts (coding screen)"),
    "help.close": ("Esc of q sluit dit venster.", "Esc or q closes this window."),
    "help.keymap": ("Eigen toetsen: [keymap] in {path}", "Own keys: [keymap] in {path}"),
    "help.mouse": ("Muis: klik kiest een beurt, slepen selecteert tekst, scrollen werkt.",
                   "Mouse: click picks a turn, drag selects text, wheel scrolls."),
    # -- palette
    "palette.filter": ("Filter: {name}", "Filter: {name}"),
    "palette.open_transcript": ("Open transcript: {name}", "Open transcript: {name}"),
}


def set_language(language: str) -> None:
    global _language
    _language = language if language in LANGUAGES else "nl"


def language() -> str:
    return _language


def t(key: str, **values) -> str:
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[1] if _language == "en" else pair[0]
    return text.format(**values) if values else text
