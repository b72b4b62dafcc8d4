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
