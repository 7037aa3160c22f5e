"""The agreement table: codings of a project turned into citable figures per code.

Decisions (and why), so a methods section can state them:

* **Units at turn level** are turns. A code is present in a turn for a coder
  when one of the coder's codings of it overlaps the turn (a span running
  over two turns counts in both). A coder counts only for transcripts in
  which they coded anything; elsewhere their value is missing, not
  "absent", because an uncoded transcript is not a decision.
* **Codes as coded by default**; ``rollup=True`` counts a sub-code as its
  top-level theme (agreement on themes; always at least as high).
* **``_all``** pools every (turn, code) decision into one present/absent
  matrix (units = turns x codes); at span level it pools the characters of
  every code (NVivo) and every segment (MAXQDA) and takes Krippendorff's
  overall alpha_U (mean uD_o / mean uD_e).
* **Span level** concatenates the transcripts two coders both coded into one
  continuum (for alpha_U: the transcripts every coder coded). NVivo's and
  MAXQDA's figures compare two coders; with more coders they are the mean
  over coder pairs and the note says so.
* **``participants_only``** leaves the moderator's turns out of the turn
  units (found as the suggestions find them: by label, by the manifest's
  ``moderator`` column, else the speaker who asks most). Nobody codes a
  moderator's procedural turns, so counting them inflates percent agreement
  and AC1; a methods section should say which units it used.
* A figure that is undefined (one coder, no variation, no units) is
  ``None`` with the reason in ``notes`` -- never a number made up.

The statistics themselves are `mivcode.core.team.stats` (tested against
published examples); this module only builds their input matrices, fast
(numpy, one SQL read), and shapes the rows the CLI, the Excel export and the
UI show.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from mivcode.core.codebook import top_level_of
from mivcode.core.errors import InputError
from mivcode.core.model import CONSENSUS_CODER
from mivcode.core.project import Project
from mivcode.core.spans import touched_arrays
from mivcode.core.team import stats
from mivcode.core.team.stats import Figure

ALL = "_all"
LEVELS = ("turn", "span")
# The contract: every row has these keys (None where a figure is not defined).
FIGURES = ("percent", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "ac1")


@dataclass(slots=True)
class CodingData:
    """Codings of the chosen coders as arrays, and the project's turns and texts."""

    coders: list[str]
    columns: list[str]  # code ids compared (themes when rolled up)
    labels: dict[str, str]
    tid: np.ndarray  # per coding
    start: np.ndarray
    end: np.ndarray
    code: np.ndarray  # column index, -1 = not compared
    coder: np.ndarray  # index into coders
    rated: np.ndarray  # bool [coder, transcript index]: the coder coded this transcript
    transcript_ids: list[int]
    lengths: np.ndarray  # text length per transcript index
    turn_transcript: np.ndarray  # transcript index per global turn
    turn_start: np.ndarray  # global offsets (transcript base + offset)
    turn_end: np.ndarray
    base: np.ndarray  # global offset of each transcript's first character
    turn_is_unit: np.ndarray | None = None  # bool per global turn; None = every turn is a unit


