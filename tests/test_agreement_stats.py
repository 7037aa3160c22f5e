"""Tests for mivcode.core.team.stats: published reference values first.

Every reference value below names its source; where a figure is printed to
three decimals in the source, the test compares at that precision.
"""

from __future__ import annotations

import dataclasses
import itertools

import krippendorff
import numpy as np
import pytest

from mivcode.core.team.stats import (
    CharacterAgreement,
    Figure,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    nvivo_character_kappa,
    percent_agreement,
    segment_agreement,
    unitized_alpha,
    unitized_alpha_by_code,
)

nan = np.nan


def table_to_ratings(table):
    """Expand a two-coder contingency table (rows = coder A) into two rating rows."""
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [i + 1] * count
            b += [j + 1] * count
    return a, b


# Krippendorff's 4 coders x 12 units example with missing values
# (Krippendorff, "Computing Krippendorff's alpha-reliability", 2011, sec. C;
# also irrCAC's data set cac.raw4raters and the krippendorff package's doctest).
KRIPP_4x12 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]

# Fleiss (1971: 379), 30 subjects x 6 raters, 5 diagnostic categories,
# one row per subject (as in DKPro Statistics' Fleiss1971Test).
FLEISS_1971 = [
    (4, 4, 4, 4, 4, 4), (2, 2, 2, 5, 5, 5), (2, 3, 3, 3, 3, 5), (5, 5, 5, 5, 5, 5),
    (2, 2, 2, 4, 4, 4), (1, 1, 3, 3, 3, 3), (3, 3, 3, 3, 5, 5), (1, 1, 3, 3, 3, 4),
    (1, 1, 4, 4, 4, 4), (5, 5, 5, 5, 5, 5), (1, 4, 4, 4, 4, 4), (1, 2, 4, 4, 4, 4),
    (2, 2, 2, 3, 3, 3), (1, 4, 4, 4, 4, 4), (2, 2, 4, 4, 4, 5), (3, 3, 3, 3, 3, 5),
    (1, 1, 1, 4, 5, 5), (1, 1, 1, 1, 1, 2), (2, 2, 4, 4, 4, 4), (1, 3, 3, 5, 5, 5),
    (5, 5, 5, 5, 5, 5), (2, 4, 4, 4, 4, 4), (2, 2, 4, 5, 5, 5), (1, 1, 4, 4, 4, 4),
    (1, 4, 4, 4, 4, 5), (2, 2, 2, 2, 2, 4), (1, 1, 1, 1, 5, 5), (2, 2, 4, 4, 4, 4),
    (1, 3, 3, 3, 3, 3), (5, 5, 5, 5, 5, 5),
]

# Cohen (1960: 45), 200 units, 3 categories.
COHEN_1960 = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]


# ---------------------------------------------------------------------------
# Published reference values
# ---------------------------------------------------------------------------


def test_cohen_1960_reference():
    a, b = table_to_ratings(COHEN_1960)
    k = cohen_kappa(a, b)
    assert k.units == 200
    assert round(k.value, 3) == 0.492
    # p_o = .70, p_e = .41 (Cohen 1960): (.70 - .41) / (1 - .41)
    assert k.value == pytest.approx((0.70 - 0.41) / (1 - 0.41), abs=1e-3)


def test_fleiss_1971_reference():
    k = fleiss_kappa(np.array(FLEISS_1971).T)  # coders x units
    assert k.units == 30
    assert round(k.value, 3) == 0.430
    # P_bar = .5556 and P_e = .2201 as published
    assert k.value == pytest.approx((0.5556 - 0.2201) / (1 - 0.2201), abs=1e-3)


