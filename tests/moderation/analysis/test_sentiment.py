"""Sentiment: compound is plain VADER, the label reads the domain."""
from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from moderation.analysis import analyze, vader

# Short made-up sentences, one mechanism each; realistic texts live in bench/data (the regression set).
POSITIVE = [
    # the injury story's negative words say nothing about the care
    "I was in agony and could not sleep for months. Now I sleep fine, thanks to Lee.",
    "You won\u2019t be disappointed with this clinic.",
    # a failure or attitude word under a negation is praise
    "Never once did a session start late.",
    "No one there was ever rude to me.",
    # an outcome claim is a result VADER reads as neutral
    "The neck work cut my headaches in half.",
    # a logistics gripe after praise of the care is a gripe
    "Wonderful therapists, but the parking is awful.",
    # a "never" ending one sentence must not negate the next
    "I thought I would never dance again. Danced happily all night at the wedding!",
]
NEGATIVE = [
    "They cancelled my visit again.",  # a service failure with repetition
    "Sat in the lobby 45 minutes before anyone came.",  # a wait with its duration
    "No one ever called me back about the referral.",  # nobody doing a care act
    "The therapist didn't even listen to what hurt.",  # the practice not doing one
    "The man at the desk was condescending.",  # a staff attitude word
    "They kept pushing a prepaid package on me.",  # sales pressure
    "Six weeks in and my hip is no better.",  # the result that did not come
    "I felt like just another number.",  # depersonalisation
    "After two visits I went elsewhere.",  # leaving the practice
    "They said the visit was covered, then billed me anyway.",  # a broken promise
    "The room was nice but nobody listened to me.",  # the complaint after the contrast is the point
    "My knee still hurts after eight weeks of this.",  # an ongoing symptom is not a story
    "Horrible.",
]


@pytest.mark.parametrize("text", POSITIVE)
def test_it_reads_an_injury_story_with_a_glowing_verdict_as_positive(text: str) -> None:
    assert analyze(text).sentiment.label == "positive"


@pytest.mark.parametrize("text", NEGATIVE)
def test_it_catches_the_genuinely_unhappy_patient(text: str) -> None:
    assert analyze(text).sentiment.label == "negative"


def test_it_reads_a_curly_apostrophe_like_a_straight_one() -> None:
    curly = analyze("You won\u2019t be disappointed").sentiment
    straight = SentimentIntensityAnalyzer().polarity_scores("You won't be disappointed")
    assert curly.compound == straight["compound"] > 0


@pytest.mark.parametrize("text", [
    "GREAT PT!!! Highly recommend :) \U0001F4AA",
    "The staff were kind but the parking is terrible, though my knee is better.",
    "Not bad at all. But the wait was long!!",
    "I hated it. I HATED IT. It was the worst, but the front desk was nice?",
])
def test_its_compound_is_exactly_vader_on_the_text(text: str) -> None:
    expected = SentimentIntensityAnalyzer().polarity_scores(text)
    got = analyze(text).sentiment
    assert (got.compound, got.pos, got.neu, got.neg) == (
        expected["compound"], expected["pos"], expected["neu"], expected["neg"])


def test_it_never_lets_the_rating_change_the_label() -> None:
    text = "Best PT I've ever had. Period."
    assert analyze(text, rating=1).sentiment.label == analyze(text, rating=5).sentiment.label == "positive"


def test_it_returns_per_sentence_scores_with_spans_and_roles() -> None:
    text = "The first weeks were brutal and I was in constant pain. Priya was wonderful."
    sentences = analyze(text).sentences
    assert [text[s.start:s.end] for s in sentences] == [
        "The first weeks were brutal and I was in constant pain.", "Priya was wonderful."]
    assert sentences[0].role == "story" and sentences[0].compound < 0


def test_it_labels_spam_neutral() -> None:
    text = "Made $3,000 last week with this crypto trading bot, join now at coinrocket-profits.io"
    assert analyze(text).sentiment.label == "neutral"


@pytest.mark.parametrize("text, label", [
    ("Muy buena atención, el fisioterapeuta fue muy amable. Lo recomiendo a todos.", "positive"),
    ("Pésimo servicio, esperé una hora y nadie me atendió. No recomiendo esta clínica.", "negative"),
])
def test_it_labels_other_languages_from_small_cue_lists(text: str, label: str) -> None:
    assert analyze(text).sentiment.label == label


def test_the_analyzer_is_built_once_per_process() -> None:
    assert vader.analyzer() is vader.analyzer()
