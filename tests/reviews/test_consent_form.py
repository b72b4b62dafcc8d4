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


def test_a_condition_the_text_on_screen_did_not_name_is_kept_but_never_published(client, valid_post):
    # given a patient whose screen showed the authorization without a condition (no script ran)
    response = client.post("/testimonials/new/", valid_post(condition="knee replacement", consent_condition=""))
    # then the submission is stored as typed, under the text that was on screen, and the condition stays private
    assert response.status_code == 302
    stored = Testimonial.objects.get()
    assert stored.condition == "knee replacement" and "knee replacement" not in stored.consent_text
    assert stored.public_condition == ""


@pytest.mark.parametrize("named, shown", [("", ""), ("foot drop", "foot drop")])
def test_the_api_publishes_the_condition_only_under_an_authorization_that_names_it(client, valid_post, named, shown):
    from django.utils import timezone

    # given a published testimonial whose authorization on screen named the condition, or did not
    response = client.post("/testimonials/new/", valid_post(condition="foot drop", consent_condition=named))
    assert response.status_code == 302
    testimonial = Testimonial.objects.get()
    Testimonial.objects.filter(pk=testimonial.pk).update(status="approved", published_at=timezone.now())
    # then the condition is public only where the patient authorised it
    assert client.get(f"/api/v1/testimonials/{testimonial.pk}/").json()["condition"] == shown
    assert client.get("/api/v1/testimonials/").json()["results"][0]["condition"] == shown


def test_imports_and_version_1_authorizations_never_publish_the_condition(client):
    from django.utils import timezone

    from tests.factories import TestimonialFactory

    # rows from before: version 1 (whose text never named a condition) and an import (version 0)
    for version in (0, 1):
        TestimonialFactory(condition="foot drop", consent_version=version, consent_text="Authorization on file.")
    Testimonial.objects.update(status="approved", published_at=timezone.now())
    assert [row["condition"] for row in client.get("/api/v1/testimonials/").json()["results"]] == ["", ""]
