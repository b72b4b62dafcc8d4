"""profanity: strong words, masked or leetspeak, and none of the medical look-alikes."""
from __future__ import annotations

import pytest

from moderation.analysis import analyze
from moderation.analysis.profanity import profanity_flags


@pytest.mark.parametrize("text, word", [
    ("These people are fucking wizards.", "fucking"),
    ("What the f*ck.", "f*ck"),
    ("Absolute bullsh1t.", "bullsh1t"),
    ("He was a total a**hole about it", "a**hole"),
    ("hurt like a b!tch at first", "b!tch"),
    ("this is $hit service", "$hit"),
    ("f***ing unbelievable", "f***ing"),
    ("s.h.i.t, I wish I had come sooner", "s.h.i.t"),
    ("f-u-c-k this place", "f-u-c-k"),
])
def test_it_flags_strong_swear_words_however_spelled(text: str, word: str) -> None:
    assert [text[f.start:f.end] for f in profanity_flags(text)] == [word]


@pytest.mark.parametrize("text", [
    "I live in Middlesex county.",
    "My cousin lives in Sussex.",
    "The initial assessment was thorough.",
    "After the screw fixation of my ankle I could barely walk.",
    "Treated for an anal fissure and pelvic floor issues.",
    "The first week was hell, damn it was hard, and the food was crap.",
    "Badminton, shuttlecock flying everywhere. Visiting from Scunthorpe. Dana Hancock is great.",
])
def test_it_does_not_flag_medical_words_places_or_mild_words(text: str) -> None:
    assert profanity_flags(text) == []


def test_it_does_not_flag_middlesex_as_profanity() -> None:
    assert "profanity" not in [f.code for f in analyze("The Middlesex clinic was great!").flags]