@pytest.mark.parametrize(
    "level, expected",
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_4x12_reference(level, expected):
    a = krippendorff_alpha(KRIPP_4x12, level)
    assert round(a.value, 3) == expected
    assert a.units == 11  # unit 12 has a single rating: not pairable
    assert "1 unit" in a.note


def test_krippendorff_ordinal_labels_with_value_domain():
    labels = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    data = [[None if v != v else labels[int(v)] for v in row] for row in KRIPP_4x12]
    domain = ["very low", "low", "mid", "high", "very high"]
    assert round(krippendorff_alpha(data, "ordinal", value_domain=domain).value, 3) == 0.815
    assert round(krippendorff_alpha(data, "nominal").value, 3) == 0.743
    with pytest.raises(ValueError):
        krippendorff_alpha(data, "ordinal")  # strings need an ordered domain


def test_krippendorff_binary_two_coders_reference():
    # Krippendorff (2011), sec. A: binary data, two observers, no missing data.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    alpha = krippendorff_alpha([a, b])
    assert round(alpha.value, 3) == 0.095
    assert alpha.units == 10
    # hand formula: 1 - (n - 1) o_01 / (n_0 n_1) = 1 - 19 * 4 / (14 * 6)
    assert alpha.value == pytest.approx(1 - 19 * 4 / (14 * 6), abs=1e-12)
    assert percent_agreement([a, b]) == Figure(0.6, 10, None)


def test_gwet_ac1_irrcac_reference_with_missing_data():
    # irrCAC (Gwet's package; R and Python) on cac.raw4raters, the 4 x 12 data
    # above: AC1 = 0.77544, pa = 0.81818, pe = 0.19032 (5 decimals printed).
    ac1 = gwet_ac1(KRIPP_4x12)
    assert round(ac1.value, 5) == 0.77544
    assert ac1.value == pytest.approx((0.81818 - 0.19032) / (1 - 0.19032), abs=1e-5)
    assert ac1.units == 11


def test_gwet_ac1_two_coders_by_hand():
    # 8 units (y, y), 1 unit (n, n), 1 unit (y, n).  By hand:
    # p_a = 9/10; pi_y = (8 * 1 + 1 * 0 + 1 * 0.5) / 10 = .85, pi_n = .15; p_e = (pi_y (1 - pi_y) + pi_n (1 - pi_n)) / (q - 1) = 2 * .1275 = .255;
    # AC1 = (.9 - .255) / (1 - .255) = .86577...
    a = ["y"] * 8 + ["n", "y"]
    b = ["y"] * 8 + ["n", "n"]
    ac1 = gwet_ac1([a, b])
    assert ac1.value == pytest.approx((0.9 - 0.255) / (1 - 0.255), abs=1e-12)
    assert round(ac1.value, 4) == 0.8658  # as in DKPro Statistics' Gwet2008Test
    assert ac1.units == 10


@pytest.mark.parametrize(
    "table, expected",
    [
        # irrCAC 1.4 fixtures (DKPro Statistics, src/test/resources/gwet): AC1 to 5 decimals
        ([[80, 7], [8, 5]], 0.808),
        (
            [[15, 4, 1, 0, 0], [3, 12, 4, 1, 0], [1, 3, 14, 3, 1], [0, 1, 3, 10, 2], [0, 0, 1, 2, 8]],
            0.57997,
        ),
        # Cohen (1960: 45), AC1 from Gwet's definition (DKPro Gwet2008Test)
        (COHEN_1960, 0.5760),
    ],
)
def test_gwet_ac1_published_tables(table, expected):
    a, b = table_to_ratings(table)
    assert gwet_ac1([a, b]).value == pytest.approx(expected, abs=5e-5)


def test_gwet_ac1_stays_high_for_a_rare_code_where_kappa_collapses():
    a, b = table_to_ratings([[80, 7], [8, 5]])  # category 2 is rare
    kappa = cohen_kappa(a, b).value
    ac1 = gwet_ac1([a, b]).value
    assert kappa < 0.33 < 0.8 < ac1
    assert percent_agreement([a, b]).value == pytest.approx(0.85)


def test_gwet_ac1_pa_skips_single_ratings_but_pe_keeps_them():
    base_a = ["y"] * 8 + ["n", "y"]
    base_b = ["y"] * 8 + ["n", "n"]
    a = base_a + ["y", "y", "n"]
    b = base_b + [None, None, None]
    ac1 = gwet_ac1([a, b])
    # By hand: p_a stays 0.9; pi over 13 rated units:
    pi_y = (8 + 0.5 + 2) / 13
    pi_n = 1 - pi_y
    p_e = (pi_y * (1 - pi_y) + pi_n * (1 - pi_n)) / (2 - 1)
    assert ac1.value == pytest.approx((0.9 - p_e) / (1 - p_e), abs=1e-12)
    assert ac1.units == 10
    assert "3 unit" in ac1.note


def test_nvivo_character_kappa_by_hand():
    # NVivo's help example: 1000 characters, 50 coded by both, 150 by one
    # coder only, 800 by neither -> agreement 85 %.  Let A code 150 and B 100:
    # P_e = (150*100 + 850*900) / 1000^2 = .78; kappa = (.85 - .78) / (1 - .78).
    result = nvivo_character_kappa([(0, 150)], [(0, 50), (150, 200)], 1000)
    assert isinstance(result, CharacterAgreement)
    assert (result.coded_a, result.coded_b, result.both, result.neither) == (150, 100, 50, 800)
    assert result.agreement == Figure(0.85, 1000, None)
    assert result.kappa.value == pytest.approx((0.85 - 0.78) / (1 - 0.78), abs=1e-12)
    assert result.kappa.units == 1000


def test_nvivo_character_kappa_merges_overlaps_and_handles_no_variation():
    merged = nvivo_character_kappa([(0, 100), (50, 150)], [(0, 150)], 300)
    assert merged.kappa.value == pytest.approx(1.0)
    assert merged.coded_a == 150
    nothing = nvivo_character_kappa([], [], 500)
    assert nothing.kappa.value is None and "no variation" in nothing.kappa.note
    assert nothing.agreement.value == 1.0
    everything = nvivo_character_kappa([(0, 10)], [(0, 10)], 10)
    assert everything.kappa.value is None
    with pytest.raises(ValueError):
        nvivo_character_kappa([(5, 5)], [], 10)  # empty span
    with pytest.raises(ValueError):
        nvivo_character_kappa([(0, 11)], [], 10)  # beyond the document


def test_segment_agreement_by_hand():
    a = [("x", 0, 100), ("x", 200, 300), ("y", 50, 60)]
    b = [("x", 5, 100), ("x", 200, 289), ("y", 500, 510), ("z", 0, 10)]
    # x: (0,100) vs (5,100): overlap 95 / union 100 = .95 -> both matched
    #    (200,300) vs (200,289): 89 / 100 = .89 < .9 -> both unmatched
    # y: no overlap -> 2 unmatched; z: only coder B -> 1 unmatched
    result = segment_agreement(a, b, min_overlap=0.9)
    assert (result.matched, result.unmatched) == (2, 5)
    assert result.percent == Figure(2 / 7, 7, None)
    assert result.n_codes == 3
    # Brennan & Prediger: (2/7 - 1/3) / (1 - 1/3) = -1/14
    assert result.kappa.value == pytest.approx(-1 / 14, abs=1e-12)
    assert result.by_code["x"].matched == 2 and result.by_code["x"].unmatched == 2
    assert result.by_code["z"].matched == 0 and result.by_code["z"].unmatched == 1
    # the threshold is inclusive: 90 / 100 matches at 0.9
    edge = segment_agreement([("x", 200, 300)], [("x", 200, 290)], min_overlap=0.9)
    assert edge.matched == 2
    looser = segment_agreement(a, b, min_overlap=0.8)
    assert looser.matched == 4


def test_segment_agreement_mapping_input_merging_and_undefined_kappa():
    result = segment_agreement({"x": [(0, 50), (40, 100)]}, {"x": [(0, 100)]})
    assert (result.matched, result.unmatched) == (2, 0)  # A's two spans merge into one
    assert result.percent.value == 1.0
    assert result.kappa.value is None and "two codes" in result.kappa.note
    assert segment_agreement({"x": [(0, 50)]}, {"x": [(0, 50)]}, n_codes=4).kappa.value == pytest.approx(1.0)
    nothing = segment_agreement([], [])
    assert nothing.percent.value is None and nothing.percent.units == 0


def unitized_example():
    # Krippendorff (2004: 254), continuum 150..450, two coders, codes c and k,
    # as in DKPro Statistics' Krippendorff2004Test (offset, length) -> (start, end).
    return {
        "c": [[(225, 295), (370, 400)], [(220, 300), (355, 375), (400, 420)]],
        "k": [[(180, 240), (300, 350)], [(180, 240), (300, 350)]],
    }


def test_unitized_alpha_krippendorff_2004_reference():
    result = unitized_alpha_by_code(unitized_example(), 150, 450)
    c, k = result.by_code["c"], result.by_code["k"]
    assert c.observed == pytest.approx(0.0144, abs=1e-4)
    assert c.expected == pytest.approx(0.0532, abs=1e-4)
    assert c.alpha.value == pytest.approx(0.7286, abs=1e-4)
    assert c.alpha.units == 5
    assert k.observed == pytest.approx(0.0, abs=1e-12)
    assert k.expected == pytest.approx(0.0490, abs=1e-4)
    assert k.alpha.value == pytest.approx(1.0)
    # Published overall alpha_U = .8591 = 1 - .0144 / (.0532 + .0490), i.e. from
    # disagreements rounded to 4 decimals; unrounded it is .85867 (DKPro's test
    # accepts it with tolerance .0005).
    assert result.overall.value == pytest.approx(0.8591, abs=5e-4)
    rounded = 1 - round(c.observed + k.observed, 4) / (round(c.expected, 4) + round(k.expected, 4))
    assert round(rounded, 4) == 0.8591
    assert result.overall.units == 9


def test_unitized_alpha_dkpro_small_example():
    # DKPro Statistics UnitizingAgreementTest: r0 -11111111-, r1 --1-1-1---
    result = unitized_alpha([[(1, 9)], [(2, 3), (4, 5), (6, 7)]], 0, 10)
    assert result.observed == pytest.approx(0.9100, abs=1e-4)
    assert result.expected == pytest.approx(0.5351, abs=1e-4)
    assert result.alpha.value == pytest.approx(-0.7003, abs=1e-4)


def test_unitized_alpha_edge_cases():
    single = unitized_alpha([[(0, 1)], [], []], 0, 20)  # DKPro: alpha = 0
    assert single.alpha.value == pytest.approx(0.0, abs=1e-12)
    empty = unitized_alpha([[], [], []], 0, 20)
    assert empty.alpha.value is None and empty.alpha.units == 0
    alone = unitized_alpha([[(0, 5)]], 0, 20)
    assert alone.alpha.value is None and "two coders" in alone.alpha.note
    same = unitized_alpha([[(2, 8)], [(2, 8)], [(2, 8)]], 0, 20)
    assert same.alpha.value == pytest.approx(1.0)
    with pytest.raises(ValueError):
        unitized_alpha([[(0, 25)], []], 0, 20)


# ---------------------------------------------------------------------------
# Against the krippendorff package and against plain-loop references
# ---------------------------------------------------------------------------


def random_matrix(rng, coders, units, values, missing):
    m = rng.integers(0, values, size=(coders, units)).astype(float)
    m[rng.random((coders, units)) < missing] = nan
    # a coder who skipped a whole transcript
    skip = rng.integers(0, coders)
    start = rng.integers(0, units)
    m[skip, start : start + units // 5] = nan
    return m


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_agrees_with_krippendorff_package(seed, level):
    rng = np.random.default_rng(seed)
    coders = int(rng.integers(2, 7))
    m = random_matrix(rng, coders, int(rng.integers(5, 400)), int(rng.integers(2, 6)), rng.random() * 0.5)
    if level == "ratio":
        m = m + 1.0  # ratio distances need positive values
    ours = krippendorff_alpha(m, level)
    theirs = krippendorff.alpha(reliability_data=m, level_of_measurement=level)
    assert ours.value == pytest.approx(float(theirs), abs=1e-9)


def test_alpha_agrees_with_package_on_none_input():
    rng = np.random.default_rng(99)
    m = random_matrix(rng, 4, 200, 3, 0.3)
    as_lists = [[None if v != v else int(v) for v in row] for row in m]
    ours = krippendorff_alpha(as_lists)
    assert ours.value == pytest.approx(float(krippendorff.alpha(m, level_of_measurement="nominal")), abs=1e-9)


def loop_gwet_ac1(m):
    """Gwet's AC1 with plain loops over units, for cross-checking."""
    cats = sorted({v for row in m for v in row if v == v})
    q = len(cats)
    pa_terms, pi = [], dict.fromkeys(cats, 0.0)
    rated_units = 0
    for u in range(len(m[0])):
        ratings = [row[u] for row in m if row[u] == row[u]]
        r = len(ratings)
        if r >= 1:
            rated_units += 1
            for c in cats:
                pi[c] += ratings.count(c) / r
        if r >= 2:
            pa_terms.append(sum(ratings.count(c) * (ratings.count(c) - 1) for c in cats) / (r * (r - 1)))
    pa = sum(pa_terms) / len(pa_terms)
    pe = sum((p / rated_units) * (1 - p / rated_units) for p in pi.values()) / (q - 1)
    return (pa - pe) / (1 - pe)


def loop_percent_agreement(m):
    hits = total = 0
    for u in range(len(m[0])):
        ratings = [row[u] for row in m if row[u] == row[u]]
        if len(ratings) >= 2:
            total += 1
            hits += len(set(ratings)) == 1
    return hits / total


@pytest.mark.parametrize("seed", range(8))
def test_vectorised_figures_match_plain_loops(seed):
    rng = np.random.default_rng(100 + seed)
    m = random_matrix(rng, int(rng.integers(2, 6)), 150, int(rng.integers(2, 5)), 0.3)
    rows = m.tolist()
    assert gwet_ac1(m).value == pytest.approx(loop_gwet_ac1(rows), abs=1e-12)
    assert percent_agreement(m).value == pytest.approx(loop_percent_agreement(rows), abs=1e-12)


def test_fleiss_equals_scott_pi_and_cohen_relation_for_two_coders():
    # For two coders with complete data Fleiss' kappa is Scott's pi; Scott's pi
    # with pooled marginals by hand:
    a, b = table_to_ratings(COHEN_1960)
    pooled = np.bincount(np.array(a + b) - 1) / 400
    p_o = 0.70
    p_e = float((pooled**2).sum())
    assert fleiss_kappa([a, b]).value == pytest.approx((p_o - p_e) / (1 - p_e), abs=1e-12)


def loop_unitized_alpha(spans_by_coder, begin, end):
    """alpha_U from Krippendorff's formulas with explicit loops over section pairs."""
    m, L = len(spans_by_coder), end - begin

    def sections(spans):
        out, pos = [], begin
        for s, e in sorted(spans):
            if s > pos:
                out.append((pos, s, False))
            out.append((s, e, True))
            pos = e
        if pos < end:
            out.append((pos, end, False))
        return out

    def delta(g, h):
        (bg, eg, ug), (bh, eh, uh) = g, h
        if ug and uh and bg < eh and bh < eg:
            return (bg - bh) ** 2 + (eg - eh) ** 2
        if ug and not uh and bh <= bg and eg <= eh:
            return (eg - bg) ** 2
        if uh and not ug and bg <= bh and eh <= eg:
            return (eh - bh) ** 2
        return 0

    secs = [sections(s) for s in spans_by_coder]
    d_o = sum(delta(g, h) for i in range(m) for j in range(m) if i != j for g in secs[i] for h in secs[j])
    d_o /= m * (m - 1) * L**2
    units = [e - s for spans in spans_by_coder for s, e in spans]
    gaps = [e - s for sec in secs for s, e, u in sec if not u]
    n = len(units)
    num = sum(
        (n - 1) * (2 * l**3 - 3 * l**2 + l) / 3 + l**2 * sum(g - l + 1 for g in gaps if g >= l) for l in units
    )
    d_e = 2 / L * num / (m * L * (m * L - 1) - sum(l * (l - 1) for l in units))
    return 1 - d_o / d_e


def random_spans(rng, begin, end, count):
    points = np.sort(rng.choice(np.arange(begin, end + 1), size=2 * count, replace=False))
    return [(int(s), int(e)) for s, e in points.reshape(-1, 2)]


@pytest.mark.parametrize("seed", range(10))
def test_unitized_alpha_matches_plain_loops(seed):
    rng = np.random.default_rng(200 + seed)
    begin, end = 100, 100 + int(rng.integers(50, 400))
    coders = [random_spans(rng, begin, end, int(rng.integers(0, 8))) for _ in range(int(rng.integers(2, 5)))]
    if not any(coders):
        coders[0] = [(begin + 1, begin + 5)]
    ours = unitized_alpha(coders, begin, end)
    assert ours.alpha.value == pytest.approx(loop_unitized_alpha(coders, begin, end), abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_segment_agreement_matches_pairwise_loop(seed):
    rng = np.random.default_rng(300 + seed)
    a = [(c, s, e) for c in "pq" for s, e in random_spans(rng, 0, 2000, int(rng.integers(0, 30)))]
    # coder B: most of A's segments with a jittered start, plus some of its own
    # (spans of one coder may now overlap: they are merged inside)
    b = [(c, min(max(s + int(rng.integers(-3, 4)), 0), e - 1), e) for c, s, e in a if rng.random() < 0.7]
    b += [(c, s, e) for c in "pr" for s, e in random_spans(rng, 0, 2000, 5)]

    def merged(segs, code):
        spans = sorted((s, e) for c, s, e in segs if c == code)
        out = []
        for s, e in spans:
            if out and s < out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], e))
            else:
                out.append((s, e))
        return out

    matched = total = 0
    for code in {c for c, _, _ in a + b}:
        sa, sb = merged(a, code), merged(b, code)
        total += len(sa) + len(sb)

        def ok(x, y):
            inter = min(x[1], y[1]) - max(x[0], y[0])
            return inter > 0 and inter >= 0.9 * (max(x[1], y[1]) - min(x[0], y[0]))

        matched += sum(any(ok(x, y) for y in sb) for x in sa) + sum(any(ok(y, x) for x in sa) for y in sb)
    result = segment_agreement(a, b)
    assert (result.matched, result.matched + result.unmatched) == (matched, total)