def load(project: Project, coders: list[str] | None = None, code: str | None = None,
         rollup: bool = False) -> CodingData:
    """Read codings, turns and transcripts once; validate coders and code."""
    bulk = project.bulk
    by_id = {c.id: c for c in project.codes()}
    arr, coder_names, code_ids = bulk.coding_array()
    name_to_id = {name: cid for cid, name in coder_names.items()}
    available = sorted(coder_names[i] for i in np.unique(arr[:, 3]).tolist())
    if coders is None:
        coders = [c for c in available if c != CONSENSUS_CODER]
    else:
        coders = list(dict.fromkeys(c.strip() for c in coders if c.strip()))
        unknown = [c for c in coders if c not in available]
        if unknown:
            raise InputError(
                f"{project.path}: coder '{unknown[0]}' has no codings here (coders: {', '.join(available) or 'none'})"
            )
    if code is not None and code not in by_id:
        raise InputError(f"unknown code '{code}' (see `mivcode codebook`)")

    def column_of(cid: str) -> str:
        return top_level_of(by_id, cid) if rollup else cid

    transcripts = bulk.transcript_index()
    transcript_ids = [t[0] for t in transcripts]
    lengths = np.array([t[3] for t in transcripts], dtype=np.int64)
    base = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64) if len(lengths) else lengths
    t_lut = np.full(max(transcript_ids, default=0) + 1, -1, dtype=np.int64)
    t_lut[transcript_ids] = np.arange(len(transcript_ids))

    # Keep the chosen coders' codings; index coders, codes and transcripts through lookup tables.
    k_lut = np.full(max(coder_names, default=0) + 1, -1, dtype=np.int64)
    for i, name in enumerate(coders):
        k_lut[name_to_id[name]] = i
    k_idx = k_lut[arr[:, 3]]
    arr, k_idx = arr[k_idx >= 0], k_idx[k_idx >= 0]
    used_rowids = np.unique(arr[:, 4]).tolist()
    used = sorted({column_of(code_ids[r]) for r in used_rowids},
                  key=lambda c: (by_id[c].order if c in by_id else 0, c))
    columns = [column_of(code)] if code is not None else used
    col_pos = {c: i for i, c in enumerate(columns)}
    c_lut = np.full(max(code_ids, default=0) + 1, -1, dtype=np.int64)
    for rowid, cid in code_ids.items():
        c_lut[rowid] = col_pos.get(column_of(cid), -1)
    t_idx = t_lut[arr[:, 0]]
    rated = np.zeros((len(coders), len(transcript_ids)), dtype=bool)
    rated[k_idx, t_idx] = True

    turns = bulk.turn_bounds()
    if turns:
        u_tid, _, u_start, u_end = np.array(turns, dtype=np.int64).T
        u_t = t_lut[u_tid]
        order = np.lexsort((u_start, u_t))  # by transcript, then position in the text
        u_t, u_start, u_end = u_t[order], u_start[order].astype(np.int64), u_end[order].astype(np.int64)
    else:
        u_t = u_start = u_end = np.empty(0, dtype=np.int64)
    return CodingData(
        coders=coders, columns=columns, labels={c: by_id[c].label if c in by_id else c for c in columns},
        tid=t_idx, start=arr[:, 1].copy(), end=arr[:, 2].copy(), code=c_lut[arr[:, 4]], coder=k_idx,
        rated=rated, transcript_ids=transcript_ids, lengths=lengths, turn_transcript=u_t,
        turn_start=base[u_t] + u_start if len(u_t) else u_start, turn_end=base[u_t] + u_end if len(u_t) else u_end,
        base=base,
    )


def turn_presence(data: CodingData) -> tuple[np.ndarray, np.ndarray]:
    """(present [coder, column, turn] bool, rated [coder, turn] bool) over every turn of the project."""
    n_turns = len(data.turn_start)
    present = np.zeros((len(data.coders), len(data.columns), n_turns), dtype=bool)
    keep = data.code >= 0
    if keep.any() and n_turns:
        g_start = data.base[data.tid[keep]] + data.start[keep]
        g_end = data.base[data.tid[keep]] + data.end[keep]
        first, stop = touched_arrays(data.turn_start, data.turn_end, g_start, g_end)
        count = stop - first
        rep = np.repeat(np.arange(len(first)), count)
        turn = np.repeat(first, count) + (np.arange(len(rep)) - np.repeat(np.cumsum(count) - count, count))
        present[data.coder[keep][rep], data.code[keep][rep], turn] = True
    rated = data.rated[:, data.turn_transcript] if n_turns else np.zeros((len(data.coders), 0), dtype=bool)
    if data.turn_is_unit is not None and n_turns:
        present, rated = present[:, :, data.turn_is_unit], rated[:, data.turn_is_unit]
    return present, rated


