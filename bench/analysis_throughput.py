"""Throughput of the analysis on the worker's real path, against raw VADER on the same texts.

Run from the project root:  .venv/bin/python bench/analysis_throughput.py [--data DIR] [--texts N]

The worker analyses with the practice's context (therapists, staff, clinics: analysis_store's
practice_context), so this bench builds a throw-away SQLite database, loads seed_demo into it and
reads the context the way the worker does. Texts: the dev set, VADER's four corpora joined into
100–1,000-character texts, and a lower-cased copy of a third of them (lower-case writers take other
paths through the name matching). Two measurements, each against raw VADER in the same run:
1. in process: analyze(text, rating=, context=practice context) vs polarity_scores(text);
2. end to end: `manage.py analyze --jsonl -` in a subprocess over the same texts vs a subprocess
   that loads vaderSentiment and prints polarity_scores as JSON for each line (same I/O shape), and
   the start-up of each alone (an empty stdin), so the per-text cost can be told from the fixed one.
Each figure is the best of --rounds runs (the machine is shared: the best run is the least disturbed).
The project's modules are byte-compiled first, as `make install` and the Docker image do: where
PYTHONDONTWRITEBYTECODE is set, a checkout without them would compile ~70 modules on every start
(~0.1 s), which the installed vaderSentiment never does.
"""
from __future__ import annotations

import argparse
import compileall
import json
import random
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from practice import practice_context_from, seeded_var_dir, subprocess_env  # noqa: E402

RAW_VADER_JSONL = (
    "import json, sys\n"
    "from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer\n"
    "a = SentimentIntensityAnalyzer()\n"
    "for line in sys.stdin:\n"
    "    if line.strip():\n"
    "        sys.stdout.write(json.dumps(a.polarity_scores(json.loads(line)['text'])) + '\\n')\n"
)


def build_texts(data: Path, count: int) -> list[str]:
    """count texts of 100–1,000 characters: dev testimonials, corpus snippets joined up, a third lower-cased."""
    rng = random.Random(4)
    dev = [json.loads(line)["text"]
           for line in (data / "testimonials-dev.jsonl").read_text(encoding="utf-8").splitlines()
           if line.strip()]
    snippets = []
    for name in ("amazonReviewSnippets_GroundTruth.txt", "movieReviewSnippets_GroundTruth.txt",
                 "tweets_GroundTruth.txt", "nytEditorialSnippets_GroundTruth.txt"):
        for line in (data / "vader" / name).read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3:
                snippets.append(parts[2])
    texts = [t[:1000] for t in dev if len(t) >= 100]
    while len(texts) < count:
        target = rng.randint(100, 1000)
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < target:
            parts.append(rng.choice(snippets + dev))
        texts.append(" ".join(parts)[:1000])
    texts = texts[:count]
    return [t.lower() if i % 3 == 2 else t for i, t in enumerate(texts)]


def rates(fns: list, texts: list[str], rounds: int) -> list[tuple[float, float]]:
    """Best texts per second of each function, by wall clock and by this process's CPU time.

    Rounds interleave so background load hits both alike; on a shared machine the CPU-time figure
    is the steadier one (time other processes take from us does not count)."""
    best = [(0.0, 0.0)] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            wall, cpu = time.perf_counter(), time.process_time()
            for text in texts:
                fn(text)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[i] = (max(best[i][0], len(texts) / wall), max(best[i][1], len(texts) / max(cpu, 1e-9)))
    return best


