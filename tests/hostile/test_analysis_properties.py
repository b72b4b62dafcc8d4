"""hypothesis over the analysis as the worker runs it (`moderation.analysis.analyze` with the practice's
context and the author's names): whatever the text — any Unicode, control characters, NUL, markup, case
changes that grow a string (İ, ß, ﬁ), long pastes — no exception, every span inside the text, only
contract values, JSON-serialisable, and the same result every time it is asked."""
from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest
from django.core.management import call_command
from hypothesis import example, given
from hypothesis import strategies as st

from moderation.analysis import analyze
from moderation.analysis_store import practice_context

FLAG_CODES = {"pii_email", "pii_phone", "pii_name", "link", "profanity", "negative_sentiment", "rating_mismatch",
              "too_short", "shouting", "non_english", "duplicate", "spam"}

# Pieces a hostile or careless text is made of: real testimonial words (so the detectors fire), people and
# places of the demo practice, contact details, markup, and characters that break naive text handling.
WORDS = st.sampled_from([
    "Bri", "Brianna Kowalski", "Kayla", "Dayton", "Edison", "knee", "foot drop", "pain-free after two visits",
    "I was cringing from pain", "never need surgery", "shit", "f*ck", "sh!t", "call 732-555-0142",
    "nine oh eight five five five", "jo@example.com", "jo at example dot com", "https://spam.example/x",
    "BUY NOW", "50% off", "great", "terrible", "not bad", "won’t", "¡Excelente!", "muy bien", "Zimmerman",
    "<script>alert(1)</script>", "{{ x }}", "{% load x %}", "&amp;", "\x00", "\u202e", "\u200b", "\ufeff",
    "İ", "ß", "ﬁ", "ǅ", "ΐ", "🏃‍♀️", "👍🏽", "e\u0301", "\r\n", "\t", "  ", ".", "!!!", "?", "'", '"', "—",
])
ANY_CHAR = st.characters(blacklist_categories=("Cs",))  # no lone surrogates: text arrives decoded from UTF-8
TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=300),
    st.lists(st.one_of(WORDS, st.text(ANY_CHAR, max_size=12)), max_size=60).map(" ".join),
    st.lists(st.one_of(WORDS, st.text(ANY_CHAR, max_size=12)), max_size=60).map("".join),
    st.tuples(st.lists(WORDS, min_size=1, max_size=8).map(" ".join), st.integers(1, 120)).map(lambda p: p[0] * p[1]),
)
NAMES = st.one_of(st.sampled_from(["", "Dana", "Zimmerman", "O'Brien", "Kowalski", "İlkay", "ß"]),
                  st.text(ANY_CHAR, max_size=20))


@pytest.fixture
def worker_context(db):
    """The practice's context as the worker builds it from the demo data."""
    call_command("seed_demo", verbosity=0)
    return practice_context(fresh=True)


def _inside(start, end, text: str) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)


@given(text=TEXTS, rating=st.one_of(st.none(), st.integers(1, 5)), first=NAMES, last=NAMES,
       location=st.sampled_from([None, "dayton", "edison", "no-such-clinic"]))
@example(text="İİİİ Bri Kowalski jo@example.com", rating=5, first="İlkay", last="Kowalski", location="dayton")
@example(text="\x00" * 50, rating=1, first="", last="", location=None)
@example(text="", rating=None, first="", last="", location=None)
def test_the_analysis_never_fails_keeps_spans_inside_and_is_deterministic(worker_context, text, rating, first,
                                                                            last, location):
    context = replace(worker_context, location_slug=location, author_first_name=first, author_last_name=last)
    result = analyze(text, rating=rating, context=context)

    for flag in result.flags:
        assert flag.code in FLAG_CODES and flag.severity in ("low", "medium", "high") and flag.message
        assert (flag.start is None and flag.end is None) or _inside(flag.start, flag.end, text), (flag, len(text))
    for sentence in result.sentences:
        assert _inside(sentence.start, sentence.end, text), (sentence, len(text))
    for claim in result.outcome_claims:
        assert _inside(claim.start, claim.end, text) and claim.text, (claim, len(text))
    sentiment = result.sentiment
    assert sentiment.label in ("positive", "neutral", "negative")
    assert all(math.isfinite(v) for v in (sentiment.compound, sentiment.pos, sentiment.neu, sentiment.neg))
    assert -1 <= sentiment.compound <= 1
    assert set(result.therapists_mentioned) <= {t.slug for t in context.therapists}
    assert isinstance(result.language, str) and result.language
    json.dumps(result.to_dict(), allow_nan=False)  # stored in JSON columns, printed by `analyze`

    # the same answer again, also after other texts went through the same process (no state leaks)
    analyze("Kayla was great but the parking at Dayton is terrible!", rating=2, context=worker_context)
    assert analyze(text, rating=rating, context=context) == result
