"""Inter-coder agreement statistics: pure functions, reproducible figures.

This module has no state, no I/O and no UI: it turns codings into figures a
methods section can cite.  Every figure comes with the number of units it
rests on, and a figure that cannot be computed (one coder, no variation, no
units) is ``None`` with a reason in ``note`` -- never a NaN, never a made-up
number.

Conventions
-----------
Turn level (``percent_agreement``, ``cohen_kappa``, ``fleiss_kappa``,
``krippendorff_alpha``, ``gwet_ac1``)
    ``matrix`` has one **row per coder** and one **column per unit** (turn),
    the orientation of the ``krippendorff`` package.  Values are nominal
    categories (for a code: 1 = present, 0 = absent; any hashable, sortable
    values work).  Missing data -- a coder who did not code that transcript --
    is ``NaN`` or ``None``.  A numeric ``numpy`` array with ``NaN`` is the
    fast path; lists, ``None`` and strings are accepted and converted once.

Span level (``nvivo_character_kappa``, ``segment_agreement``,
``unitized_alpha``)
    A span is ``(start, end)`` in character offsets, start inclusive, end
    exclusive (Python slice semantics).  Overlapping spans of one coder for
    one code are merged first: coding the same characters twice with the
    same code does not code them twice.

Which figures come from a library and which are written here
------------------------------------------------------------
Krippendorff's alpha for coded units (nominal/ordinal/interval/ratio) is
computed by the ``krippendorff`` package.  Everything else is written here,
each with a docstring citing the formula: Cohen's and Fleiss' kappa because
the libraries that have them (scikit-learn, statsmodels) are not
dependencies of mivcode and would bring pandas-sized installs for a closed
formula, and the rest (Gwet's AC1 with missing data, NVivo's character
kappa, MAXQDA's segment agreement, Krippendorff's unitized alpha) because no
installed, maintained Python library computes them.  ``tests/
test_agreement_stats.py`` pins each of them to a published example or, where
none exists (NVivo, MAXQDA), to a case computed by hand.

All computations are vectorised with numpy; there is no Python loop over
units (only over coder pairs and codes).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import krippendorff
import numpy as np

__all__ = [
    "Figure",
    "CharacterAgreement",
    "CodeSegments",
    "SegmentAgreement",
    "UnitizedAlpha",
    "UnitizedAlphaSet",
    "percent_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
    "nvivo_character_kappa",
    "segment_agreement",
    "unitized_alpha",
    "unitized_alpha_by_code",
]

LEVELS = ("nominal", "ordinal", "interval", "ratio")


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One reportable number.

    ``value`` is ``None`` when the figure is undefined for these data; then
    ``note`` says why.  ``units`` is the number of units the figure rests on
    (turns, characters, segments -- the docstring of each function says
    which).  ``note`` may also record units that were left out.
    """

    value: float | None
    units: int
    note: str | None = None


@dataclass(frozen=True)
class CharacterAgreement:
    """NVivo-style character-level comparison of two coders for one code.

    ``kappa`` and ``agreement`` rest on ``length`` characters.  ``agreement``
    is a proportion (NVivo shows it multiplied by 100).
    """

    kappa: Figure
    agreement: Figure
    length: int
    coded_a: int
    coded_b: int
    both: int
    neither: int


@dataclass(frozen=True)
class CodeSegments:
    """Per-code segment counts: segments of both coders together."""

    matched: int
    unmatched: int


@dataclass(frozen=True)
class SegmentAgreement:
    """MAXQDA-style segment comparison of two coders.

    ``matched``/``unmatched`` count segments of *both* coders (a matched
    pair therefore counts twice, once from each side, as in MAXQDA's
    table).  ``percent`` is ``matched / (matched + unmatched)`` as a
    proportion; ``kappa`` uses chance agreement ``1 / n_codes``.
    """

    matched: int
    unmatched: int
    percent: Figure
    kappa: Figure
    n_codes: int
    by_code: Mapping[Hashable, CodeSegments] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitizedAlpha:
    """Krippendorff's unitized alpha for one code.

    ``alpha.units`` is the number of units (spans) all coders identified;
    ``observed``/``expected`` are the disagreements uD_o and uD_e.
    """

    alpha: Figure
    observed: float | None
    expected: float | None
    coders: int
    length: int


@dataclass(frozen=True)
class UnitizedAlphaSet:
    """Unitized alpha over several codes: overall and per code."""

    overall: Figure
    by_code: Mapping[Hashable, UnitizedAlpha]