def _child_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def end_to_end(runs: list[tuple[list[str], bytes]], env: dict[str, str], rounds: int) -> list[tuple[float, float]]:
    """Best wall-clock and CPU seconds of each (command, stdin) run as a subprocess, start-up included.

    Rounds interleave the runs, as rates() does, so background load hits them alike."""
    best = [(float("inf"), float("inf"))] * len(runs)
    for _ in range(rounds):
        for i, (command, payload) in enumerate(runs):
            wall, cpu = time.perf_counter(), _child_cpu()
            done = subprocess.run(command, input=payload, env=env, cwd=ROOT, capture_output=True, check=True)
            wall, cpu = time.perf_counter() - wall, _child_cpu() - cpu
            best[i] = (min(best[i][0], wall), min(best[i][1], cpu))
            assert done.stdout.count(b"\n") >= payload.count(b"\n") - 1, done.stderr.decode()[-500:]
    return best


def main() -> None:
    """Seed a practice, warm up, time both paths, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--texts", type=int, default=900)
    parser.add_argument("--rounds", type=int, default=5, help="best of this many runs of each (default 5)")
    args = parser.parse_args()
    texts = build_texts(args.data, args.texts)
    var_dir = seeded_var_dir()
    context = practice_context_from(var_dir)

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from moderation.analysis import analyze
    from moderation.analysis.language import warm_up

    clinic = replace(context, location_slug="edison", author_first_name="Jordan", author_last_name="Whitaker")
    plain = SentimentIntensityAnalyzer()
    warm_up()
    for text in texts[:50]:
        analyze(text, rating=5, context=clinic)
    lengths = sorted(len(t) for t in texts)
    print(f"{len(texts)} texts ({sum(t.islower() for t in texts)} lower-cased), {lengths[0]}–{lengths[-1]} "
          f"characters (median {lengths[len(lengths) // 2]}); practice context from seed_demo: "
          f"{len(context.therapists)} therapists, {len(context.staff_names)} staff, "
          f"{len(context.location_names)} clinic/town names")
    raw, full = rates([plain.polarity_scores, lambda t: analyze(t, rating=5, context=clinic)], texts, args.rounds)
    print("\n1. in process                       wall clock     CPU time")
    print(f"raw VADER polarity_scores:          {raw[0]:8.0f}/s    {raw[1]:8.0f}/s")
    print(f"analyze with the practice context:  {full[0]:8.0f}/s    {full[1]:8.0f}/s")
    print(f"ratio (target ≥ 0.5):               {full[0] / raw[0]:8.2f}      {full[1] / raw[1]:8.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak RSS:                           {peak:8.1f} MB  (target ≤ 300)")

    payload = "".join(json.dumps({"text": t, "rating": 5}) + "\n" for t in texts).encode()
    env = subprocess_env(var_dir)
    for package in ("config", "moderation", "reviews"):
        compileall.compile_dir(ROOT / package, quiet=1)
    command = [sys.executable, str(ROOT / "manage.py"), "analyze", "--jsonl", "-"]
    raw_command = [sys.executable, "-c", RAW_VADER_JSONL]
    ours, theirs, ours_start, theirs_start = end_to_end(
        [(command, payload), (raw_command, payload), (command, b""), (raw_command, b"")], env, args.rounds)
    print("\n2. end to end (a subprocess each, start-up included, same texts on stdin)")
    print("                                    wall clock     CPU time     start-up alone (CPU)")
    print(f"raw VADER, one JSON line each:      {theirs[0]:7.2f} s    {theirs[1]:7.2f} s    {theirs_start[1]:7.2f} s")
    print(f"manage.py analyze --jsonl -:        {ours[0]:7.2f} s    {ours[1]:7.2f} s    {ours_start[1]:7.2f} s")
    print(f"ratio (target ≥ 0.5):               {theirs[0] / ours[0]:8.2f}      {theirs[1] / ours[1]:8.2f}")
    per_text = [1000 * (total[1] - start[1]) / len(texts)
                for total, start in ((theirs, theirs_start), (ours, ours_start))]
    print(f"CPU per text after start-up:        raw VADER {per_text[0]:.2f} ms, analyze {per_text[1]:.2f} ms "
          "(the first texts include building the detectors: lingua, the regexes)")


if __name__ == "__main__":
    main()