def test_character_kappa_matches_cohen_kappa_on_characters():
    rng = np.random.default_rng(7)
    length = 3000
    sa, sb = random_spans(rng, 0, length, 20), random_spans(rng, 0, length, 25)
    ca, cb = np.zeros(length, int), np.zeros(length, int)
    for s, e in sa:
        ca[s:e] = 1
    for s, e in sb:
        cb[s:e] = 1
    result = nvivo_character_kappa(sa, sb, length)
    assert result.kappa.value == pytest.approx(cohen_kappa(ca, cb).value, abs=1e-12)
    assert result.agreement.value == pytest.approx(percent_agreement([ca, cb]).value, abs=1e-12)


# ---------------------------------------------------------------------------
# Undefined figures, missing data, input forms
# ---------------------------------------------------------------------------


def test_one_coder_gives_none_with_reason():
    for fn in (percent_agreement, fleiss_kappa, krippendorff_alpha, gwet_ac1):
        fig = fn([[1, 0, 1]])
        assert fig.value is None and fig.units == 0 and "two coders" in fig.note


def test_no_variation_gives_none_not_nan():
    same = [[1, 1, 1, 1], [1, 1, 1, 1]]
    assert cohen_kappa(*same).value is None
    assert fleiss_kappa(same).value is None
    alpha = krippendorff_alpha(same)
    assert alpha.value is None and alpha.units == 4 and "no variation" in alpha.note
    assert gwet_ac1(same).value is None
    # with the scale given, AC1 is defined: full agreement on "absent"
    assert gwet_ac1([[0, 0, 0], [0, 0, 0]], categories=(0, 1)).value == pytest.approx(1.0)
    assert percent_agreement(same).value == 1.0


