"""Moderation as staff do it: log in, open the queue, approve with the bulk action, see it published."""
from __future__ import annotations

import pytest

from moderation.models import Flag
from reviews.models import Testimonial
from tests.browser.conftest import screenshot_path
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.browser


def test_a_moderator_approves_from_the_queue_and_it_is_published(desktop, live_server, clinics,
                                                                  django_user_model):
    # given a testimonial waiting in the queue with a flag, and a moderator
    django_user_model.objects.create_superuser("moderator", "m@example.com", "a-long-passphrase-42")
    testimonial = TestimonialFactory(location=clinics["dayton"],
                                     body="Brianna got my ankle moving again. Call me at 732-555-0142!")
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    Flag.objects.create(testimonial=testimonial, code="pii_phone", severity="high", message="Phone number",
                        start=46, end=58)
    page, _ = desktop
    # when they log in and open the queue
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("a-long-passphrase-42")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/reviews/testimonial/")
    row = page.locator("#result_list tbody tr", has_text="Brianna got my ankle")
    assert "pii_phone" in row.inner_text()
    page.screenshot(path=screenshot_path("admin-queue.png"), full_page=True)
    # the change page marks the flagged passage
    row.get_by_role("link").first.click()
    page.wait_for_url("**/change/")
    assert page.locator("mark", has_text="732-555-0142").count() == 1
    page.screenshot(path=screenshot_path("admin-change.png"), full_page=True)
    page.go_back()
    # and approve it with the bulk action
    page.locator("#result_list tbody tr", has_text="Brianna got my ankle").locator("input.action-select").check()
    page.locator("select[name=action]").select_option("approve_selected")
    page.get_by_role("button", name="Go").click()
    # the phone number is flagged: publishing it needs an explicit confirmation with a note
    page.wait_for_load_state()
    assert "still have personal data or spam flagged" in page.locator("#content-main").inner_text()
    page.get_by_label("Note (required to approve the flagged ones):").fill("The patient asked to be called.")
    page.get_by_role("button", name="Approve all 1, flagged ones included, with this note").click()
    page.wait_for_load_state()
    assert "Approve and publish: 1 testimonial(s)" in page.locator(".messagelist").inner_text()
    # then it is in the public feed
    testimonial.refresh_from_db()
    assert testimonial.status == "approved"
    feed = page.request.get(f"{live_server.url}/api/v1/testimonials/").json()
    assert [item["id"] for item in feed["results"]] == [testimonial.pk]
