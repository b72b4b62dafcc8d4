"""Sentiment: VADER's whole-text scores, and the service's own label built sentence by sentence.

Glowing physical-therapy testimonials tell the injury story ("I was in agony") before the verdict
on the care, and unhappy ones often complain in words VADER scores as neutral ("Waited 40
minutes"). So the label reads each sentence: the negative words of the injury story count for
little, domain cues for complaints and outcomes are added, and the verdict sentences weigh most.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import vader
from ._data import load_json
from .results import SentenceScore, Sentiment
from .text import ascii_quotes, sentence_spans

# Thresholds on the weighted sentence mean; VADER's own ±0.05 is too eager for long texts.
POSITIVE_AT = 0.1
NEGATIVE_AT = -0.1
STORY_DISCOUNT = 0.2  # share of an injury-story sentence's negativity that still counts
ROLE_WEIGHT = {"complaint": 1.3, "verdict": 1.0, "other": 0.7, "story": 0.5}
_WORD = re.compile(r"[\w']+")
_NO_SPACE_SCRIPTS = frozenset({"ko", "zh", "ja"})


@dataclass(frozen=True)
class _Cues:
    """The compiled domain vocabulary."""

    complaint: tuple[tuple[re.Pattern[str], float], ...]
    praise: tuple[tuple[re.Pattern[str], float], ...]
    story_markers: re.Pattern[str]
    symptoms: frozenset[str]
    care_targets: re.Pattern[str]
    ongoing: re.Pattern[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    """Compile sentiment_domain.json once."""
    raw = load_json("sentiment_domain.json")
    flags = re.IGNORECASE
    return _Cues(
        complaint=tuple((re.compile(p, flags), w) for p, w in raw["complaint"]),
        praise=tuple((re.compile(p, flags), w) for p, w in raw["praise"]),
        story_markers=re.compile(raw["story_markers"], flags),
        symptoms=frozenset(raw["symptoms"]),
        care_targets=re.compile(raw["care_targets"], flags),
        ongoing=re.compile(raw["ongoing"], flags),
    )


def _clamp(x: float) -> float:
    """Keep a score within VADER's −1…1."""
    return max(-1.0, min(1.0, x))


def _sentence(text: str, compound: float) -> tuple[str, float]:
    """The role of one sentence and its domain-adjusted score."""
    cues = _cues()
    complaint = sum(w for p, w in cues.complaint if p.search(text))
    praise = sum(w for p, w in cues.praise if p.search(text))
    if complaint < 0:
        role = "complaint"
    elif (compound < 0 and not cues.care_targets.search(text) and not cues.ongoing.search(text)
          and cues.story_markers.search(text)
          and not cues.symptoms.isdisjoint(_WORD.findall(text.lower()))):
        role = "story"
    elif praise > 0 or cues.care_targets.search(text):
        role = "verdict"
    else:
        role = "other"
    base = compound * STORY_DISCOUNT if role == "story" else compound
    return role, round(_clamp(base + complaint + praise), 4)


def _label(score: float) -> str:
    """positive / neutral / negative from a score."""
    if score >= POSITIVE_AT:
        return "positive"
    if score <= NEGATIVE_AT:
        return "negative"
    return "neutral"


def _sentence_label(score: float) -> str:
    """A single sentence's label, with VADER's customary ±0.05."""
    return "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"


@lru_cache(maxsize=None)
def _foreign_cues(language: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """Negative and positive cue patterns for a language other than English."""
    lists = load_json("sentiment_multilingual.json").get(language)
    if not lists:
        return None

    def compile_(phrases: list[str]) -> re.Pattern[str]:
        alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        if language in _NO_SPACE_SCRIPTS:
            return re.compile(alternation)
        return re.compile(r"(?<!\w)(?:" + alternation + r")(?!\w)", re.IGNORECASE)

    return compile_(lists["negative"]), compile_(lists["positive"])


def _foreign_label(text: str, language: str) -> str:
    """Label of a non-English text from small per-language cue lists."""
    cues = _foreign_cues(language)
    if cues is None:
        return "neutral"
    negative, positive = cues
    lowered = text.lower()
    neg = len(negative.findall(lowered))
    pos = len(positive.findall(negative.sub(" ", lowered)))
    return "positive" if pos > neg else "negative" if neg > pos else "neutral"


def analyze_sentiment(text: str, *, language: str = "en", is_spam: bool = False,
                      ) -> tuple[Sentiment, tuple[SentenceScore, ...]]:
    """VADER scores of the whole text (quotes made ASCII) and the domain label with per-sentence scores."""
    plain = ascii_quotes(text)
    vpass = vader.run(plain)
    sentences: list[SentenceScore] = []
    total = weight = 0.0
    token = 0
    spans = sentence_spans(plain)
    for n, (start, end) in enumerate(spans):
        while token < len(vpass.spans) and vpass.spans[token][0] < start:
            token += 1
        first = token
        while token < len(vpass.spans) and vpass.spans[token][0] < end:
            token += 1
        compound = vader.score_slice(vpass, plain, first, token, start, end)
        role, score = _sentence(plain[start:end], compound)
        sentences.append(SentenceScore(start=start, end=end, compound=compound,
                                       label=_sentence_label(score), role=role, score=score))
        # The closing sentence is usually the verdict on the care.
        w = ROLE_WEIGHT[role] * (1.25 if n == len(spans) - 1 and n > 0 else 1.0)
        total += w * score
        weight += w
    if is_spam:
        label = "neutral"  # an advertisement says nothing about the care
    elif language != "en":
        label = _foreign_label(plain, language)
    else:
        label = _label(total / weight if weight else 0.0)
    s = vpass.scores
    sentiment = Sentiment(compound=s["compound"], pos=s["pos"], neu=s["neu"], neg=s["neg"], label=label)
    return sentiment, tuple(sentences)