def participant_turns(project: Project, data: CodingData) -> np.ndarray:
    """Bool per global turn (in `data`'s order): True unless a moderator speaks it."""
    from mivcode.core.suggest.dutch import moderator_speakers

    by_transcript: dict[int, list[tuple[int, str, str]]] = {}
    for tid, idx, speaker, text in project.bulk.turn_speakers_and_texts():
        by_transcript.setdefault(tid, []).append((idx, speaker, text or ""))
    meta = project.bulk.transcript_free_meta()
    moderator_turn: set[tuple[int, int]] = set()
    for tid, rows in by_transcript.items():
        mods = moderator_speakers([r[1] for r in rows], [r[2] for r in rows], meta.get(tid))
        moderator_turn.update((tid, idx) for idx, speaker, _ in rows if speaker in mods)
    ordered = sorted((tid, idx) for tid, rows in by_transcript.items() for idx, _, _ in rows)
    t_pos = {tid: i for i, tid in enumerate(data.transcript_ids)}
    # data's turns are sorted by transcript index, then position: the same order as (transcript, idx) here
    ordered.sort(key=lambda k: (t_pos[k[0]], k[1]))
    return np.array([k not in moderator_turn for k in ordered], dtype=bool)


def _figures_row(code: str, label: str, level: str, data: CodingData, figures: dict[str, Figure],
                 units: int, rollup: bool, extra: dict | None = None) -> dict:
    row: dict = {"code": code, "label": label, "level": level, "coders": list(data.coders), "units": units}
    for name in FIGURES:
        f = figures.get(name)
        row[name] = None if f is None or f.value is None else round(float(f.value), 6)
    row["rollup"] = rollup
    row["figure_units"] = {name: f.units for name, f in figures.items()}
    row["notes"] = {name: f.note for name, f in figures.items() if f.note}
    if extra:
        row.update(extra)
    return row


def _turn_figures(matrix: np.ndarray) -> dict[str, Figure]:
    n = matrix.shape[0]
    if n == 2:
        cohen = stats.cohen_kappa(matrix[0], matrix[1])
    else:
        cohen = Figure(None, 0, f"Cohen's kappa is defined for exactly two coders ({n} chosen); see Fleiss' kappa")
    return {
        "percent": stats.percent_agreement(matrix),
        "cohen_kappa": cohen,
        "fleiss_kappa": stats.fleiss_kappa(matrix),
        "krippendorff_alpha": stats.krippendorff_alpha(matrix, "nominal"),
        "ac1": stats.gwet_ac1(matrix, categories=(0.0, 1.0)),
    }


def turn_table(data: CodingData, rollup: bool = False, include_all: bool = True) -> list[dict]:
    present, rated = turn_presence(data)
    mask = np.where(rated, 0.0, np.nan)  # [coder, turn]
    rows = []
    for j, code in enumerate(data.columns):
        matrix = mask + present[:, j, :]
        figs = _turn_figures(matrix)
        rows.append(_figures_row(code, data.labels[code], "turn", data, figs, figs["percent"].units, rollup))
    if include_all and data.columns:
        pooled = (mask[:, None, :] + present).reshape(len(data.coders), -1)
        figs = _turn_figures(pooled)
        rows.append(_figures_row(ALL, "Alle codes (gepoold: beurten x codes)", "turn", data, figs,
                                 figs["percent"].units, rollup))
    return rows


# -- span level -------------------------------------------------------------------


def _spans(data: CodingData, coder: int, column: int, transcripts: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """One coder's spans of one code on a continuum of the given transcripts, shifted by `offsets`."""
    sel = (data.coder == coder) & (data.code == column) & np.isin(data.tid, transcripts)
    shift = np.zeros(len(data.transcript_ids), dtype=np.int64)
    shift[transcripts] = offsets
    t = data.tid[sel]
    return np.stack([data.start[sel] + shift[t], data.end[sel] + shift[t]], axis=1)


def _continuum(data: CodingData, coders: list[int]) -> tuple[np.ndarray, np.ndarray, int]:
    """Transcripts every one of `coders` coded, their offsets on the joined continuum, and its length."""
    transcripts = np.flatnonzero(data.rated[coders].all(axis=0))
    lengths = data.lengths[transcripts]
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64) if len(lengths) else lengths
    return transcripts, offsets, int(lengths.sum())