def test_no_pairable_units():
    m = [[1, nan, nan], [nan, 0, nan]]
    for fn in (percent_agreement, krippendorff_alpha, gwet_ac1):
        fig = fn(m)
        assert fig.value is None and fig.units == 0
    assert cohen_kappa(*m).value is None
    assert fleiss_kappa(m).value is None


def test_missing_data_forms_are_equivalent():
    with_nan = [[1, 0, nan, 1, 0, 1], [1, 1, 0, 1, nan, 1], [0, 1, 0, 1, 1, nan]]
    with_none = [[None if v != v else v for v in row] for row in with_nan]
    for fn in (percent_agreement, krippendorff_alpha, gwet_ac1, fleiss_kappa):
        assert fn(with_nan) == fn(with_none)
    assert cohen_kappa(with_nan[0], with_nan[1]) == cohen_kappa(with_none[0], with_none[1])


def test_cohen_kappa_string_categories_and_missing():
    a = ["pos", "neg", "neu", None, "pos"]
    b = ["pos", "neg", "pos", "neg", None]
    k = cohen_kappa(a, b)
    assert k.units == 3 and "2 units" in k.note
    # by hand on 3 units: p_o = 2/3; rows pos1 neg1 neu1, cols pos2 neg1 -> p_e = (2 + 1) / 9
    assert k.value == pytest.approx((2 / 3 - 1 / 3) / (1 - 1 / 3))
    with pytest.raises(ValueError):
        cohen_kappa([1, 2], [1, 2, 3])


