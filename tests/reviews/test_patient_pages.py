"""The pages around the form: thanks (what happens next, the way back) and the withdrawal link."""
from __future__ import annotations

import html

import pytest

from moderation.tokens import withdrawal_token
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.django_db


def test_the_thanks_page_links_back_to_the_practice_and_says_what_happens_next(client, settings):
    settings.SITE_HOME_URL = "https://www.example.org/"
    page = html.unescape(client.get("/testimonials/thanks/").content.decode())
    assert '<a class="home" href="https://www.example.org/">Back to Twin Boro Physical Therapy</a>' in page
    assert "Our team reads every testimonial before it is published" in page
    assert "When yours is published on our website, we will send you a short email." in page


def test_the_spanish_thanks_page_says_the_same_in_spanish(client, settings):
    settings.SITE_HOME_URL = "https://www.example.org/"
    page = html.unescape(client.get("/es/testimonials/thanks/").content.decode())
    assert '<a class="home" href="https://www.example.org/">Volver a Twin Boro Physical Therapy</a>' in page
    assert "Cuando se publique en nuestro sitio web, le enviaremos un breve correo electrónico." in page


def test_without_a_home_url_the_thanks_page_has_no_dead_link(client, settings):
    settings.SITE_HOME_URL = ""
    page = client.get("/testimonials/thanks/").content.decode()
    assert 'class="home"' not in page
    assert "short email" in page


def test_the_withdrawal_page_shows_what_the_patient_wrote_not_the_staff_edit(client):
    # given a testimonial whose public text staff shortened
    testimonial = TestimonialFactory(body="Brianna fixed my knee. [removed]",
                                     body_original="Brianna fixed my knee. Call me at 555-0100!")
    # when the patient opens the withdrawal link
    page = html.unescape(client.get(f"/testimonials/withdraw/{withdrawal_token(testimonial_id=testimonial.pk)}/")
                         .content.decode())
    # then they see their own words, and are told the public version was shortened
    assert "Brianna fixed my knee. Call me at 555-0100!" in page
    assert "[removed]" not in page
    assert "Our staff shortened the version shown on our website" in page


def test_the_withdrawal_page_of_an_unedited_testimonial_shows_it_without_the_note(client):
    testimonial = TestimonialFactory(body="Brianna fixed my knee and my mood.")
    page = html.unescape(client.get(f"/es/testimonials/withdraw/{withdrawal_token(testimonial_id=testimonial.pk)}/")
                         .content.decode())
    assert "Brianna fixed my knee and my mood." in page
    assert "Nuestro equipo acortó" not in page and "Our staff shortened" not in page
