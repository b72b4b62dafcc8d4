"""pii_email, pii_phone and link."""
from __future__ import annotations

import pytest

from moderation.analysis import analyze


def codes(text: str) -> list[str]:
    return [f.code for f in analyze(text).flags]


def spans(text: str, code: str) -> list[str]:
    return [text[f.start:f.end] for f in analyze(text).flags if f.code == code]


@pytest.mark.parametrize("text, found", [
    ("Write me at jane.doe@example.com please", "jane.doe@example.com"),
    ("my email is dave dot russo at example dot com if you want", "dave dot russo at example dot com"),
    ("reach me: kim(at)example(dot)org", "kim(at)example(dot)org"),
])
def test_it_flags_email_addresses(text: str, found: str) -> None:
    assert spans(text, "pii_email") == [found]


def test_it_does_not_call_an_email_a_link() -> None:
    assert "link" not in codes("Contact reviewboost.agency@example.com for details")


@pytest.mark.parametrize("text, found", [
    ("Call me at 908-555-0199 anytime", "908-555-0199"),
    ("Reach me anytime: +1 848 555 0102.", "+1 848 555 0102"),
    ("text 908.555.0173 if interested", "908.555.0173"),
    ("My cell is (732) 555-0119.", "(732) 555-0119"),
])
def test_it_flags_phone_numbers(text: str, found: str) -> None:
    assert spans(text, "pii_phone") == [found]


@pytest.mark.parametrize("text", [
    "Started on 03/14/2024 and was discharged on 09/20/2024.",
    "Got a $1,200 bill and a $640 bill.",
    "We live in 08817, near 08854.",
    "Went 3x a week for 6 weeks. 10/10 experience.",
    "They denied claim #4455667788 twice before paying it.",
    "My policy no. 9085550199 was on file the whole time.",
    "Fit me in at 6:30 in the morning, headaches by 2pm.",
    "The insurance claim (ref 2024-118-4476) went through.",
])
def test_it_does_not_mistake_dates_amounts_zips_or_scores_for_phones(text: str) -> None:
    assert "pii_phone" not in codes(text)


@pytest.mark.parametrize("text, found", [
    ("Join now at quantacoin-profits.io and get rich", "quantacoin-profits.io"),
    ("check out https://essayguru-fast.net — fast delivery!", "https://essayguru-fast.net"),
    ("It's all at mykneecomeback.blog if anyone is facing surgery.", "mykneecomeback.blog"),
    ("see www.example.com/page).", "www.example.com/page"),
])
def test_it_flags_urls_and_bare_domains(text: str, found: str) -> None:
    assert spans(text, "link") == [found]


@pytest.mark.parametrize("text", [
    "Great clinic.It was worth it, e.g. Dr.Patel and St. Peter's.",
    "Ran 2.5 miles today at 5 a.m. with no pain.",
])
def test_it_does_not_flag_missing_spaces_or_abbreviations_as_links(text: str) -> None:
    assert "link" not in codes(text)
