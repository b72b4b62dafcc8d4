"""moderation/analysis/vader.py overrides private helpers of vaderSentiment 3.3.2 for speed; this pins
it to the library: on the paper's four corpora its scores equal polarity_scores exactly."""
from __future__ import annotations

from pathlib import Path

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from moderation.analysis import vader

ROOT = Path(__file__).resolve().parents[3]
CANDIDATES = (ROOT.parent / "shared" / "data" / "vader", ROOT.parent.parent / "shared" / "data" / "vader")
CORPORA = ("tweets_GroundTruth.txt", "movieReviewSnippets_GroundTruth.txt",
           "amazonReviewSnippets_GroundTruth.txt", "nytEditorialSnippets_GroundTruth.txt")


def corpus_texts(name: str, every: int) -> list[str]:
    folder = next((c for c in CANDIDATES if (c / name).exists()), None)
    if folder is None:
        pytest.skip("VADER's corpora (../shared/data/vader) are not on this machine")
    lines = (folder / name).read_text(encoding="utf-8", errors="replace").splitlines()
    return [parts[2] for parts in (line.split("\t") for line in lines[::every]) if len(parts) >= 3]


@pytest.mark.parametrize("name", CORPORA)
def test_its_scores_equal_the_librarys_on_the_papers_corpora(name: str) -> None:
    # given every fifth text of the corpus, and the library as published
    library = SentimentIntensityAnalyzer()
    texts = corpus_texts(name, every=5)
    # when both score them
    differing = [t for t in texts if vader.polarity_scores(t) != library.polarity_scores(t)]
    # then every score is identical
    assert len(texts) > 500 and differing == []


def test_its_scores_equal_the_librarys_on_long_texts_joined_from_the_corpora() -> None:
    # long texts are where the overrides (no re-lowering per word) matter
    library = SentimentIntensityAnalyzer()
    texts = corpus_texts("amazonReviewSnippets_GroundTruth.txt", every=1)
    joined = [" ".join(texts[i:i + 12]) for i in range(0, 1200, 12)]
    assert [vader.polarity_scores(t) for t in joined] == [library.polarity_scores(t) for t in joined]


@pytest.mark.parametrize(("words", "valences"), [
    (["good", "but", "bad"], [1.9, 0, -2.5]),
    (["ok", "ok", "but", "ok"], [0.9, 0.9, 0, 0.9]),  # equal valences: the library rescales the first each turn
    (["fine", "but", "fine", "fine"], [1.5, 0, 0.75, 0.75]),  # a rescaled valence equal to a later one
    (["BUT", "nice", "x", "nice"], [0, 1.8, 0, 1.8]),
    (["nothing", "here"], [0, 0]),
])
def test_its_but_rule_equals_the_librarys(words: list[str], valences: list[float]) -> None:
    # given a word list with "but" somewhere (or nowhere) and its valences
    library = SentimentIntensityAnalyzer._but_check(list(words), list(valences))
    # when our "but" rule, which skips the zeros, rescales them
    ours = vader.analyzer()._but_check(list(words), list(valences))
    # then it gives the library's valences
    assert ours == library


def test_negation_flags_mark_the_words_vader_reads_as_negations() -> None:
    # given lower-cased words with negations spelled both ways
    lows = ["i", "never", "felt", "rushed", "and", "they", "didn't", "cancel", "nor", "isnt"]
    # when they are flagged
    flags = vader.negation_flags(lows)
    # then exactly the words vader.negated() holds for are 1
    assert list(flags) == [int(vader.negated(w)) for w in lows] == [0, 1, 0, 0, 0, 0, 1, 0, 1, 1]
