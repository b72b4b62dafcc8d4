"""The authorization names the condition as the patient types it, and the text stored is the text on the
screen when they ticked the box (issue 7, item 1)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reviews.models import Testimonial

from .conftest import screenshot_path

pytestmark = [pytest.mark.browser]


def test_the_text_on_screen_names_the_condition_typed_and_is_the_text_stored(live_server, phone, clinics, settings):
    settings.PRIVACY_CONTACT = "Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854"
    page, console = phone
    page.goto(f"{live_server.url}/testimonials/new/")
    consent = page.locator("#consent_text")
    expect(consent).not_to_contain_text("treated for")
    expect(consent).to_contain_text("by writing to Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854;")
    # when the patient types what they were treated for, the authorization names it at once
    page.select_option("#id_location", "dayton")
    page.locator("label[for=id_rating_4]").tap()
    page.fill("#id_body", "Six weeks of gait training and I walk my dog around the block again.")
    page.fill("#id_condition", "foot  drop")
    expect(consent).to_contain_text("what I was treated for, as I typed it: \u201cfoot drop\u201d")
    page.fill("#id_first_name", "Dana")
    page.fill("#id_last_name", "Zimmerman")
    page.fill("#id_email", "dana@example.com")
    page.locator("label[for=id_consent]").tap()
    shown = consent.inner_text().strip()
    page.screenshot(path=screenshot_path("authorization-names-condition-phone.png"), full_page=True)
    page.locator("button.submit").tap()
    page.wait_for_url(f"{live_server.url}/testimonials/thanks/")
    # then what is stored is exactly what was on the screen
    assert Testimonial.objects.get().consent_text == shown
    assert console.csp_violations == []
