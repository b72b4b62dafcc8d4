"""Measure the analysis on the labelled data: sentiment, every flag, and VADER's paper corpora.

Run from the project root:  .venv/bin/python bench/eval_analysis.py [--data DIR]
No Django and no database: the analysis runs without a practice context, as it must work then too.

`--fresh bench/data/fresh-<date>.jsonl` reads a frozen held-out set (see bench/data/README.md) with the
practice's context from a throw-away seed_demo database and each author's name. Read it only when the
protocol says so: a set you look at while tuning is no longer held out.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from moderation.analysis import analyze  # noqa: E402

LABELS = ("positive", "neutral", "negative")
FLAG_CODES = ("pii_email", "pii_phone", "pii_name", "link", "profanity", "negative_sentiment",
              "rating_mismatch", "too_short", "shouting", "non_english", "duplicate", "spam")
CORPORA = (  # file, the paper's Table 4, vaderSentiment 3.3.2 as published (measured)
    ("tweets_GroundTruth.txt", 0.881, 0.872),
    ("movieReviewSnippets_GroundTruth.txt", 0.451, 0.427),
    ("amazonReviewSnippets_GroundTruth.txt", 0.565, 0.590),
    ("nytEditorialSnippets_GroundTruth.txt", 0.492, 0.503),
)


def baseline_label(compound: float) -> str:
    """Plain VADER's customary reading of its compound score."""
    return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"


def confusion(pairs: list[tuple[str, str]], title: str) -> None:
    """Print a confusion matrix, rows the human label, columns the predicted one."""
    counts = Counter(pairs)
    print(f"\n{title} (rows: human, columns: predicted)")
    print(f"{'':>10}" + "".join(f"{label:>10}" for label in LABELS))
    for human in LABELS:
        print(f"{human:>10}" + "".join(f"{counts[(human, p)]:>10}" for p in LABELS))


def share(num: int, den: int) -> str:
    """num/den as a percentage, or n/a."""
    return f"{100 * num / den:5.1f}% ({num}/{den})" if den else "   n/a"


