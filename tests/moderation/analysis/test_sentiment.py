"""Sentiment: compound is plain VADER, the label reads the domain."""
from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from moderation.analysis import analyze
from moderation.analysis import vader

POSITIVE = [
    "I was in agony after my fall and couldn't walk to the mailbox. Six weeks with Dana and I'm back to "
    "hiking on weekends. Cannot recommend this place enough.",
    "The pain in my hip was unbearable and I was terrified of surgery. The team here was patient and kind, "
    "and now I walk my dog every morning. Thank you!",
    "My back had been killing me for years. Honestly I thought nothing would help. Three months later I am "
    "pain free and sleeping through the night.",
    "You won\u2019t be disappointed with this clinic.",
    # "terrible" describing the injury, not the care
    "I was in a car accident and suffered whiplash and terrible headaches. Dr. Mehta and Kevin got me "
    "through it. Pain-free after 8 weeks!",
    "I had excruciating sciatica that radiated down my leg for a year. Nothing helped until I came here. "
    "I'm sleeping through the night for the first time in ages.",
    # words VADER lacks ("phenomenal") and symptom words ("missed" by other clinics) in the verdict
    "Marcus is phenomenal. He figured out in one session what three other places missed.",
    # a "never" ending one sentence must not negate the next
    "Had a lumbar fusion last year and thought I would never golf again. Played 18 holes last weekend!",
    # a complaint cue under a negation is praise
    "Not a single appointment started late in three months.",
    "They didn't rush me out the door like my last place did. Every question got a real answer.",
]
NEGATIVE = [
    "Waited 50 minutes for my appointment and nobody apologized. The therapist barely looked at me. Never again.",
    "They billed me twice for the same session and nobody returns my calls. Stay away.",
    "My shoulder got worse after their treatment and they kept pushing me too hard. I switched to another clinic.",
    "Felt rushed every visit and the aide was on his phone the whole time.",
    "Terrible experience. The front desk was rude and my claims were never filed.",
    "Horrible.",
    "The exercises were fine but nobody seemed to care whether I improved. Sessions felt like a conveyor belt.",
    "The facility is outdated and cramped, and the therapists seem overworked.",
    "My knee still hurts after eight weeks of this.",
    # the practice did not do its job, in words VADER reads as neutral
    "After my first visit I was in more pain than before and no one would explain why.",
    "The therapist didn't remember anything from my last visit and had to start over every time.",
    "They told me my insurance covered it. It didn't, and now I owe $2,000.",
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
