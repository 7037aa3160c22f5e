"""Benchmark: agreement statistics on 5 coders x 20,000 turns x 30 codes.

Prints figures only (no pass/fail): the time for every turn-level function
over all 30 codes, their total, and the ratio to a baseline measured in the
same run -- one plain numpy pass over the same matrix that counts, per code
and turn, the coders who rated the turn and the coders who applied the code
(the least work any agreement figure needs).  The ratio stays meaningful on
a slower or faster machine.  Span-level functions are timed on sizes of a
long focus-group transcript.

Run: python benchmarks/bench_agreement.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mivcode.core.team.stats import (  # noqa: E402
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    nvivo_character_kappa,
    percent_agreement,
    segment_agreement,
    unitized_alpha,
)

CODERS, TURNS, CODES = 5, 20_000, 30


def make_matrix(seed: int = 0) -> np.ndarray:
    """coders x turns x codes; 0/1 with rare codes and whole transcripts missing."""
    rng = np.random.default_rng(seed)
    prevalence = rng.uniform(0.005, 0.3, size=CODES)  # some codes are rare
    truth = rng.random((TURNS, CODES)) < prevalence
    flip = rng.random((CODERS, TURNS, CODES)) < 0.05
    data = (truth[None, :, :] ^ flip).astype(np.float64)
    # transcripts of 400 turns; each coder skips some of them
    for coder in range(CODERS):
        for transcript in rng.choice(TURNS // 400, size=5, replace=False):
            data[coder, transcript * 400 : (transcript + 1) * 400, :] = np.nan
    return data


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def baseline(data: np.ndarray) -> None:
    rated = (~np.isnan(data)).sum(axis=0)
    applied = np.nansum(data, axis=0)
    rated.sum(), applied.sum()


def spans(rng: np.random.Generator, length: int, count: int) -> list[tuple[int, int]]:
    points = np.sort(rng.choice(length, size=2 * count, replace=False))
    return [(int(s), int(e)) for s, e in points.reshape(-1, 2)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the best is reported")
    args = parser.parse_args()

    data = make_matrix()
    per_code = [np.ascontiguousarray(data[:, :, c]) for c in range(CODES)]
    base = best_of(args.repeat, lambda: baseline(data))

    turn_level = {
        "percent_agreement": lambda: [percent_agreement(m) for m in per_code],
        "cohen_kappa (coders 1-2)": lambda: [cohen_kappa(m[0], m[1]) for m in per_code],
        "fleiss_kappa": lambda: [fleiss_kappa(m) for m in per_code],
        "krippendorff_alpha nominal": lambda: [krippendorff_alpha(m) for m in per_code],
        "gwet_ac1 (categories 0/1)": lambda: [gwet_ac1(m, categories=(0, 1)) for m in per_code],
    }
    print(f"turn level: {CODERS} coders x {TURNS:,} turns x {CODES} codes, best of {args.repeat}")
    print(f"  {'baseline numpy pass':32s} {base * 1000:9.1f} ms")
    total = 0.0
    for name, fn in turn_level.items():
        t = best_of(args.repeat, fn)
        total += t
        print(f"  {name:32s} {t * 1000:9.1f} ms   {t / base:6.1f} x baseline")
    print(f"  {'all five, all codes':32s} {total * 1000:9.1f} ms   {total / base:6.1f} x baseline")

    rng = np.random.default_rng(1)
    length = 200_000  # characters in a long transcript
    a, b = spans(rng, length, 2_000), spans(rng, length, 2_000)
    seg_a = [(f"code{i % CODES}", s, e) for i, (s, e) in enumerate(a)]
    seg_b = [(f"code{i % CODES}", s, e) for i, (s, e) in enumerate(b)]
    coders = [spans(rng, length, 400) for _ in range(CODERS)]
    span_level = {
        f"nvivo_character_kappa {length:,} chars": lambda: nvivo_character_kappa(a, b, length),
        "segment_agreement 2x2,000 segments": lambda: segment_agreement(seg_a, seg_b),
        f"unitized_alpha {CODERS} coders x 400 units": lambda: unitized_alpha(coders, 0, length),
    }
    print("span level (one code / one document):")
    for name, fn in span_level.items():
        t = best_of(args.repeat, fn)
        print(f"  {name:40s} {t * 1000:9.2f} ms")


if __name__ == "__main__":
    main()
