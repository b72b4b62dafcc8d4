"""/embed.js on the marketing site's page: another origin, a strict CSP, a real Chromium."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from moderation import services
from reviews.models import Tag, Testimonial
from tests.browser.conftest import DESKTOP, PHONE, screenshot_path
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.browser

HOST_CSS = b'body { font-family: "DejaVu Serif", Georgia, serif; margin: 2rem; }'


def host_page(api: str) -> bytes:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Foot drop | Example PT</title>
<link rel="stylesheet" href="/host.css"></head>
<body><h1>Foot drop</h1>
<div id="es-widget" data-testimonials data-location="dayton" data-tag="foot-drop" data-limit="3" data-lang="es">
  <noscript><a href="/testimonials/">Lea los testimonios de nuestros pacientes</a></noscript>
</div>
<div id="en-widget" data-testimonials data-location="dayton" data-limit="1"></div>
<script src="{api}/embed.js" async></script>
</body></html>""".encode()


@pytest.fixture
def marketing_site(live_server):
    """A static page on another origin (127.0.0.1 vs the live server's localhost, another port) whose
    Content-Security-Policy allows this site for scripts, styles and fetch, and nothing inline."""
    api = live_server.url
    policy = (f"default-src 'self'; script-src 'self' {api}; style-src 'self' {api}; connect-src 'self' {api}; "
              "img-src 'self'; object-src 'none'; base-uri 'none'")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body, kind = (HOST_CSS, "text/css") if self.path == "/host.css" else (host_page(api), "text/html")
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Security-Policy", policy)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def publish(actor, **kwargs) -> Testimonial:
    tags = kwargs.pop("tags", [])
    testimonial = TestimonialFactory(**kwargs)
    testimonial.tags.set(tags)
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    testimonial.refresh_from_db()
    services.testimonial_approve(testimonial=testimonial, actor=actor)
    return testimonial


@pytest.fixture
def foot_drop_testimonials(clinics, admin_user):
    foot, _ = Tag.objects.get_or_create(slug="foot-drop", defaults={"name": "Foot drop"})
    dayton, edison = clinics["dayton"], clinics["edison"]
    publish(admin_user, location=dayton, tags=[foot], rating=5, first_name="Stephanie", last_name="Marino",
            body="I walk without tripping now.\n\nThe brace fitting changed everything.")
    publish(admin_user, location=dayton, tags=[foot], rating=4, first_name="Lucía", last_name="Gómez",
            language="es", body="Ya camino sin miedo a caerme.")
    publish(admin_user, location=dayton, tags=[foot], rating=2, first_name="Ana", last_name="Ruiz",
            display_as="anonymous", body="Slow progress, kind staff.")
    publish(admin_user, location=dayton, rating=3, first_name="Ken", last_name="Ito", body="Knee is better. NOTAG")
    publish(admin_user, location=edison, tags=[foot], rating=5, first_name="Omar", last_name="Diaz",
            body="Edison helped my ankle. OTHERCLINIC")
    TestimonialFactory(location=dayton, rating=5, body="Waiting for review. PENDINGTEXT", status="pending")


def test_the_widget_renders_one_clinics_tagged_testimonials_on_another_origin_under_a_strict_csp(
        open_page, live_server, marketing_site, foot_drop_testimonials, settings):
    # given the marketing site's origin is allowed to read the API
    settings.CORS_ALLOWED_ORIGINS = [marketing_site]
    page, log = open_page(**DESKTOP)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # when its page with two widgets loads
    page.goto(f"{marketing_site}/foot-drop/")
    page.wait_for_selector("#es-widget[data-testimonials-state=ready]")
    page.wait_for_selector("#en-widget[data-testimonials-state=ready]")
    # then the Spanish widget shows Dayton's three approved foot-drop testimonials, newest first
    es = page.locator("#es-widget")
    assert es.locator("section").get_attribute("aria-label") == "Testimonios de pacientes"
    names = es.locator("li.tstm-card .tstm-name").all_inner_texts()
    assert names == ["Paciente de Dayton", "Lucía G.", "Stephanie M."]
    cards = es.locator("li.tstm-card").filter(has_not_text="Paciente de")
    assert cards.nth(0).locator("blockquote").get_attribute("lang") == "es"
    assert cards.nth(1).locator("blockquote p").all_inner_texts() == ["I walk without tripping now.",
                                                                    "The brace fitting changed everything."]
    # stars are text for screen readers, hidden glyphs for the eye
    assert cards.nth(1).locator(".tstm-stars").get_attribute("aria-hidden") == "true"
    assert cards.nth(1).locator(".tstm-meta").text_content().startswith("★★★★★Valoración: 5 de 5 estrellas")
    assert "Clínica: Dayton" in cards.nth(0).locator(".tstm-clinic").text_content()
    # the screen-reader text is not drawn: the site's stylesheet applied (loaded as a <link>, allowed by CSP)
    assert cards.nth(0).locator(".tstm-sr").first.bounding_box()["width"] <= 1
    # in the host page's font
    body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert body_font.startswith('"DejaVu Serif"')
    assert page.evaluate("getComputedStyle(document.querySelector('#es-widget blockquote p')).fontFamily") == body_font
    # the English widget: one card (data-limit=1), English labels
    en = page.locator("#en-widget")
    assert en.locator("li.tstm-card").count() == 1
    assert "Rated" in en.locator(".tstm-meta").text_content()
    text = page.locator("body").inner_text()
    assert "NOTAG" not in es.inner_text() and "OTHERCLINIC" not in text and "PENDINGTEXT" not in text
    # no other host contacted, no console error, no CSP violation (checked by open_page on teardown)
    assert {url.split("/", 3)[2] for url in requests} == {marketing_site.split("/")[2], live_server.url.split("/")[2]}
    assert not [m for m in log.messages if m.startswith(("error", "pageerror"))], log.messages
    page.screenshot(path=screenshot_path("embed-strict-csp.png"), full_page=True)


def test_an_origin_not_allowed_by_cors_gets_no_cards_and_keeps_its_fallback(
        open_page, live_server, marketing_site, foot_drop_testimonials, settings):
    # given the marketing site's origin is not in CORS_ALLOWED_ORIGINS
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.com"]
    page, log = open_page(**DESKTOP)
    # when its page loads
    page.goto(f"{marketing_site}/foot-drop/")
    page.wait_for_selector("#es-widget[data-testimonials-state=failed]", state="attached")
    # then the browser refused the API's answer and the widget drew nothing
    assert page.locator("li.tstm-card").count() == 0
    assert page.locator("#es-widget noscript").count() == 1
    assert any("CORS" in m or "Access-Control-Allow-Origin" in m for m in log.messages), log.messages


def test_on_a_phone_the_cards_stack_in_one_column_without_sideways_scrolling(
        open_page, live_server, marketing_site, foot_drop_testimonials, settings):
    # given the marketing site's page on a phone
    settings.CORS_ALLOWED_ORIGINS = [marketing_site]
    page, log = open_page(**PHONE)
    # when it loads
    page.goto(f"{marketing_site}/foot-drop/")
    page.wait_for_selector("#es-widget[data-testimonials-state=ready]")
    # then the three cards sit one under the other, inside the screen
    boxes = [card.bounding_box() for card in page.locator("#es-widget li.tstm-card").all()]
    assert len(boxes) == 3 and len({round(box["x"]) for box in boxes}) == 1
    assert all(box["x"] + box["width"] <= 390 for box in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not [m for m in log.messages if m.startswith(("error", "pageerror"))], log.messages
    page.screenshot(path=screenshot_path("embed-phone.png"), full_page=True)
