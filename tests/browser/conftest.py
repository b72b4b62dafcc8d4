"""Playwright (sync API) against pytest-django's live server, on Debian's Chromium.

Playwright's sync API runs an event loop in the test's thread, so Django would refuse ORM calls made
there: DJANGO_ALLOW_ASYNC_UNSAFE lets the test read and write rows between page actions.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(os.environ.get("TEST_OUTPUT_DIR", "test-results")) / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
CSP_VIOLATION = re.compile(r"Content[ -]Security[ -]Policy", re.IGNORECASE)


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="session")
def _browsers(_playwright) -> Iterator[dict]:
    """One Chromium for the whole session, launched by the first test that gets past `chromium_path`."""
    launched: dict = {}
    yield launched
    if "browser" in launched:
        launched["browser"].close()


@pytest.fixture
def browser(chromium_path, _playwright, _browsers):
    if "browser" not in _browsers:
        _browsers["browser"] = _playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                                           args=CHROMIUM_ARGS)
    return _browsers["browser"]


class ConsoleLog:
    """Console messages and uncaught errors of every page of a context."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def attach(self, page) -> None:
        page.on("console", lambda message: self.messages.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))

    @property
    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if CSP_VIOLATION.search(m)]


@pytest.fixture
def open_page(browser, settings, transactional_db, filesystem_broker):
    """open_page(**context_options) -> (page, console log). Every page is checked for CSP violations.

    The form's minimum fill time is off (tests type faster than people) and enqueued tasks go to a
    throw-away filesystem broker.
    """
    settings.TESTIMONIAL_MIN_FILL_SECONDS = 0
    contexts, logs = [], []

    def _open(**options):
        context = browser.new_context(locale=options.pop("locale", "en-US"), **options)
        context.set_default_timeout(10_000)
        log = ConsoleLog()
        context.on("page", log.attach)
        contexts.append(context)
        logs.append(log)
        page = context.new_page()
        return page, log

    yield _open
    for context in contexts:
        context.close()
    violations = [v for log in logs for v in log.csp_violations]
    assert not violations, f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def phone(open_page):
    return open_page(**PHONE)


@pytest.fixture
def desktop(open_page):
    return open_page(**DESKTOP)


LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PASSWORD = "a-long-passphrase-42"


@pytest.fixture
def moderator(open_page, live_server, django_user_model):
    """A superuser signed in to the admin on a 1366×768 page; the account is `page.user`."""
    user = django_user_model.objects.create_superuser("moderator", "m@example.com", PASSWORD)
    page, _ = open_page(**LAPTOP)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.user = user
    return page


@pytest.fixture
def clinics(transactional_db):
    """Dayton (Brianna, Sean) and Edison (Sean, Maria): Sean works at both."""
    from tests.factories import LocationFactory, TherapistFactory

    dayton = LocationFactory(name="Dayton", slug="dayton")
    edison = LocationFactory(name="Edison", slug="edison")
    TherapistFactory(first_name="Brianna", last_name="Kowalski", slug="brianna-kowalski", locations=[dayton])
    TherapistFactory(first_name="Sean", last_name="Walsh", slug="sean-walsh", locations=[dayton, edison])
    TherapistFactory(first_name="Maria", last_name="Lopez", slug="maria-lopez", locations=[edison])
    return {"dayton": dayton, "edison": edison}
