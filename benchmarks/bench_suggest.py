"""Benchmark: rule-based code suggestions over a corpus of one million words.

Prints figures only (no pass/fail):
* words/s of the rule-based suggestions (spaCy pipeline + codebook matchers +
  compounds/typos + scoring, on one core; the database is not involved),
* the baseline measured in the same run: spaCy's bare tokenizer
  (`spacy.blank("nl").tokenizer.pipe`) over the same turns, and the ratio,
* peak memory of the process (resource.getrusage; ru_maxrss),
* the same ratio in CPU time of the process (time.process_time), which other
  jobs on a shared machine disturb far less than wall time.

The corpus is made from the bundled example transcripts: turns drawn at
random, and about 4% of the words changed (a letter swapped, dropped or
doubled, or two words joined into a compound) so that the vocabulary keeps
growing as in real speech and the per-form caches are not flattered. Both
runs start with cold caches.

Targets (issue 3): ≥ 150,000 words/s, ≤ 3× the tokenizer, < 500 MB.

Wall and CPU time on a shared machine vary by ±20 % between runs; for comparing two
versions of the code, count instructions instead (deterministic), e.g.
`valgrind --tool=callgrind python -c "..."` once with and once without the run, and
subtract (see the README's figures for what that gave).

Run: python benchmarks/bench_suggest.py [--words 1000000] [--seed 0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import spacy  # noqa: E402

from mivcode.core.suggest.theme_model import default_model  # noqa: E402

from mivcode.core.codebook import default_codebook_path, load_codebook  # noqa: E402
from mivcode.core.model import Transcript, Turn  # noqa: E402
from mivcode.core.project import Project  # noqa: E402
from mivcode.core.suggest import pipeline as pipeline_mod  # noqa: E402
from mivcode.core.suggest import engine as engine_mod  # noqa: E402
from mivcode.core.suggest.engine import Engine  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "transcripts_example"
TURNS_PER_TRANSCRIPT = 300


def example_turns() -> list[tuple[str, str]]:
    """(speaker, utterance) of every turn in the bundled examples, read through the real importers."""
    with tempfile.TemporaryDirectory() as tmp:
        p = Project.create(Path(tmp) / "bench.miv")
        try:
            p.import_files([], manifest=EXAMPLES / "manifest.csv")
            out = []
            for name in p.transcript_names():
                t = p.transcript(name)
                out.extend((u.speaker, t.turn_text(u)) for u in t.turns)
            return out
        finally:
            p.close()


def mutate(word: str, rng: random.Random, other: str) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word + other.lower()  # a compound


def make_corpus(words: int, seed: int) -> list[Transcript]:
    rng = random.Random(seed)
    turns = example_turns()
    vocab = [w for _, text in turns for w in text.split() if w.isalpha() and len(w) > 3]
    transcripts: list[Transcript] = []
    total = 0
    lines: list[str] = []
    meta: list[tuple[str, int, int]] = []
    pos = 0
    while total < words:
        speaker, text = rng.choice(turns)
        toks = [mutate(w, rng, rng.choice(vocab)) if rng.random() < 0.04 else w for w in text.split()]
        utt = " ".join(toks)
        start = pos + len(speaker) + 2
        meta.append((speaker, start, start + len(utt)))
        lines.append(f"{speaker}: {utt}")
        pos += len(lines[-1]) + 1
        total += len(toks)
        if len(meta) == TURNS_PER_TRANSCRIPT or total >= words:
            text_all = "\n".join(lines) + "\n"
            t_turns = [Turn(i, s, a - (pos - len(text_all)), b - (pos - len(text_all))) for i, (s, a, b) in enumerate(meta)]
            transcripts.append(Transcript(f"bench{len(transcripts)}", text_all, t_turns))
            lines, meta = [], []
            pos = 0
    return transcripts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    corpus = make_corpus(args.words, args.seed)
    texts = [t.turn_text(u) for t in corpus for u in t.turns]
    n_words = sum(len(x.split()) for x in texts)
    print(f"corpus: {n_words:,} words in {len(texts):,} turns, {len(corpus)} transcripts")

    codes = load_codebook(default_codebook_path()).codes
    base, rules, setup, n_sugg, n_tokens = [], [], [], 0, 0
    base_cpu, rules_cpu, learned, n_learned = [], [], [], 0
    prior = default_model()
    for _ in range(args.repeat):  # alternate, cold caches each time; the minimum is the least disturbed run
        tok = spacy.blank("nl").tokenizer
        t0, c0 = time.perf_counter(), time.process_time()
        n_tokens = sum(len(d) for d in tok.pipe(texts, batch_size=512))
        base.append(time.perf_counter() - t0)
        base_cpu.append(time.process_time() - c0)
        t0 = time.perf_counter()
        pipe = pipeline_mod._load.__wrapped__(None)  # a fresh pipeline: cold caches, like a new process
        engine_mod._ruleset.cache_clear()  # and drop the previous round's, so peak memory is one round's
        engine = Engine(codes, pipeline=pipe)
        setup.append(time.perf_counter() - t0)
        t0, c0 = time.perf_counter(), time.process_time()
        n_sugg = 0
        for i in range(0, len(corpus), 20):
            n_sugg += sum(len(s) for s in engine.run(corpus[i:i + 20]))
        rules.append(time.perf_counter() - t0)
        rules_cpu.append(time.process_time() - c0)
        if prior is not None:  # what `mivcode suggest` runs by default: the rules and the learned layer
            engine = Engine(codes, pipeline=pipe, theme_model=prior)
            t0 = time.perf_counter()
            n_learned = 0
            for i in range(0, len(corpus), 20):
                n_learned += sum(len(s) for s in engine.run(corpus[i:i + 20]))
            learned.append(time.perf_counter() - t0)
    b, r = min(base), min(rules)
    print(f"baseline  spaCy tokenizer:          {b:7.2f} s  {n_words / b:>10,.0f} words/s  ({n_tokens:,} tokens, "
          f"per turn; best of {args.repeat})")
    print(f"rules     suggestions ({len(codes)} codes):   {r:7.2f} s  {n_words / r:>10,.0f} words/s  "
          f"({n_sugg:,} suggestions; setup {min(setup):.2f} s once)")
    print(f"ratio     rules / tokenizer:        {r / b:7.2f} x")
    if learned:
        lt = min(learned)
        print(f"learned   rules + learned layer:    {lt:7.2f} s  {n_words / lt:>10,.0f} words/s  "
              f"({n_learned:,} suggestions; the shipped prior)")
        print(f"ratio     learned / tokenizer:      {lt / b:7.2f} x")
    # CPU time of this process: on a shared machine (other jobs on the cores) far steadier than wall time
    print(f"ratio     CPU time (process_time):  {min(rules_cpu) / min(base_cpu):7.2f} x  "
          f"({min(rules_cpu):.2f} s / {min(base_cpu):.2f} s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory    peak RSS of the process:  {peak:7.0f} MB")


if __name__ == "__main__":
    main()
