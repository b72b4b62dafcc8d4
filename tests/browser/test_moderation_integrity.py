"""A moderator on a laptop (1366×768): a stale tab cannot undo a colleague's decision, redacting a phone
number clears its flag and highlight, and an expired authorization is refused with its date (issue 7)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from moderation import services
from moderation.models import Flag
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

from .conftest import screenshot_path

pytestmark = [pytest.mark.browser]




def in_review(location, body: str, **kwargs) -> Testimonial:
    testimonial = TestimonialFactory(location=location, body=body, **kwargs)
    testimonial = Testimonial.objects.select_related("location").get(pk=testimonial.pk)
    services.testimonial_analyze(testimonial=testimonial)
    return Testimonial.objects.get(pk=testimonial.pk)


def change_url(live_server, testimonial: Testimonial) -> str:
    return f"{live_server.url}/admin/reviews/testimonial/{testimonial.pk}/change/"


def test_a_reject_from_a_stale_tab_after_an_approval_is_refused_and_explained(moderator, live_server, clinics):
    testimonial = in_review(clinics["dayton"], "Brianna got my ankle moving again after the fracture. Thank you!")
    # given the same testimonial open in two tabs, both showing "in review"
    first = moderator
    first.goto(change_url(live_server, testimonial))
    second = first.context.new_page()
    second.goto(change_url(live_server, testimonial))
    # when it is approved in the first tab
    first.get_by_role("button", name="Approve and publish").click()
    expect(first.locator(".messagelist")).to_contain_text(f"Testimonial #{testimonial.pk} is now approved.")
    # and rejected from the second, stale tab
    second.select_option("#id_reject_reason", "spam")
    second.get_by_role("button", name="Reject").click()
    # then the second tab is told it changed, and nothing else happens
    expect(second.locator(".messagelist")).to_contain_text("was changed by someone else meanwhile (now approved)")
    second.screenshot(path=screenshot_path("admin-stale-tab-refused-laptop.png"), full_page=True)
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"
    assert list(testimonial.events.values_list("to_status", flat=True)) == ["in_review", "approved"]


def test_redacting_a_phone_number_removes_the_flag_and_the_highlight(moderator, live_server, clinics):
    body = "Brianna fixed my knee in six weeks. Call me at 732-555-0142 if you want to know more."
    testimonial = in_review(clinics["dayton"], body)
    assert Flag.objects.filter(testimonial=testimonial, code="pii_phone").exists()
    page = moderator
    page.goto(change_url(live_server, testimonial))
    # the phone number is highlighted, and publishing it would need a note
    expect(page.locator(".testimonial-text mark", has_text="732-555-0142")).to_have_count(1)
    expect(page.locator("#unresolved-flags")).to_contain_text("pii_phone")
    # when the moderator edits it out and saves
    page.locator("textarea[name=body]").fill(
        "Brianna fixed my knee in six weeks. Ask the clinic if you want to know more.")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    # then the flag and the highlight are gone, and a plain approval is offered again
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(".testimonial-text mark", has_text="732")).to_have_count(0)
    expect(page.locator("#unresolved-flags")).to_have_count(0)
    expect(page.get_by_role("button", name="Approve and publish")).to_be_visible()
    page.screenshot(path=screenshot_path("admin-redacted-phone-laptop.png"), full_page=True)
    assert not Flag.objects.filter(testimonial=testimonial, code="pii_phone").exists()
    testimonial.refresh_from_db()
    assert testimonial.body_original == body


def test_approving_an_expired_authorization_is_refused_with_its_date(moderator, live_server, clinics):
    testimonial = in_review(clinics["edison"], "The vestibular exercises got rid of my vertigo in four visits.")
    expired = timezone.now() - dt.timedelta(days=3)
    Testimonial.objects.filter(pk=testimonial.pk).update(consent_expires_at=expired)
    page = moderator
    page.goto(change_url(live_server, testimonial))
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"the patient's authorization expired on {timezone.localtime(expired).date().isoformat()}")
    page.screenshot(path=screenshot_path("admin-expired-refused-laptop.png"), full_page=True)
    assert Testimonial.objects.get(pk=testimonial.pk).status == "in_review"
