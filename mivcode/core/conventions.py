"""A team's coding conventions: what it codes, written down as data the engine and the reports obey.

Teams that use the same codebook still differ in a few decisions, and each used
to be fixed in the engine's code, where no amount of the team's coding could
change it. Measured on unseen focus groups, those decisions caused a quarter of
the misses (moderator questions that a team codes) and most of the false alarms
of accepted unsafety (reporting routes that a team does not code). They now live
in the codebook's `conventions:` block (see codebooks/README.md):

    conventions:
      moderator_questions: true     # a moderator's question that raises a theme is coded
      sibling_themes: true          # one behaviour may carry two themes (online and discrimination)
      not_coded: [melden_en_steun]  # codes this team never gives: never suggested
      report_under:                 # where a code counts in the reports (default: its top-level theme)
        normalisering: geaccepteerde_onveiligheid

The learned layer reads `moderator_questions` as a feature, so a prior trained
on teams with either answer follows the setting at the cold start, and training
on the team's own codings still learns what the team really does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KNOWN = ("moderator_questions", "sibling_themes", "not_coded", "report_under")


@dataclass(frozen=True, slots=True)
class Conventions:
    moderator_questions: bool = False
    sibling_themes: bool = False
    not_coded: tuple[str, ...] = ()
    report_under: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Only what differs from the defaults (the YAML block and the stored value stay short)."""
        out: dict = {}
        if self.moderator_questions:
            out["moderator_questions"] = True
        if self.sibling_themes:
            out["sibling_themes"] = True
        if self.not_coded:
            out["not_coded"] = list(self.not_coded)
        if self.report_under:
            out["report_under"] = dict(self.report_under)
        return out

    def report_theme(self, by_id: dict, code: str, top_level_of) -> str:
        """The theme a code counts under in the reports."""
        return self.report_under.get(code) or top_level_of(by_id, code)


DEFAULT = Conventions()


def parse_conventions(raw: object, where: str, codes: dict) -> tuple[Conventions, list[str], list[str]]:
    """Conventions from a codebook's block (or a stored value); errors and warnings as `where: problem`.

    `codes`: id → Code of the codebook, to check that named codes exist (and report_under targets are themes).
    """
    errors: list[str] = []
    warnings: list[str] = []
    if raw is None:
        return DEFAULT, errors, warnings
    if not isinstance(raw, dict):
        return DEFAULT, [f"{where}: conventions must be a mapping (key: value)"], warnings
    unknown = sorted(str(k) for k in raw if k not in KNOWN and k != "__line__")
    if unknown:
        warnings.append(f"{where}: unknown convention(s) ignored: {', '.join(unknown)} (known: {', '.join(KNOWN)})")
    flags = {}
    for key in ("moderator_questions", "sibling_themes"):
        value = raw.get(key, False)
        if not isinstance(value, bool):
            errors.append(f"{where}: conventions.{key} must be true or false, not {value!r}")
            value = False
        flags[key] = value
    not_coded = raw.get("not_coded") or []
    if not isinstance(not_coded, list) or not all(isinstance(c, str) for c in not_coded):
        errors.append(f"{where}: conventions.not_coded must be a list of code ids")
        not_coded = []
    for c in not_coded:
        if c not in codes:
            errors.append(f"{where}: conventions.not_coded names an unknown code '{c}'")
    report_under = raw.get("report_under") or {}
    if not isinstance(report_under, dict):
        errors.append(f"{where}: conventions.report_under must map code ids to theme ids")
        report_under = {}
    clean: dict[str, str] = {}
    for code, theme in report_under.items():
        if code == "__line__":
            continue
        if code not in codes:
            errors.append(f"{where}: conventions.report_under names an unknown code '{code}'")
        elif not isinstance(theme, str) or theme not in codes or codes[theme].parent:
            errors.append(f"{where}: conventions.report_under.{code} must name a top-level theme, not {theme!r}")
        else:
            clean[str(code)] = theme
    return (Conventions(flags["moderator_questions"], flags["sibling_themes"],
                        tuple(c for c in not_coded if c in codes), clean), errors, warnings)