# --------------------------------------------------------------------------
# Turn level: input handling
# --------------------------------------------------------------------------


def _encode(matrix: Any, categories: Sequence[Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return (codes, categories): codes[c, u] indexes ``categories``, -1 = missing.

    ``categories`` are sorted unless given explicitly (then their order is
    kept and a value outside them is an error).
    """
    arr = np.asarray(matrix)
    if arr.ndim != 2:
        raise ValueError(f"expected a 2-D matrix (coders x units), got shape {arr.shape}")
    if arr.dtype.kind in "biuf":
        values = arr.astype(np.float64, copy=False)
    else:
        try:  # object arrays of numbers and None convert directly (None -> NaN)
            values = arr.astype(np.float64)
        except (TypeError, ValueError):
            values = None
    if values is not None:
        if np.isinf(values).any():
            raise ValueError("ratings must be finite (use NaN or None for missing)")
        return _encode_numeric(values, categories)
    return _encode_objects(arr.astype(object), categories)


def _encode_numeric(values: np.ndarray, categories: Sequence[Any] | None) -> tuple[np.ndarray, np.ndarray]:
    missing = np.isnan(values)
    present = values[~missing]
    codes = np.full(values.shape, -1, dtype=np.int64)
    if categories is not None:
        cats = np.asarray(categories, dtype=np.float64)
        if len(np.unique(cats)) != len(cats):
            raise ValueError("categories must be distinct")
        order = np.argsort(cats, kind="stable")
        pos = np.searchsorted(cats[order], present)
        pos = np.clip(pos, 0, len(cats) - 1)
        if present.size and not np.array_equal(cats[order][pos], present):
            raise ValueError("the ratings contain values outside the given categories")
        codes[~missing] = order[pos]
        return codes, np.asarray(categories)
    if present.size == 0:
        return codes, np.empty(0, dtype=np.float64)
    lo, hi = present.min(), present.max()
    integral = hi - lo < 4096 and np.array_equal(present, np.floor(present))
    if integral:  # small integer range (e.g. 0/1): bincount instead of a sort
        offsets = (present - lo).astype(np.int64)
        seen = np.bincount(offsets, minlength=int(hi - lo) + 1) > 0
        lookup = np.cumsum(seen) - 1
        codes[~missing] = lookup[offsets]
        cats = lo + np.flatnonzero(seen).astype(np.float64)
        return codes, cats
    cats, inverse = np.unique(present, return_inverse=True)
    codes[~missing] = inverse
    return codes, cats


def _encode_objects(obj: np.ndarray, categories: Sequence[Any] | None) -> tuple[np.ndarray, np.ndarray]:
    # NaN is the only value unequal to itself; None is compared by identity.
    missing = np.equal(obj, None) | np.not_equal(obj, obj)
    present = obj[~missing]
    codes = np.full(obj.shape, -1, dtype=np.int64)
    if categories is not None:
        cats = np.asarray(list(categories), dtype=object)
        index = {c: i for i, c in enumerate(cats.tolist())}
        if len(index) != len(cats):
            raise ValueError("categories must be distinct")
        try:
            codes[~missing] = np.fromiter((index[v] for v in present.tolist()), dtype=np.int64, count=present.size)
        except KeyError as exc:
            raise ValueError(f"the ratings contain a value outside the given categories: {exc}") from None
        return codes, cats
    try:
        cats, inverse = np.unique(present, return_inverse=True)
    except TypeError as exc:
        raise ValueError(f"ratings must be mutually comparable values: {exc}") from None
    codes[~missing] = inverse.reshape(-1)
    return codes, cats


def _value_counts(codes: np.ndarray, n_categories: int) -> np.ndarray:
    """counts[u, k] = number of coders who gave category k to unit u."""
    n_units = codes.shape[1]
    k = max(n_categories, 1)
    valid = codes >= 0
    flat = (np.arange(n_units, dtype=np.int64) * k)[None, :] + codes
    return np.bincount(flat[valid], minlength=n_units * k).reshape(n_units, k)


def _excluded_note(excluded: int, why: str) -> str | None:
    if excluded <= 0:
        return None
    return f"{excluded} unit{'s' if excluded != 1 else ''} {why} excluded"


# --------------------------------------------------------------------------
# Turn level: figures
# --------------------------------------------------------------------------


def percent_agreement(matrix: Any) -> Figure:
    """Share of units on which every coder who rated the unit gave the same value.

    Units rated by fewer than two coders are excluded; ``units`` is the
    number of units rated by at least two coders.
    """
    codes, cats = _encode(matrix)
    n_coders = codes.shape[0]
    if n_coders < 2:
        return Figure(None, 0, "needs at least two coders")
    counts = _value_counts(codes, len(cats))
    rated = counts.sum(axis=1)
    pairable = rated >= 2
    n = int(pairable.sum())
    if n == 0:
        return Figure(None, 0, "no unit was rated by two or more coders")
    agree = counts.max(axis=1)[pairable] == rated[pairable]
    note = _excluded_note(int((rated >= 1).sum()) - n, "rated by only one coder")
    return Figure(float(agree.mean()), n, note)


def cohen_kappa(a: Any, b: Any) -> Figure:
    """Cohen's kappa for two coders and nominal categories.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the share of units on which the
    coders agree and p_e = sum_k p_a(k) * p_b(k) from each coder's own
    marginal distribution (Cohen 1960, Educ. Psychol. Meas. 20:37-46,
    eq. 1).  Computed here with exact integer counts:
    kappa = (n * agreements - sum_k row_k col_k) / (n^2 - sum_k row_k col_k).

    Written by hand: scikit-learn and statsmodels have it but are not
    dependencies of mivcode, and neither treats missing data or undefined
    kappa the way this module does.  Units where either coder is missing are
    excluded; ``units`` = units rated by both.  Undefined (None) when both
    coders used one and the same category throughout (p_e = 1).
    """
    a_arr, b_arr = _as_row(a), _as_row(b)
    if a_arr.shape != b_arr.shape:
        raise ValueError(f"coders rated different numbers of units: {a_arr.size} and {b_arr.size}")
    if a_arr.dtype != b_arr.dtype:
        a_arr, b_arr = a_arr.astype(object), b_arr.astype(object)
    codes, cats = _encode(np.stack([a_arr, b_arr]))
    both = (codes >= 0).all(axis=0)
    n = int(both.sum())
    excluded = int((codes >= 0).any(axis=0).sum()) - n
    note = _excluded_note(excluded, "rated by only one coder")
    if n == 0:
        return Figure(None, 0, "no unit was rated by both coders")
    k = len(cats)
    ca, cb = codes[0, both], codes[1, both]
    agreements = int((ca == cb).sum())
    rows = np.bincount(ca, minlength=k).astype(object)
    cols = np.bincount(cb, minlength=k).astype(object)
    chance = int((rows * cols).sum())  # n^2 * p_e, exact
    denominator = n * n - chance
    if denominator == 0:
        return Figure(None, n, "no variation: both coders used a single, identical category (p_e = 1)")
    return Figure((n * agreements - chance) / denominator, n, note)


def _as_row(x: Any) -> np.ndarray:
    """One coder's ratings as a 1-D array: float (None -> NaN) when numeric, else object."""
    try:
        return np.asarray(x, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        return np.asarray(x, dtype=object).reshape(-1)


def fleiss_kappa(matrix: Any) -> Figure:
    """Fleiss' kappa for two or more coders, complete data.

    With N units, r ratings per unit and n_ij the number of coders giving
    category j to unit i (Fleiss 1971, Psychol. Bull. 76:378-382, eqs. 1-9):
    P_i = (sum_j n_ij^2 - r) / (r (r - 1)), P_bar = mean_i P_i,
    p_j = sum_i n_ij / (N r), P_e = sum_j p_j^2,
    kappa = (P_bar - P_e) / (1 - P_e).

    Written by hand (statsmodels has it; not a dependency, see the module
    docstring).  Fleiss' formula needs the same number of ratings for every
    unit, so units not rated by every coder are excluded (listwise) and the
    note says how many; use ``krippendorff_alpha`` or ``gwet_ac1`` to keep
    them.  ``units`` = complete units.
    """
    codes, cats = _encode(matrix)
    n_coders = codes.shape[0]
    if n_coders < 2:
        return Figure(None, 0, "needs at least two coders")
    complete = (codes >= 0).all(axis=0)
    n = int(complete.sum())
    excluded = int((codes >= 0).any(axis=0).sum()) - n
    note = _excluded_note(excluded, "not rated by every coder (Fleiss' kappa needs complete data)")
    if n == 0:
        return Figure(None, 0, "no unit was rated by every coder")
    counts = _value_counts(codes[:, complete], len(cats)).astype(np.float64)
    r = float(n_coders)
    p_bar = float(((counts**2).sum() - n * r) / (n * r * (r - 1.0)))
    p_j = counts.sum(axis=0) / (n * r)
    p_e = float((p_j**2).sum())
    if np.count_nonzero(p_j) < 2:
        return Figure(None, n, _join("no variation: every rating is the same category (P_e = 1)", note))
    return Figure((p_bar - p_e) / (1.0 - p_e), n, note)


def _join(*notes: str | None) -> str | None:
    parts = [n for n in notes if n]
    return "; ".join(parts) if parts else None


def krippendorff_alpha(
    matrix: Any,
    level: str = "nominal",
    value_domain: Sequence[Any] | None = None,
) -> Figure:
    """Krippendorff's alpha for two or more coders; missing data allowed.

    Computed by the ``krippendorff`` package (``krippendorff.alpha`` on the
    units-by-values count matrix, which is its documented input), so the
    figure is that package's.  ``level`` is one of nominal, ordinal,
    interval, ratio; non-nominal levels need numeric ratings, or an ordered
    ``value_domain`` listing every possible value (e.g. labels of an ordinal
    scale).  ``units`` = pairable units (rated by at least two coders);
    units rated by one coder carry no information about agreement.

    Undefined (None) for fewer than two coders, no pairable unit, or no
    variation among the pairable values (expected disagreement is zero).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    codes, cats = _encode(matrix, value_domain)
    if level != "nominal" and value_domain is None and cats.dtype.kind not in "biuf":
        raise ValueError(f"{level} alpha needs numeric ratings or an ordered value_domain")
    n_coders = codes.shape[0]
    if n_coders < 2:
        return Figure(None, 0, "needs at least two coders")
    counts = _value_counts(codes, len(cats))
    rated = counts.sum(axis=1)
    pairable = rated >= 2
    n = int(pairable.sum())
    note = _excluded_note(int((rated == 1).sum()), "rated by only one coder")
    if n == 0:
        return Figure(None, 0, "no unit was rated by two or more coders")
    pairable_counts = counts[pairable]
    if np.count_nonzero(pairable_counts.sum(axis=0)) < 2:
        return Figure(None, n, _join("no variation: all pairable ratings have the same value", note))
    domain = cats if value_domain is None else np.arange(len(cats))
    if level in ("interval", "ratio") and value_domain is not None:
        domain = np.asarray(value_domain, dtype=np.float64)
    value = krippendorff.alpha(
        value_counts=pairable_counts,
        value_domain=domain,
        level_of_measurement=level,
    )
    return Figure(float(value), n, note)


def gwet_ac1(matrix: Any, categories: Sequence[Any] | None = None) -> Figure:
    """Gwet's AC1 for two or more coders, missing data allowed.

    Gwet (2008), Br. J. Math. Stat. Psychol. 61:29-48, and Gwet (2014),
    Handbook of Inter-Rater Reliability, 4th ed., ch. 4 (multiple raters,
    missing ratings), as implemented in his irrCAC package:

    * p_a = (1/n') sum over units with r_i >= 2 of
      sum_k r_ik (r_ik - 1) / (r_i (r_i - 1)), n' = number of such units;
    * pi_k = (1/n) sum over units with r_i >= 1 of r_ik / r_i;
    * p_e = (1/(q - 1)) sum_k pi_k (1 - pi_k);
    * AC1 = (p_a - p_e) / (1 - p_e).

    Written by hand: no installed library computes it (Gwet's irrCAC has a
    Python port, built on pandas data frames; it is not a dependency).  Unlike kappa, p_e
    stays small when one category dominates, so AC1 does not collapse for
    a rarely used code.

    ``q`` is the number of categories on the scale: pass ``categories`` (e.g.
    ``(0, 1)`` for present/absent) to count categories nobody used;
    otherwise the categories observed are used.  With q < 2 AC1 is undefined
    (None).  ``units`` = units rated by at least two coders (the base of
    p_a).
    """
    codes, cats = _encode(matrix, categories)
    n_coders = codes.shape[0]
    if n_coders < 2:
        return Figure(None, 0, "needs at least two coders")
    q = len(cats)
    counts = _value_counts(codes, q).astype(np.float64)
    rated = counts.sum(axis=1)
    pairable = rated >= 2
    n_pairable = int(pairable.sum())
    single = int((rated == 1).sum())
    note = f"{single} unit(s) rated by only one coder: left out of p_a, kept in p_e" if single else None
    if n_pairable == 0:
        return Figure(None, 0, "no unit was rated by two or more coders")
    if q < 2:
        return Figure(None, n_pairable, "no variation: only one category on the scale (q < 2); pass categories")
    c = counts[pairable]
    r = rated[pairable]
    p_a = float(((c * (c - 1.0)).sum(axis=1) / (r * (r - 1.0))).mean())
    any_rating = rated >= 1
    pi = (counts[any_rating] / rated[any_rating, None]).mean(axis=0)
    p_e = float((pi * (1.0 - pi)).sum() / (q - 1))
    return Figure((p_a - p_e) / (1.0 - p_e), n_pairable, note)


# --------------------------------------------------------------------------
# Span level: input handling
# --------------------------------------------------------------------------


def _spans(spans: Any, lo: int, hi: int, what: str = "span") -> np.ndarray:
    """Validate spans and return them as an (k, 2) int64 array, merged and sorted.

    Overlapping spans are merged; spans that only touch stay separate units.
    """
    arr = np.asarray(spans if len(spans) else np.empty((0, 2)), dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{what}s must be (start, end) pairs")
    if not np.array_equal(arr, np.floor(arr)):
        raise ValueError(f"{what} offsets must be whole numbers")
    arr = arr.astype(np.int64)
    start, end = arr[:, 0], arr[:, 1]
    if (end <= start).any():
        bad = arr[np.argmax(end <= start)]
        raise ValueError(f"empty or reversed {what} {tuple(bad.tolist())}: end must exceed start")
    if (start < lo).any() or (end > hi).any():
        raise ValueError(f"{what} outside [{lo}, {hi})")
    return _merge(arr)


def _merge(arr: np.ndarray) -> np.ndarray:
    if len(arr) <= 1:
        return arr.reshape(-1, 2)
    arr = arr[np.lexsort((arr[:, 1], arr[:, 0]))]
    start, end = arr[:, 0], arr[:, 1]
    reach = np.maximum.accumulate(end)
    new_group = np.empty(len(arr), dtype=bool)
    new_group[0] = True
    new_group[1:] = start[1:] >= reach[:-1]  # strictly overlapping spans join
    firsts = np.flatnonzero(new_group)
    return np.stack([start[firsts], np.maximum.reduceat(end, firsts)], axis=1)


def _mask(spans: np.ndarray, length: int) -> np.ndarray:
    """Boolean per-character coverage of merged spans."""
    delta = np.bincount(spans[:, 0], minlength=length + 1)[: length + 1] - np.bincount(
        spans[:, 1], minlength=length + 1
    )[: length + 1]
    return np.cumsum(delta[:length]) > 0


# --------------------------------------------------------------------------
# Span level: figures
# --------------------------------------------------------------------------


def nvivo_character_kappa(spans_a: Any, spans_b: Any, length: int) -> CharacterAgreement:
    """Character-level kappa and percent agreement, as NVivo's coding comparison.

    For one code and one document of ``length`` characters, with A and B
    the number of characters each coder coded (NVivo help, "Coding
    Comparison query: how is the Kappa coefficient calculated"):

    * agreement = (characters coded by both + characters coded by neither) / N
    * EF = A*B/N + (N-A)(N-B)/N   (expected agreement frequency)
    * kappa = (both + neither - EF) / (N - EF), i.e. with
      P_o = agreement and P_e = (A*B + (N-A)(N-B)) / N**2,
      kappa = (P_o - P_e) / (1 - P_e); computed with exact integers.

    Written by hand: it is NVivo's own definition, in no library.  NVivo
    reports one row per code and source; so does this function.  ``units``
    = characters.  Kappa is undefined (None) when neither coder's coding
    varies -- both coded nothing, or both coded everything (P_e = 1); NVivo
    displays 1 there.
    """
    n = int(length)
    if n < 0:
        raise ValueError("length must not be negative")
    a = _spans(spans_a, 0, n)
    b = _spans(spans_b, 0, n)
    if n == 0:
        empty = Figure(None, 0, "the document has no characters")
        return CharacterAgreement(empty, empty, 0, 0, 0, 0, 0)
    mask_a, mask_b = _mask(a, n), _mask(b, n)
    coded_a, coded_b = int(mask_a.sum()), int(mask_b.sum())
    both = int(np.count_nonzero(mask_a & mask_b))
    neither = n - coded_a - coded_b + both
    agreement = Figure((both + neither) / n, n)
    chance = coded_a * coded_b + (n - coded_a) * (n - coded_b)  # N^2 * P_e, exact ints
    denominator = n * n - chance
    if denominator == 0:
        kappa = Figure(
            None, n, "no variation: both coders coded nothing or both coded everything (P_e = 1); NVivo shows 1"
        )
    else:
        kappa = Figure((n * (both + neither) - chance) / denominator, n)
    return CharacterAgreement(kappa, agreement, n, coded_a, coded_b, both, neither)


def _group_segments(segments: Any) -> dict[Hashable, np.ndarray]:
    if isinstance(segments, Mapping):
        items = segments.items()
    else:
        grouped: dict[Hashable, list[tuple[int, int]]] = {}
        for code, start, end in segments:
            grouped.setdefault(code, []).append((start, end))
        items = grouped.items()
    return {code: _spans(spans, 0, np.iinfo(np.int64).max, "segment") for code, spans in items}


def _overlapping_pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with a[i] and b[j] sharing at least one character.

    ``a`` and ``b`` are merged (disjoint, sorted) span arrays, so the
    partners of a[i] form one contiguous run of b; the number of pairs is at
    most len(a) + len(b) - 1.
    """
    if len(a) == 0 or len(b) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    lo = np.searchsorted(b[:, 1], a[:, 0], side="right")  # first b ending after a starts
    hi = np.searchsorted(b[:, 0], a[:, 1], side="left")  # b starting before a ends
    count = np.maximum(hi - lo, 0)
    ia = np.repeat(np.arange(len(a)), count)
    first = np.repeat(np.cumsum(count) - count, count)
    jb = np.repeat(lo, count) + (np.arange(len(ia)) - first)
    return ia, jb


def segment_agreement(
    segments_a: Any,
    segments_b: Any,
    min_overlap: float = 0.9,
    n_codes: int | None = None,
) -> SegmentAgreement:
    """Segment-level agreement of two coders, in the manner of MAXQDA.

    ``segments_a``/``segments_b`` are ``(code, start, end)`` triples or a
    mapping ``code -> [(start, end), ...]``, all in one document (for
    several documents use ``(document, code)`` as the key and pass
    ``n_codes``).

    Matching rule (the definition used here): a segment of one coder is
    *matched* when the other coder has a segment with the same code whose
    overlap with it is at least ``min_overlap`` of the two segments'
    combined extent, i.e. ``|S ∩ T| / |S ∪ T| >= min_overlap`` in
    characters.  This is MAXQDA's "overlap of segments relative to their
    extent" taken over both segments, so it is symmetric and never more
    lenient than measuring against the larger segment alone.  Overlapping
    segments of one coder with the same code are merged first: they are one
    coded stretch, not two segments.

    Segments of both coders are counted, as in MAXQDA's result table;
    ``percent`` = matched / all segments.  ``kappa`` is the coefficient
    MAXQDA reports for segments, after Brennan & Prediger (1981, Educ.
    Psychol. Meas. 41:687-699): P_o = percent, P_chance = 1 / number of
    codes (codes in the table, i.e. used by either coder, unless ``n_codes``
    is given), kappa = (P_o - P_chance) / (1 - P_chance).  None with fewer
    than two codes or no segments.  ``units`` = segments of both coders.
    """
    if not 0.0 < min_overlap <= 1.0:
        raise ValueError("min_overlap must be in (0, 1]")
    groups_a = _group_segments(segments_a)
    groups_b = _group_segments(segments_b)
    codes = sorted(set(groups_a) | set(groups_b), key=repr)
    empty = np.empty((0, 2), dtype=np.int64)
    by_code: dict[Hashable, CodeSegments] = {}
    for code in codes:
        a, b = groups_a.get(code, empty), groups_b.get(code, empty)
        ia, jb = _overlapping_pairs(a, b)
        inter = np.minimum(a[ia, 1], b[jb, 1]) - np.maximum(a[ia, 0], b[jb, 0])
        union = np.maximum(a[ia, 1], b[jb, 1]) - np.minimum(a[ia, 0], b[jb, 0])
        ok = inter >= min_overlap * union * (1.0 - 1e-12)
        matched = len(np.unique(ia[ok])) + len(np.unique(jb[ok]))
        by_code[code] = CodeSegments(matched, len(a) + len(b) - matched)
    matched = sum(s.matched for s in by_code.values())
    total = matched + sum(s.unmatched for s in by_code.values())
    k = len(codes) if n_codes is None else int(n_codes)
    if total == 0:
        percent = Figure(None, 0, "no segments")
        kappa = Figure(None, 0, "no segments")
    else:
        p_o = matched / total
        percent = Figure(p_o, total)
        if k < 2:
            kappa = Figure(None, total, "chance agreement 1/(number of codes) needs at least two codes")
        else:
            p_c = 1.0 / k
            kappa = Figure((p_o - p_c) / (1.0 - p_c), total)
    return SegmentAgreement(matched, total - matched, percent, kappa, k, by_code)


def _sections(units: np.ndarray, begin: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut [begin, end) into a coder's units and the gaps between them.

    Returns (starts, ends, is_unit) sorted by start; zero-length gaps (units
    that touch) are not sections.
    """
    gap_start = np.concatenate([[begin], units[:, 1]])
    gap_end = np.concatenate([units[:, 0], [end]])
    real = gap_end > gap_start
    starts = np.concatenate([units[:, 0], gap_start[real]])
    ends = np.concatenate([units[:, 1], gap_end[real]])
    is_unit = np.concatenate([np.ones(len(units), bool), np.zeros(int(real.sum()), bool)])
    order = np.argsort(starts, kind="stable")
    return starts[order], ends[order], is_unit[order]


def _pair_disagreement(si: tuple, sj: tuple) -> float:
    """Sum of delta^2 over intersecting sections of two coders (Krippendorff 2004, p. 252)."""
    st_i, en_i, w_i = si
    st_j, en_j, w_j = sj
    points = np.union1d(st_i, st_j)  # each elementary interval = one intersecting pair
    g = np.searchsorted(st_i, points, side="right") - 1
    h = np.searchsorted(st_j, points, side="right") - 1
    bi, ei, ui = st_i[g].astype(np.float64), en_i[g].astype(np.float64), w_i[g]
    bj, ej, uj = st_j[h].astype(np.float64), en_j[h].astype(np.float64), w_j[h]
    both = ui & uj
    d = np.where(both, (bi - bj) ** 2 + (ei - ej) ** 2, 0.0)
    i_in_gap = ui & ~uj & (bj <= bi) & (ei <= ej)
    j_in_gap = uj & ~ui & (bi <= bj) & (ej <= ei)
    d = d + np.where(i_in_gap, (ei - bi) ** 2, 0.0) + np.where(j_in_gap, (ej - bj) ** 2, 0.0)
    return float(d.sum())


def _unitized(coders: list[np.ndarray], begin: int, end: int) -> tuple[float, float, int]:
    """(uD_o, uD_e, number of units) for one code; see ``unitized_alpha``."""
    m, length = len(coders), end - begin
    sections = [_sections(u, begin, end) for u in coders]
    observed = sum(
        _pair_disagreement(sections[i], sections[j]) for i in range(m) for j in range(i + 1, m)
    )
    d_o = 2.0 * observed / (m * (m - 1) * float(length) ** 2)

    lengths = np.concatenate([u[:, 1] - u[:, 0] for u in coders]).astype(np.float64)
    n_units = len(lengths)
    gaps = np.sort(np.concatenate([(e - s)[~w] for s, e, w in sections]).astype(np.float64))
    # For every unit length l: sum over gaps g >= l of (g - l + 1).
    idx = np.searchsorted(gaps, lengths, side="left")
    suffix = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0.0]])
    fits = suffix[idx] - (lengths - 1.0) * (len(gaps) - idx)
    lu = lengths
    numerator = ((n_units - 1) * (2 * lu**3 - 3 * lu**2 + lu) / 3.0 + lu**2 * fits).sum()
    ml = float(m) * length
    denominator = ml * (ml - 1.0) - (lu * (lu - 1.0)).sum()
    d_e = (2.0 / length) * numerator / denominator if denominator > 0 else 0.0
    return float(d_o), float(d_e), n_units


def _check_continuum(begin: int, end: int) -> tuple[int, int]:
    begin, end = int(begin), int(end)
    if end <= begin:
        raise ValueError("the continuum must have end > begin")
    return begin, end


def unitized_alpha(spans_by_coder: Sequence[Any], begin: int, end: int) -> UnitizedAlpha:
    """Krippendorff's unitized alpha (alpha_U) for one code on [begin, end).

    ``spans_by_coder`` holds one list of ``(start, end)`` spans per coder
    (an empty list = the coder found no unit; leave out a coder who did not
    code this continuum).  Each coder's spans and the gaps between them cut
    the continuum into sections.  Following Krippendorff (1995, Sociol.
    Methodol. 25:47-76; 2004, Content Analysis, 2nd ed., ch. 12, pp.
    251-256), for m coders and continuum length L:

    * delta^2 between section g of coder i (begin b, length l, unit or gap)
      and section h of coder j: (b_g - b_h)^2 + (b_g + l_g - b_h - l_h)^2
      if both are units and overlap; l_g^2 if g is a unit lying inside the
      gap h; l_h^2 if h is a unit inside the gap g; 0 otherwise;
    * uD_o = sum over ordered coder pairs i != j and sections g, h of
      delta^2 / (m (m - 1) L^2);
    * uD_e = (2 / L) * sum over all units u of
      [ (N - 1)(2 l_u^3 - 3 l_u^2 + l_u) / 3
        + l_u^2 * sum over all gaps g with l_g >= l_u of (l_g - l_u + 1) ]
      / ( mL (mL - 1) - sum over units of l_u (l_u - 1) ),
      N = number of units of all coders;
    * alpha_U = 1 - uD_o / uD_e.

    Written by hand: no Python library computes alpha_U; the formula and
    its published example (Krippendorff 2004, p. 254) are the ones DKPro
    Statistics implements, and the tests reproduce that example.

    ``alpha.units`` = number of units of all coders.  Undefined (None) with
    fewer than two coders, no units, or no expected disagreement.
    """
    begin, end = _check_continuum(begin, end)
    coders = [_spans(s, begin, end) for s in spans_by_coder]
    return _unitized_result(coders, begin, end)


def _unitized_result(coders: list[np.ndarray], begin: int, end: int) -> UnitizedAlpha:
    m, length = len(coders), end - begin
    if m < 2:
        return UnitizedAlpha(Figure(None, 0, "needs at least two coders"), None, None, m, length)
    d_o, d_e, n_units = _unitized(coders, begin, end)
    if n_units == 0:
        return UnitizedAlpha(Figure(None, 0, "no coder identified a unit"), 0.0, 0.0, m, length)
    if d_e <= 0.0:
        return UnitizedAlpha(
            Figure(None, n_units, "no expected disagreement (every coder's units fill the continuum identically)"),
            d_o,
            d_e,
            m,
            length,
        )
    return UnitizedAlpha(Figure(float(1.0 - d_o / d_e), n_units), d_o, d_e, m, length)


def unitized_alpha_by_code(
    spans_by_code: Mapping[Hashable, Sequence[Any]], begin: int, end: int
) -> UnitizedAlphaSet:
    """Unitized alpha per code and overall, on one continuum [begin, end).

    ``spans_by_code`` maps each code to its ``spans_by_coder`` (see
    ``unitized_alpha``); every code must list the same coders in the same
    order.  The overall figure is 1 - mean_c uD_o(c) / mean_c uD_e(c) over
    the codes, as in Krippendorff's worked example (2004, p. 254: overall
    alpha_U = .8591 for two codes) and DKPro Statistics.  ``overall.units``
    = units of all codes.
    """
    begin, end = _check_continuum(begin, end)
    per_code: dict[Hashable, UnitizedAlpha] = {}
    n_coders = {len(v) for v in spans_by_code.values()}
    if len(n_coders) > 1:
        raise ValueError("every code must list the same coders")
    for code, spans_by_coder in spans_by_code.items():
        per_code[code] = unitized_alpha(spans_by_coder, begin, end)
    results = list(per_code.values())
    if not results:
        return UnitizedAlphaSet(Figure(None, 0, "no codes"), per_code)
    if results[0].coders < 2:
        return UnitizedAlphaSet(Figure(None, 0, "needs at least two coders"), per_code)
    total_o = sum(r.observed or 0.0 for r in results)
    total_e = sum(r.expected or 0.0 for r in results)
    units = sum(r.alpha.units for r in results)
    if units == 0:
        overall = Figure(None, 0, "no coder identified a unit")
    elif total_e <= 0.0:
        overall = Figure(None, units, "no expected disagreement")
    else:
        overall = Figure(float(1.0 - total_o / total_e), units)
    return UnitizedAlphaSet(overall, per_code)
