"""pii_name and therapists_mentioned."""
from __future__ import annotations

import pytest

from moderation.analysis import AnalysisContext, TherapistRef, analyze

THERAPISTS = (
    TherapistRef("brianna-cole", "Brianna", "Cole", location_slugs=("edison",)),
    TherapistRef("christa-lopez", "Christa", "Lopez", location_slugs=("dayton",)),
    TherapistRef("anil-patel", "Anil", "Patel", location_slugs=("dayton", "edison")),
    TherapistRef("mike-rossi", "Michael", "Rossi", nicknames=("Mikey",), location_slugs=("sayreville",)),
    TherapistRef("mike-chen", "Michael", "Chen", location_slugs=("edison",)),
)
CONTEXT = AnalysisContext(therapists=THERAPISTS, staff_names=("Denise Carter",),
                          location_names=("Edison", "Old Bridge"), location_slug="sayreville")


def names(text: str, context: AnalysisContext | None = None) -> list[str]:
    return [text[f.start:f.end] for f in analyze(text, context=context).flags if f.code == "pii_name"]


@pytest.mark.parametrize("text, name", [
    ("Thanks for everything!\nMike Brennan", "Mike Brennan"),
    ("The team was amazing with my husband, Thomas Richardson, after his surgery.", "Thomas Richardson"),
    ("Our daughter Sofia Mendes did her concussion rehab here.", "Sofia Mendes"),
    ("I met Harold Feinberg in the waiting room and we pushed each other.", "Harold Feinberg"),
    ("Great care for my mother-in-law Rosa Delgado. Thank you!", "Rosa Delgado"),
])
def test_it_flags_a_private_persons_full_name_without_context(text: str, name: str) -> None:
    assert names(text) == [name]


@pytest.mark.parametrize("text", [
    "Christa Lopez and Dr. Anil Patel are the dream team.",
    "Went in for rehab after Dr. Alan Whitford repaired my shoulder.",
    "Dana Hancock is a gem.",
    "The billing office (a woman named Denise Carter) was no help.",
    "Thank you to the whole East Brunswick team! - Old Bridge",
])
def test_it_does_not_flag_therapists_staff_professionals_or_places(text: str) -> None:
    assert names(text, CONTEXT) == []


def test_it_flags_the_authors_own_last_name_when_known() -> None:
    context = AnalysisContext(author_first_name="Karen", author_last_name="Walsh")
    assert names("Karen Walsh here, so grateful to the team.", context) == ["Karen Walsh"]


@pytest.mark.parametrize("text, slugs", [
    ("Bri at the Edison clinic was patient with me.", ("brianna-cole",)),
    ("Christa handled my knee and Dr. Patel handled my back.", ("christa-lopez", "anil-patel")),
    ("Dr. Anil Patel explained everything.", ("anil-patel",)),
    ("mike in sayreville figured it out", ("mike-rossi",)),  # two Mikes: the chosen clinic's wins
    ("Thanks Mikey!", ("mike-rossi",)),
    ("My friend Mike Brennan recommended you.", ()),  # a different Mike
])
def test_it_resolves_therapist_mentions(text: str, slugs: tuple[str, ...]) -> None:
    assert analyze(text, context=CONTEXT).therapists_mentioned == slugs


def test_it_leaves_an_ambiguous_first_name_out_when_the_clinic_does_not_settle_it() -> None:
    context = AnalysisContext(therapists=THERAPISTS, location_slug="dayton")
    assert analyze("Mike was great.", context=context).therapists_mentioned == ()


def test_it_does_not_flag_a_therapists_full_name_as_pii() -> None:
    assert names("Thank you Brianna Cole for getting me back on my feet.", CONTEXT) == []
