"""The withdrawal link from the confirmation email, in English and Spanish."""
from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from moderation.tokens import withdrawal_token
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

from .conftest import screenshot_path

pytestmark = [pytest.mark.browser]


@pytest.fixture
def published(clinics):
    return TestimonialFactory(location=clinics["dayton"], status=Testimonial.Status.APPROVED,
                              published_at=timezone.now(), body="Brianna got me back on my feet after my fall.")


def test_a_patient_withdraws_a_published_testimonial_with_the_link(live_server, phone, published):
    page, _ = phone
    link = f"{live_server.url}/testimonials/withdraw/{withdrawal_token(testimonial_id=published.pk)}/"
    # when the patient opens the link from the email
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Withdraw your authorization")
    expect(page.locator("blockquote")).to_have_text("Brianna got me back on my feet after my fall.")
    expect(page.locator("main")).to_contain_text("Your testimonial about Dayton, sent on")
    page.screenshot(path=screenshot_path("withdraw-confirm-phone.png"), full_page=True)
    # and confirms
    with page.expect_navigation():
        page.get_by_role("button", name="Withdraw my testimonial").tap()
    # then it is withdrawn at once
    expect(page.locator("h1")).to_have_text("Your authorization has been withdrawn")
    published.refresh_from_db()
    assert published.status == "withdrawn"
    page.screenshot(path=screenshot_path("withdraw-done-phone.png"), full_page=True)
    # and opening the link again says so, without a button
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Your authorization has been withdrawn")
    expect(page.get_by_role("button")).to_have_count(0)


def test_the_spanish_withdrawal_page_is_spanish(live_server, phone, published):
    page, _ = phone
    page.goto(f"{live_server.url}/es/testimonials/withdraw/{withdrawal_token(testimonial_id=published.pk)}/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text("Retirar su autorización")
    expect(page.locator("main")).to_contain_text("Su testimonio sobre Dayton, enviado el")
    with page.expect_navigation():
        page.get_by_role("button", name="Retirar mi testimonio").tap()
    expect(page.locator("h1")).to_have_text("Su autorización fue retirada")
    published.refresh_from_db()
    assert published.status == "withdrawn"


def test_a_tampered_link_explains_what_to_do(live_server, phone, published):
    page, _ = phone
    token = withdrawal_token(testimonial_id=published.pk)
    response = page.goto(f"{live_server.url}/testimonials/withdraw/{token[:-2]}xx/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("This link is not valid")
    published.refresh_from_db()
    assert published.status == "approved"


def test_the_link_in_the_spanish_confirmation_email_withdraws_the_testimonial(live_server, phone, clinics, mailoutbox):
    from urllib.parse import urlsplit

    from moderation.notifications import confirmation_send
    from reviews.consent import consent_text

    # given a Spanish-speaking patient's published testimonial and the email they were sent
    testimonial = TestimonialFactory(location=clinics["edison"], status=Testimonial.Status.APPROVED,
                                     published_at=timezone.now(), first_name="Lucía", locale="es",
                                     consent_text=consent_text(language="es"))
    assert confirmation_send(testimonial=testimonial)
    (message,) = mailoutbox
    assert message.subject == "Gracias por su testimonio sobre Edison"
    assert message.body.startswith("Hola, Lucía:")
    assert "Puede retirar su autorización en cualquier momento" in message.body
    assert "Lo que usted autorizó" in message.body  # a summary: no text typed into the form is mailed
    link = re.search(r"https?://\S+/testimonials/withdraw/\S+/", message.body).group(0)
    # when they open the link (on this test server), where the full text they accepted is kept, and withdraw
    page, _ = phone
    page.goto(live_server.url + urlsplit(link).path)
    assert "Autorizo a Twin Boro Physical Therapy" in page.locator("#consent_text").text_content()
    with page.expect_navigation():
        page.locator("button.submit").tap()
    # then the testimonial is withdrawn
    testimonial.refresh_from_db()
    assert testimonial.status == "withdrawn"