def test_fleiss_excludes_incomplete_units_and_says_so():
    m = np.array(FLEISS_1971, dtype=float).T
    extra = np.array([[1.0], [2.0], [nan], [1.0], [1.0], [1.0]])
    k = fleiss_kappa(np.hstack([m, extra]))
    assert k.units == 30 and round(k.value, 3) == 0.430
    assert "1 unit" in k.note and "complete" in k.note


def test_invalid_arguments_raise():
    with pytest.raises(ValueError):
        gwet_ac1([[0, 1, 2], [0, 1, 1]], categories=(0, 1))
    with pytest.raises(ValueError):
        krippendorff_alpha([[1, 2], [1, 2]], level="ordinal-ish")


def test_results_are_frozen():
    fig = percent_agreement([[1, 0], [1, 1]])
    with pytest.raises(dataclasses.FrozenInstanceError):
        fig.value = 1.0  # type: ignore[misc]
    assert all(dataclasses.is_dataclass(x) for x in (fig, nvivo_character_kappa([], [], 3)))


def test_large_matrix_shapes_and_types():
    rng = np.random.default_rng(1)
    m = (rng.random((5, 20_000)) < 0.1).astype(float)
    m[1, :4000] = nan
    for fn in (percent_agreement, fleiss_kappa, krippendorff_alpha, gwet_ac1):
        fig = fn(m)
        assert isinstance(fig.value, float) and not np.isnan(fig.value)
        assert isinstance(fig.units, int)
    assert fleiss_kappa(m).units == 16_000
    assert krippendorff_alpha(m).units == 20_000


def test_pairwise_cohen_on_all_coder_pairs_runs():
    rng = np.random.default_rng(3)
    m = (rng.random((4, 300)) < 0.3).astype(float)
    values = [cohen_kappa(m[i], m[j]).value for i, j in itertools.combinations(range(4), 2)]
    assert all(-1.0 <= v <= 1.0 for v in values)