def _pooled_kappa(parts: list[stats.CharacterAgreement]) -> tuple[Figure, Figure]:
    """NVivo's kappa and agreement on all codes' continua laid end to end (exact integers).

    Equal to `stats.nvivo_character_kappa` on the concatenation, without
    building a mask of codes x characters.
    """
    n = sum(p.length for p in parts)
    if n == 0:
        none = Figure(None, 0, "no characters in transcripts both coders coded")
        return none, none
    agree = sum(p.both + p.neither for p in parts)
    a = sum(p.coded_a for p in parts)
    b = sum(p.coded_b for p in parts)
    chance = a * b + (n - a) * (n - b)
    if n * n == chance:
        return Figure(None, n, "no variation in any code (P_e = 1)"), Figure(agree / n, n)
    return Figure((n * agree - chance) / (n * n - chance), n), Figure(agree / n, n)


def _mean(figs: list[Figure], what: str) -> Figure:
    values = [f.value for f in figs if f.value is not None]
    units = max((f.units for f in figs), default=0)
    if not figs:
        return Figure(None, 0, "needs at least two coders")
    if not values:
        return Figure(None, units, figs[0].note)
    if len(figs) == 1:
        return figs[0]
    note = f"mean of {len(values)} coder pairs" + (f" ({len(figs) - len(values)} undefined)" if len(values) < len(figs) else "")
    return Figure(float(np.mean(values)), units, note)


def span_table(data: CodingData, min_overlap: float = 0.9, rollup: bool = False, include_all: bool = True) -> list[dict]:
    if not 0.0 < min_overlap <= 1.0:
        raise InputError(f"--min-overlap must be between 0 and 1 (e.g. 0.9 for 90 %), not {min_overlap}")
    m = len(data.coders)
    cols = list(range(len(data.columns)))
    pairs = list(combinations(range(m), 2))
    char: dict[int, list[stats.CharacterAgreement]] = {j: [] for j in cols}
    seg_codes: dict[int, list[stats.CodeSegments]] = {j: [] for j in cols}
    seg_all: list[stats.SegmentAgreement] = []
    char_units: dict[tuple[int, int], int] = {}
    for a, b in pairs:
        transcripts, offsets, length = _continuum(data, [a, b])
        char_units[(a, b)] = length
        segs_a, segs_b = {}, {}
        for j in cols:
            sa = _spans(data, a, j, transcripts, offsets)
            sb = _spans(data, b, j, transcripts, offsets)
            char[j].append(stats.nvivo_character_kappa(sa, sb, length))
            segs_a[j], segs_b[j] = sa, sb
        result = stats.segment_agreement(segs_a, segs_b, min_overlap, n_codes=len(cols))
        seg_all.append(result)
        for j in cols:
            seg_codes[j].append(result.by_code.get(j, stats.CodeSegments(0, 0)))
    transcripts, offsets, length = _continuum(data, list(range(m)))
    if m >= 2 and length > 0:
        by_code = {j: [_spans(data, k, j, transcripts, offsets) for k in range(m)] for j in cols}
        unitized = stats.unitized_alpha_by_code(by_code, 0, length)
    else:
        reason = "needs at least two coders" if m < 2 else "no transcript was coded by every coder"
        unitized = stats.UnitizedAlphaSet(
            Figure(None, 0, reason),
            {j: stats.UnitizedAlpha(Figure(None, 0, reason), None, None, m, length) for j in cols},
        )

    def row(code: str, label: str, kappa: Figure, agreement: Figure, seg_matched: int, seg_total: int,
            seg_kappa: Figure, alpha: Figure) -> dict:
        seg_percent = Figure(seg_matched / seg_total, seg_total) if seg_total else Figure(None, 0, "no segments")
        figures = {"percent": agreement, "cohen_kappa": kappa if m == 2 else Figure(
            None, 0, "Cohen's (NVivo's) kappa compares two coders; see nvivo_kappa for the mean over pairs"),
            "krippendorff_alpha": alpha}
        extra = {
            "nvivo_kappa": None if kappa.value is None else round(kappa.value, 6),
            "nvivo_agreement": None if agreement.value is None else round(agreement.value, 6),
            "segment_percent": None if seg_percent.value is None else round(seg_percent.value, 6),
            "segment_kappa": None if seg_kappa.value is None else round(seg_kappa.value, 6),
            "segments": seg_total, "min_overlap": min_overlap,
            "unitized_alpha": None if alpha.value is None else round(alpha.value, 6),
        }
        out = _figures_row(code, label, "span", data, figures, agreement.units, rollup, extra)
        out["figure_units"].update({"nvivo_kappa": kappa.units, "segment_percent": seg_total,
                                    "segment_kappa": seg_kappa.units, "unitized_alpha": alpha.units})
        for name, f in (("nvivo_kappa", kappa), ("segment_percent", seg_percent), ("segment_kappa", seg_kappa),
                        ("unitized_alpha", alpha)):
            if f.note:
                out["notes"][name] = f.note
        return out

    rows = []
    for j, code in enumerate(data.columns):
        matched = sum(s.matched for s in seg_codes[j])
        total = matched + sum(s.unmatched for s in seg_codes[j])
        rows.append(row(
            code, data.labels[code],
            _mean([c.kappa for c in char[j]], "kappa"), _mean([c.agreement for c in char[j]], "agreement"),
            matched, total, Figure(None, total, "MAXQDA reports segment kappa for all codes together; see _all"),
            unitized.by_code[j].alpha,
        ))
    if include_all and cols:
        pooled = [_pooled_kappa([char[j][p] for j in cols]) for p in range(len(pairs))]
        matched = sum(s.matched for s in seg_all)
        total = matched + sum(s.unmatched for s in seg_all)
        rows.append(row(
            ALL, "Alle codes (gepoold)", _mean([k for k, _ in pooled], "kappa"), _mean([a for _, a in pooled], "agreement"),
            matched, total, _mean([s.kappa for s in seg_all], "kappa"), unitized.overall,
        ))
    return rows


