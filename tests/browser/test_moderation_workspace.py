"""The moderation workspace on a 1366×768 laptop (issue 8): ten rows and more of the queue in one screen,
twenty testimonials cleared with the keyboard alone with the decision always in view, and a race lost
gracefully. Screenshots: test-results/browser/moderation-*-1366x768.png (TEST_OUTPUT_DIR moves them)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from moderation import services
from moderation.models import TransitionEvent
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

from .conftest import PASSWORD, screenshot_path

pytestmark = [pytest.mark.browser]
STORY = ("I came in after a fall on the ice left me with a fractured wrist and a shoulder that would not lift. "
         "The first weeks were painful and I was frustrated and scared I would never get my strength back. ")
BODIES = [
    "Brianna got my ankle moving again after the fracture. Thank you!",
    "Sean was patient and kind; my back pain is gone after eight visits.",
    "Call me at 732-555-0142 if you want to hear how good this place is, my knee is great.",
    "Terrible front desk, they lost my paperwork twice and nobody called back.",
    STORY * 6 + "Now I can lift my grandchildren again. Maria and the whole Edison team are wonderful.",
    "Write to dana.zimmerman@example.com and ask me about my recovery, it was amazing.",
    "Great therapists, clean clinic, easy parking. I recommend them to everyone.",
    "The exercises for my plantar fasciitis worked, I walk without pain now.",
    "BEST CLINIC EVER!!! BUY CHEAP PILLS AT example.com",
    "My shoulder surgery rehab went better than I hoped; six weeks and full range of motion.",
]




def waiting(location, body: str, *, hours_ago: int, **kwargs) -> Testimonial:
    """A testimonial analysed for real (flags, sentences), waiting in review since `hours_ago`."""
    testimonial = TestimonialFactory(location=location, body=body, **kwargs)
    testimonial = Testimonial.objects.select_related("location").get(pk=testimonial.pk)
    services.testimonial_analyze(testimonial=testimonial)
    Testimonial.objects.filter(pk=testimonial.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours_ago))
    return Testimonial.objects.get(pk=testimonial.pk)


def in_viewport(page, selector: str) -> dict:
    return page.eval_on_selector(selector, """element => {
        const box = element.getBoundingClientRect();
        return {top: box.top, bottom: box.bottom, inside: box.top >= 0 && box.bottom <= window.innerHeight,
                scrollY: window.scrollY};
    }""")


def test_a_moderator_clears_twenty_testimonials_with_the_keyboard_alone(moderator, live_server, clinics):
    # given twenty testimonials waiting, the oldest first, some with personal data flagged
    queue = [waiting(clinics["dayton" if n % 2 else "edison"], f"{BODIES[n % len(BODIES)]} (visit {n})",
                     hours_ago=200 - n, rating=1 + n % 5, last_name=f"Surname{n}") for n in range(20)]
    page = moderator
    page.goto(f"{live_server.url}/admin/reviews/testimonial/")
    # the queue shows ten rows and more in one screen, every column inside the window's width
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(20)
    page.screenshot(path=screenshot_path("moderation-queue-1366x768.png"))
    fully_visible = page.eval_on_selector_all("#result_list tbody tr", """rows => rows.filter(row => {
        const box = row.getBoundingClientRect(); return box.top >= 0 && box.bottom <= window.innerHeight; }).length""")
    assert fully_visible >= 10, f"only {fully_visible} rows of the queue fit in 1366×768"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert page.evaluate("document.querySelector('#result_list').getBoundingClientRect().right") <= 1366
    expect(rows.first).to_contain_text(f"#{queue[0].pk}")  # oldest waiting first
    expect(page.locator(".queue-legend")).to_contain_text("j")

    # when the moderator opens the first one with the keyboard and decides each in turn
    page.keyboard.press("j")
    expect(rows.first).to_have_class(re.compile("current"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    screenshot_taken = False
    for expected in queue:
        assert page.url.endswith(f"/{expected.pk}/change/")
        bar = in_viewport(page, "#decision-bar")
        assert bar["inside"] and bar["scrollY"] == 0, f"#{expected.pk}: the decision bar is not in view ({bar})"
        expect(page.locator("#keyboard-hint")).to_be_visible()
        flagged_personal = bool(services.unresolved_high_flags(testimonial=expected))
        if flagged_personal and not screenshot_taken:
            page.screenshot(path=screenshot_path("moderation-testimonial-1366x768.png"))
            screenshot_taken = True
        with page.expect_navigation():
            if flagged_personal:
                page.keyboard.press("r")  # the reason list takes the focus; 1 = personal information
                page.keyboard.press("1")
                page.keyboard.press("Enter")
            else:
                page.keyboard.press("a")
        status = "rejected" if flagged_personal else "approved"
        expect(page.locator(".messagelist")).to_contain_text(f"Testimonial #{expected.pk} is now {status}.")

    # then the queue is empty, and every decision is on record under the moderator's name
    assert screenshot_taken
    expect(page.locator(".messagelist")).to_contain_text("The queue is empty")
    assert page.url.endswith("/admin/reviews/testimonial/")
    assert not Testimonial.objects.filter(status="in_review").exists()
    events = TransitionEvent.objects.filter(testimonial__in=queue, actor=page.user)
    assert events.count() == 20
    assert set(events.filter(to_status="rejected").values_list("reason", flat=True)) == {"personal_info"}


def test_the_decision_bar_stays_in_view_under_a_long_text_and_explains_the_sentiment(moderator, live_server,
                                                                                     clinics):
    testimonial = waiting(clinics["edison"], BODIES[4] * 3, hours_ago=5)
    page = moderator
    page.goto(f"{live_server.url}/admin/reviews/testimonial/{testimonial.pk}/change/")
    assert in_viewport(page, "#decision-bar")["inside"]
    # the reason is chosen explicitly: nothing is preselected
    assert page.eval_on_selector("#id_reject_reason", "select => select.value") == ""
    # the label and VADER's number are told apart on the page
    expect(page.locator(".decision-analysis")).to_contain_text("VADER's compound score")
    # pressing Enter on the reason list without a reason rejects nothing
    page.keyboard.press("r")
    page.keyboard.press("Enter")
    expect(page.locator("#id_reject_reason")).to_have_class(re.compile("needs-choice"))
    assert Testimonial.objects.get(pk=testimonial.pk).status == "in_review"


def test_a_decision_taken_after_a_colleagues_is_refused_and_nothing_is_undone(moderator, live_server, clinics,
                                                                             django_user_model):
    # given the moderator has a testimonial open, and a colleague approves it meanwhile
    testimonial = waiting(clinics["dayton"], BODIES[1], hours_ago=3)
    later = waiting(clinics["dayton"], BODIES[6], hours_ago=2)
    page = moderator
    page.goto(f"{live_server.url}/admin/reviews/testimonial/{testimonial.pk}/change/")
    colleague = django_user_model.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    services.testimonial_approve(testimonial=testimonial, actor=colleague, expected_status="in_review")
    # when the moderator rejects it with the keyboard from the stale page
    with page.expect_navigation():
        page.keyboard.press("r")
        page.keyboard.press("4")
        page.keyboard.press("Enter")
    # then they are told it changed, see its current state, and the colleague's approval stands
    expect(page.locator(".messagelist")).to_contain_text("was changed by someone else meanwhile (now approved)")
    expect(page.locator(".decision-meta")).to_contain_text("Approved")
    expect(page.get_by_role("button", name="Take down")).to_be_visible()
    page.screenshot(path=screenshot_path("moderation-race-lost-1366x768.png"))
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"
    assert list(TransitionEvent.objects.filter(testimonial=testimonial).values_list("to_status", "actor")) == [
        ("in_review", None), ("approved", colleague.pk)]
    # and j still leads on to what is waiting
    with page.expect_navigation():
        page.keyboard.press("j")
    assert page.url.endswith(f"/{later.pk}/change/")
