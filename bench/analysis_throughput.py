"""Throughput of the full analysis against raw VADER polarity_scores on the same texts.

Run from the project root:  .venv/bin/python bench/analysis_throughput.py [--data DIR] [--texts N]
Texts of 100–1,000 characters are built from the dev set and VADER's corpora with a fixed seed.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from moderation.analysis import analyze  # noqa: E402
from moderation.analysis.language import warm_up  # noqa: E402


def build_texts(data: Path, count: int) -> list[str]:
    """count texts of 100–1,000 characters: dev testimonials, then corpus snippets joined up."""
    rng = random.Random(4)
    dev = [json.loads(line)["text"] for line in (data / "testimonials-dev.jsonl").read_text(encoding="utf-8").splitlines()
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
    return texts[:count]


def rates(fns: list, texts: list[str], rounds: int) -> list[float]:
    """Best texts per second of each function; rounds interleave so background load hits both alike."""
    best = [0.0] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            started = time.perf_counter()
            for text in texts:
                fn(text)
            best[i] = max(best[i], len(texts) / (time.perf_counter() - started))
    return best


def main() -> None:
    """Warm up, time both, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = build_texts(args.data, args.texts)
    plain = SentimentIntensityAnalyzer()
    warm_up()
    for text in texts[:50]:
        analyze(text, rating=5)
    lengths = sorted(len(t) for t in texts)
    print(f"{len(texts)} texts, {lengths[0]}–{lengths[-1]} characters (median {lengths[len(lengths) // 2]})")
    raw, full = rates([plain.polarity_scores, lambda t: analyze(t, rating=5)], texts, args.rounds)
    print(f"raw VADER polarity_scores: {raw:8.0f} texts/s")
    print(f"full analysis:             {full:8.0f} texts/s")
    print(f"ratio full / raw:          {full / raw:8.2f}  (target ≥ 0.5)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak RSS:                  {peak:8.1f} MB  (target ≤ 300)")


if __name__ == "__main__":
    main()