def agreement_table(
    project: Project,
    coders: list[str] | None = None,
    code: str | None = None,
    level: str = "turn",
    *,
    rollup: bool = False,
    min_overlap: float = 0.9,
    participants_only: bool = False,
) -> list[dict]:
    """Rows of the agreement table (one per code, then `_all`), as `mivcode agreement --json` prints them.

    Keys always present: code, label, level, coders, units, percent,
    cohen_kappa, fleiss_kappa, krippendorff_alpha, ac1 (None where not
    defined), rollup, figure_units (units per figure) and notes (why a
    figure is missing or what it left out). Span rows add nvivo_kappa,
    nvivo_agreement, segment_percent, segment_kappa, segments, min_overlap
    and unitized_alpha.
    """
    if level not in LEVELS:
        raise InputError(f"--level must be turn or span, not '{level}'")
    data = load(project, coders, code, rollup)
    if len(data.coders) < 2:
        names = ", ".join(data.coders) or "none"
        note = f"needs at least two coders with codings (found: {names})"
        return [{"code": c, "label": data.labels.get(c, c), "level": level, "coders": data.coders, "units": 0,
                 **{f: None for f in FIGURES}, "rollup": rollup, "figure_units": {}, "notes": {"all": note}}
                for c in (data.columns or [ALL])]
    if level == "turn":
        if participants_only:
            data.turn_is_unit = participant_turns(project, data)
        rows = turn_table(data, rollup, include_all=code is None)
        for r in rows:
            r["units_are"] = "participant turns" if participants_only else "turns"
        return rows
    if participants_only:
        raise InputError("--participants-only applies to --level turn (spans are characters of the whole text)")
    return span_table(data, min_overlap, rollup, include_all=code is None)
