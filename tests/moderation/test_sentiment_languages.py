"""What is stored and shown about the sentiment of a testimonial that is not in English (issue 11): a
Spanish one keeps the Spanish scorer's numbers, one in a language the practice does not accept is shown as
"not scored" with the reason, never with an English number."""
from __future__ import annotations

import re

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from moderation import services
from moderation.analysis import spanish
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/reviews/testimonial/"
SPANISH = "La terapeuta fue muy amable y paciente. Ya no tengo dolor en la rodilla, mil gracias."
FRENCH = "La kinésithérapeute était très gentille et la salle toujours propre, je la recommande à mes voisins."


def analysed(body: str) -> Testimonial:
    testimonial = TestimonialFactory(body=body)
    services.testimonial_analyze(testimonial=Testimonial.objects.select_related("location").get(pk=testimonial.pk))
    return Testimonial.objects.select_related("analysis").get(pk=testimonial.pk)


def test_a_spanish_testimonial_stores_the_spanish_scores_not_english_vaders():
    # when a Spanish testimonial is analysed and stored
    analysis = analysed(SPANISH).analysis
    # then the stored numbers are the Spanish scorer's, per sentence too, and not English VADER's
    ours, english = spanish.polarity_scores(SPANISH), SentimentIntensityAnalyzer().polarity_scores(SPANISH)
    assert analysis.language == "es" and analysis.label == "positive"
    assert (analysis.compound, analysis.pos, analysis.neu, analysis.neg) == (
        ours["compound"], ours["pos"], ours["neu"], ours["neg"])
    assert analysis.compound != english["compound"]
    assert [s["compound"] for s in analysis.sentences] == [
        spanish.polarity_scores(SPANISH[s["start"]:s["end"]])["compound"] for s in analysis.sentences]


def test_the_queue_names_the_spanish_scale_and_says_not_scored_for_other_languages(admin_client):
    # given an analysed Spanish testimonial and an analysed French one
    spanish_row, french_row = analysed(SPANISH), analysed(FRENCH)
    # when the queue is shown
    page = admin_client.get(CHANGELIST).content.decode()
    # then the Spanish row shows its number on the Spanish scale, the French row no number but "not scored"
    assert f"VADER-es {spanish_row.analysis.compound:+.2f}" in page
    assert french_row.analysis.compound == 0.0 and "VADER +0.00" not in page
    assert page.count('class="badge sentiment-not-scored"') == 1


def test_the_change_page_says_why_a_text_was_not_scored(admin_client):
    # given an analysed French testimonial
    testimonial = analysed(FRENCH)
    # when its page is opened
    page = admin_client.get(f"{CHANGELIST}{testimonial.pk}/change/").content.decode()
    # then the sentiment section gives the reason instead of a number
    assert "Sentiment not scored: the text looks like French" in page
    assert 'class="sentiment-note not-scored-note"' in page
    section = page[page.index("<h3>Sentiment</h3>"):page.index("<h3>Outcome claims</h3>")]
    assert re.search(r"VADER(-es)? [+−-]\d", section) is None