def evaluate_dev(path: Path) -> None:
    """Sentiment and flag figures on testimonials-dev.jsonl."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    plain = SentimentIntensityAnalyzer()
    ours, base = [], []
    predicted: list[set[str]] = []
    base_flags: list[set[str]] = []
    seen: set[str] = set()
    for row in rows:
        result = analyze(row["text"], rating=row.get("rating"))
        codes = {f.code for f in result.flags}
        if result.fingerprint in seen:
            codes.add("duplicate")
        seen.add(result.fingerprint)
        predicted.append(codes)
        ours.append((row["sentiment"], result.sentiment.label))
        b = baseline_label(plain.polarity_scores(row["text"])["compound"])
        base.append((row["sentiment"], b))
        bf = {"negative_sentiment"} if b == "negative" else set()
        rating = row.get("rating")
        if rating is not None and ((b == "positive" and rating <= 2) or (b == "negative" and rating >= 4)):
            bf.add("rating_mismatch")
        base_flags.append(bf)

    print(f"testimonials-dev.jsonl: {len(rows)} testimonials")
    confusion(ours, "Sentiment label, this analysis")
    confusion(base, "Sentiment label, plain VADER ±0.05")
    print(f"\n{'':<40}{'this analysis':>22}{'plain VADER ±0.05':>24}")
    for title, fn in (
        ("positive labelled negative (≤ 3%)", lambda p: share(sum(h == "positive" and x == "negative" for h, x in p),
                                                               sum(h == "positive" for h, _ in p))),
        ("negative labelled negative (≥ 90%)", lambda p: share(sum(h == "negative" and x == "negative" for h, x in p),
                                                                sum(h == "negative" for h, _ in p))),
        ("accuracy (3 classes)", lambda p: share(sum(h == x for h, x in p), len(p))),
    ):
        print(f"{title:<40}{fn(ours):>22}{fn(base):>24}")

    flag_table(rows, predicted, base_flags)


def flag_table(rows: list[dict], predicted: list[set[str]], base_flags: list[set[str]]) -> None:
    """Per-flag support, TP/FP/FN, precision, recall and false-positive rate (plus VADER's for two)."""
    print(f"\n{'flag':<20}{'support':>8}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>9}"
          f"{'FP rate':>9}   baseline P / R")
    for code in FLAG_CODES:
        truth = [code in row["flags"] for row in rows]
        got = [code in p for p in predicted]
        tp = sum(t and g for t, g in zip(truth, got, strict=True))
        fp = sum(g and not t for t, g in zip(truth, got, strict=True))
        fn = sum(t and not g for t, g in zip(truth, got, strict=True))
        negatives = sum(not t for t in truth)
        precision = f"{tp / (tp + fp):.3f}" if tp + fp else "n/a"
        recall = f"{tp / (tp + fn):.3f}" if tp + fn else "n/a"
        fp_rate = f"{100 * fp / negatives:.1f}%" if negatives else "n/a"
        extra = ""
        if code in ("negative_sentiment", "rating_mismatch"):
            bgot = [code in p for p in base_flags]
            btp = sum(t and g for t, g in zip(truth, bgot, strict=True))
            bfp = sum(g and not t for t, g in zip(truth, bgot, strict=True))
            bp = f"{btp / (btp + bfp):.3f}" if btp + bfp else "n/a"
            br = f"{btp / sum(truth):.3f}" if sum(truth) else "n/a"
            extra = f"   {bp} / {br}"
        print(f"{code:<20}{sum(truth):>8}{tp:>5}{fp:>5}{fn:>5}{precision:>11}{recall:>9}{fp_rate:>9}{extra}")


def sentiment_summary(pairs: list[tuple[str, str]], title: str) -> None:
    """The three headline sentiment figures of one reading."""
    pos = [p for h, p in pairs if h == "positive"]
    neg = [p for h, p in pairs if h == "negative"]
    print(f"{title:<20} positive labelled negative {share(pos.count('negative'), len(pos))} (≤ 3%), "
          f"negatives caught {share(neg.count('negative'), len(neg))} (≥ 90%), "
          f"accuracy {share(sum(h == p for h, p in pairs), len(pairs))}")


def evaluate_fresh(path: Path) -> None:
    """The frozen held-out set, read with the seed practice's context and each author's name."""
    from dataclasses import replace

    sys.path.insert(0, str(ROOT / "bench"))
    from practice import practice_context_from, seeded_var_dir

    context = practice_context_from(seeded_var_dir())
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    plain = SentimentIntensityAnalyzer()
    ours, base, predicted, base_flags = [], [], [], []
    claims_expected = claims_found = claims_spurious = 0
    for row in rows:
        result = analyze(row["text"], rating=row.get("rating"), context=replace(
            context, author_first_name=row["author_first_name"], author_last_name=row["author_last_name"]))
        predicted.append({f.code for f in result.flags})
        ours.append((row["sentiment"], result.sentiment.label))
        b = baseline_label(plain.polarity_scores(row["text"])["compound"])
        base.append((row["sentiment"], b))
        base_flags.append({"negative_sentiment"} if b == "negative" else set())
        spans = [(c.start, c.end) for c in result.outcome_claims]
        for claim in row["outcome_claims"]:
            start = row["text"].index(claim)
            claims_expected += 1
            claims_found += any(s < start + len(claim) and start < e for s, e in spans)
        claims_spurious += bool(spans) and not row["outcome_claims"]
    print(f"\n{path.name}: {len(rows)} held-out testimonials (frozen; see bench/data/README.md)")
    confusion(ours, "Sentiment label, this analysis")
    sentiment_summary(ours, "this analysis")
    sentiment_summary(base, "plain VADER ±0.05")
    flag_table(rows, predicted, base_flags)
    no_claim = sum(not r["outcome_claims"] for r in rows)
    print(f"\noutcome claims found {share(claims_found, claims_expected)} (≥ 80%); "
          f"texts without a claim given one {share(claims_spurious, no_claim)}")
    for kind in sorted({r["kind"] for r in rows}):
        members = [(h, p) for r, (h, p) in zip(rows, ours, strict=True) if r["kind"] == kind]
        print(f"  {kind:<16} sentiment right {share(sum(h == p for h, p in members), len(members))}")


def evaluate_corpora(folder: Path) -> None:
    """Pearson r of compound against the human means of VADER's four corpora."""
    plain = SentimentIntensityAnalyzer()
    print("\nVADER corpora: Pearson r of compound with the human mean rating")
    print(f"{'corpus':<38}{'n':>7}{'this analysis':>15}{'vaderSentiment now':>20}"
          f"{'paper':>8}{'3.3.2 published':>17}{'identical':>11}")
    for name, paper, published in CORPORA:
        human, ours, theirs = [], [], []
        same = 0
        for line in (folder / name).read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            text = parts[2]
            human.append(float(parts[1]))
            c = analyze(text).sentiment.compound
            v = plain.polarity_scores(text)["compound"]
            ours.append(c)
            theirs.append(v)
            same += c == v
        r_ours = statistics.correlation(human, ours)
        r_theirs = statistics.correlation(human, theirs)
        print(f"{name:<38}{len(human):>7}{r_ours:>15.3f}{r_theirs:>20.3f}{paper:>8.3f}{published:>17.3f} "
              f"{f'{same}/{len(human)}':>11}")
    print("('identical': texts whose compound equals vaderSentiment's polarity_scores on the raw text;"
          " the rest differ only by typographic quotes made ASCII)")


def evaluate_probe(path: Path) -> None:
    """Sentiment on bench/data/probe-testimonials.jsonl (a regression set, see its README)."""
    if not path.exists():
        return
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    plain = SentimentIntensityAnalyzer()
    ours = [(r["sentiment"], analyze(r["text"], rating=r.get("rating")).sentiment.label) for r in rows]
    base = [(r["sentiment"], baseline_label(plain.polarity_scores(r["text"])["compound"])) for r in rows]
    print(f"\n{path.name}: {len(rows)} testimonials written apart from the dev set (regression set)")
    confusion(ours, "Sentiment label, this analysis")
    confusion(base, "Sentiment label, plain VADER ±0.05")
    for title, pairs in (("this analysis", ours), ("plain VADER ±0.05", base)):
        pos = [p for h, p in pairs if h == "positive"]
        neg = [p for h, p in pairs if h == "negative"]
        print(f"{title:<20} positive labelled negative {share(pos.count('negative'), len(pos))}, "
              f"negative labelled negative {share(neg.count('negative'), len(neg))}")


def evaluate_spanish(path: Path) -> None:
    """Sentiment on bench/data/spanish-dev.jsonl, and whether the stored numbers are English VADER's."""
    if not path.exists():
        return
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    plain = SentimentIntensityAnalyzer()
    ours, base = [], []
    spanish = english_numbers = 0
    for row in rows:
        result = analyze(row["text"], rating=row.get("rating"))
        ours.append((row["sentiment"], result.sentiment.label))
        vader = plain.polarity_scores(row["text"])
        base.append((row["sentiment"], baseline_label(vader["compound"])))
        spanish += result.language == "es"
        english_numbers += result.sentiment.compound == vader["compound"] and vader["compound"] != 0
    print(f"\n{path.name}: {len(rows)} Spanish testimonials (see bench/data/README.md); "
          f"detected as Spanish {spanish}/{len(rows)}; stored compound equal to English VADER's "
          f"(non-zero) {english_numbers}/{len(rows)}")
    confusion(ours, "Sentiment label, this analysis")
    sentiment_summary(ours, "this analysis")
    sentiment_summary(base, "plain VADER ±0.05")
    for kind in sorted({r["kind"] for r in rows}):
        members = [(h, p) for r, (h, p) in zip(rows, ours, strict=True) if r["kind"] == kind]
        print(f"  {kind:<16} sentiment right {share(sum(h == p for h, p in members), len(members))}")


def main() -> None:
    """Parse arguments and print every figure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data",
                        help="folder with testimonials-dev.jsonl and vader/ (default ../shared/data)")
    parser.add_argument("--fresh", type=Path, help="also read a frozen held-out set (see bench/data/README.md)")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.fresh:
        evaluate_fresh(args.fresh)
        print(f"\n({time.perf_counter() - started:.1f} s)")
        return
    evaluate_dev(args.data / "testimonials-dev.jsonl")
    evaluate_probe(ROOT / "bench" / "data" / "probe-testimonials.jsonl")
    evaluate_spanish(ROOT / "bench" / "data" / "spanish-dev.jsonl")
    evaluate_corpora(args.data / "vader")
    print(f"\n({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
