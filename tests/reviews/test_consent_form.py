"""The authorization on the form names the condition typed and the revocation contact, and the text
stored is exactly the text shown (issue 7, items 1 and 10)."""
from __future__ import annotations

import re
from html import unescape

import pytest

from reviews.models import Testimonial

pytestmark = pytest.mark.django_db


def shown_text(page: str) -> str:
    block = re.search(r'<div class="consent-text" id="consent_text"[^>]*>(.*?)</div>', page, re.S).group(1)
    return unescape(re.sub(r"<[^>]+>", "", block)).strip()


def test_the_form_shows_the_revocation_contact(client, settings):
    settings.PRIVACY_CONTACT = "Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854"
    page = client.get("/testimonials/new/").content.decode()
    assert "by writing to Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854;" in shown_text(page)
    assert "To revoke it in writing: Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854." in page


def test_the_stored_authorization_is_exactly_the_text_shown_with_the_condition(client, valid_post):
    # given the form shown again (a typo in the email) after the patient typed their condition
    page = client.post("/testimonials/new/", valid_post(condition="  foot   drop ", email="nope",
                                                         consent_condition="foot drop")).content.decode()
    shown = shown_text(page)
    assert "what I was treated for, as I typed it: \u201cfoot drop\u201d" in shown
    # when they correct it and send
    response = client.post("/testimonials/new/", valid_post(condition="foot drop", consent_condition="foot drop"))
    # then the text stored is the very text they were shown
    assert response.status_code == 302
    assert Testimonial.objects.get().consent_text == shown


def test_a_condition_the_text_on_screen_did_not_name_is_not_accepted(client, valid_post):
    # given a patient whose screen showed the authorization without a condition (no script ran)
    response = client.post("/testimonials/new/", valid_post(condition="knee replacement", consent_condition=""))
    # then nothing is stored; they are asked to read the updated text, which now names it, and tick again
    page = response.content.decode()
    assert not Testimonial.objects.exists()
    assert "now names what you were treated for" in page
    assert "\u201cknee replacement\u201d" in shown_text(page)
    assert re.search(r'<input type="checkbox" name="consent"[^>]*checked', page) is None
    # and sending again from that page succeeds
    assert client.post("/testimonials/new/", valid_post(condition="knee replacement",
                                                        consent_condition="knee replacement")).status_code == 302
    assert "\u201cknee replacement\u201d" in Testimonial.objects.get().consent_text


@pytest.mark.parametrize("version, shown", [(1, ""), (0, ""), (2, "foot drop")])
def test_the_api_publishes_the_condition_only_under_an_authorization_that_names_it(client, version, shown):
    from django.utils import timezone

    from tests.factories import TestimonialFactory

    # given published testimonials under version 1 (which never named the condition), an import, and version 2
    testimonial = TestimonialFactory(condition="foot drop", consent_version=version,
                                     consent_text="Authorization on file with the practice.")
    Testimonial.objects.filter(pk=testimonial.pk).update(status="approved", published_at=timezone.now())
    # then the condition is public only where the patient authorised it
    assert client.get(f"/api/v1/testimonials/{testimonial.pk}/").json()["condition"] == shown
    assert client.get("/api/v1/testimonials/").json()["results"][0]["condition"] == shown
