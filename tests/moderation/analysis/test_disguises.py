"""Issue 11 mechanisms, each illustrated by short made-up sentences: spoken phone numbers, spaced
emails, disguised swearing, outcome claims from word classes, adverts without links, accepted
languages and therapist first names that are ordinary words."""
from __future__ import annotations

import pytest

from moderation.analysis import AnalysisContext, TherapistRef, analyze


def codes(text: str, context: AnalysisContext | None = None) -> set[str]:
    return {f.code for f in analyze(text, context=context).flags}


@pytest.mark.parametrize("text", [
    "Ring me on two oh one, five five five, oh one four four.",
    "My number: 201 five five five 0 1 4 4.",
    "Text 2 0 1 - 5 5 5 - 0 1 4 4 any time.",
    "The desk is double five five oh one two three.",
])
def test_it_flags_phone_numbers_written_in_words_or_spaced_digits(text: str) -> None:
    assert "pii_phone" in codes(text)


@pytest.mark.parametrize("text", [
    "One, two, three sets of ten, then rest.",
    "I went two or three times a week for five weeks.",
    "Oh one more thing: the parking is free.",
    "The drive raised $4,372,283 in one year for two clinics.",
])
def test_it_leaves_counts_in_words_alone(text: str) -> None:
    assert "pii_phone" not in codes(text)


@pytest.mark.parametrize("text", [
    "Write to pat @ example . org for details.",
    "Mail me: pat {at} example {dot} com",
    "pat AT example DOT net works best.",
])
def test_it_flags_disguised_email_addresses(text: str) -> None:
    assert "pii_email" in codes(text)


@pytest.mark.parametrize("text", [
    "What a f u c k up from the office.",
    "Sh'it scheduling every week.",
    "They are f'ing slow to call back.",
    "My @ss hurt from that chair.",
])
def test_it_flags_profanity_split_by_spaces_or_apostrophes(text: str) -> None:
    assert "profanity" in codes(text)


@pytest.mark.parametrize("text", [
    "The assessment covered my glutes and coccyx.",
    "A cock-up splint kept my wrist still.",
    "It's hit or miss with the parking.",
    "Dr. Shittu sent me to the Middlesex office.",
])
def test_it_leaves_clinical_words_and_names_alone(text: str) -> None:
    assert "profanity" not in codes(text)


@pytest.mark.parametrize("text, claim", [
    ("She cured my bad shoulder.", "cured my bad shoulder"),
    ("I won't need the operation now.", "won't need the operation"),
    ("Therapy did better than surgery could.", "better than surgery"),
    ("My ankle is completely healed.", "completely healed"),
    ("Back to full strength at last.", "Back to full strength"),
    ("The tingling has vanished.", "tingling has vanished"),
    ("Quedé sin dolor en la espalda.", "sin dolor"),
])
def test_it_builds_outcome_claims_from_word_classes(text: str, claim: str) -> None:
    assert [c.text for c in analyze(text).outcome_claims] == [claim]


@pytest.mark.parametrize("text", [
    "I did not want surgery, so I tried this first.",
    "They fixed the billing error quickly.",
    "I was fully informed about the costs.",
])
def test_it_does_not_call_ordinary_sentences_outcome_claims(text: str) -> None:
    assert analyze(text).outcome_claims == ()


def test_it_flags_an_advert_without_a_link_as_spam() -> None:
    # given an advert with two offers and a call to action, no web address
    text = "Garden hoses at factory prices with bulk discounts. Call today!"
    # then it is spam
    assert "spam" in codes(text)


def test_it_does_not_call_one_free_consultation_an_advert() -> None:
    assert "spam" not in codes("My first consultation was free and the therapist was kind.")


def test_it_accepts_spanish_but_not_french() -> None:
    spanish = "El equipo es muy amable y la terapia me ayudó mucho con la rodilla."
    french = "L'équipe est très gentille et la thérapie m'a beaucoup aidé pour le genou."
    assert "non_english" not in codes(spanish) and analyze(spanish).language == "es"
    assert "non_english" in codes(french)


CONTEXT = AnalysisContext(therapists=(
    TherapistRef("will-grant", "Will", "Grant"), TherapistRef("justin-dwyer", "Justin", "Dwyer"),
    TherapistRef("carlos-ferreira", "Carlos", "Ferreira"),
))


@pytest.mark.parametrize("text, slugs", [
    ("the remote will not pair and the car charger is just junk", ()),
    ("i will say will grant fixed my neck", ("will-grant",)),
    ("Will was patient with me.", ("will-grant",)),
    ("Just ask for Justin at the desk.", ("justin-dwyer",)),
])
def test_it_reads_ordinary_words_as_words_unless_capitalised(text: str, slugs: tuple[str, ...]) -> None:
    assert analyze(text, context=CONTEXT).therapists_mentioned == slugs


@pytest.mark.parametrize("text, name", [
    ("Tom Varga here \u2014 my wrist works again.", "Tom Varga"),
    ('Great team. Thanks from Robert "Robbie" Lyle', 'Robert "Robbie" Lyle'),
])
def test_it_flags_a_full_name_introduced_or_with_a_quoted_nickname(text: str, name: str) -> None:
    flags = [f for f in analyze(text).flags if f.code == "pii_name"]
    assert [text[f.start:f.end] for f in flags] == [name]


def test_it_flags_the_authors_own_o_name_signed_at_the_end() -> None:
    context = AnalysisContext(author_first_name="Nora", author_last_name="O'Dell")
    text = "Kind people and real progress. Cheers, Nora O'Dell"
    assert "pii_name" in codes(text, context)


def test_it_does_not_flag_a_therapists_full_name_introduced_with_here() -> None:
    context = AnalysisContext(therapists=(TherapistRef("tom-varga", "Tom", "Varga"),))
    assert "pii_name" not in codes("Tom Varga here is the best.", context)
