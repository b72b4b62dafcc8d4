"""The strict Content-Security-Policy holds on every patient page (the page fixture also checks each test)."""
from __future__ import annotations

import pytest
from django.utils import timezone

from moderation.tokens import withdrawal_token
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

pytestmark = [pytest.mark.browser]


def test_the_patient_pages_cause_no_csp_violation(live_server, desktop, clinics):
    page, console = desktop
    testimonial = TestimonialFactory(location=clinics["edison"], status=Testimonial.Status.APPROVED,
                                     published_at=timezone.now())
    pages = ["/testimonials/new/", "/es/testimonials/new/", "/testimonials/thanks/",
             f"/testimonials/withdraw/{withdrawal_token(testimonial_id=testimonial.pk)}/"]
    for path in pages:
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
    # the form with its errors, the script running (counter, narrowing, focus)
    page.goto(live_server.url + "/testimonials/new/")
    page.select_option("#id_location", "edison")
    page.fill("#id_body", "Short")
    with page.expect_navigation():
        page.click("button.submit")
    assert page.locator("#counter_body").inner_text() == "15 more characters needed"
    assert console.csp_violations == [], console.csp_violations
    assert not [m for m in console.messages if m.startswith(("error", "pageerror"))], console.messages

    # the listener does see a violation: an inline script is refused and reported
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.injected = true'; document.head.append(s); }""")
    page.wait_for_timeout(200)
    assert console.csp_violations, console.messages
    assert page.evaluate("window.injected === undefined")
    console.messages.clear()
