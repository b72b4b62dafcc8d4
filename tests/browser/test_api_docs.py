"""The interactive API docs render from the app's own files, under the strict CSP."""
from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot_path

pytestmark = pytest.mark.browser


def test_the_api_docs_render_offline_under_the_content_security_policy(desktop, live_server):
    page, log = desktop
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=Testimonials API", timeout=15_000)
    assert page.locator("text=/api/v1/testimonials/").count() >= 1
    page.screenshot(path=screenshot_path("api-docs.png"), full_page=False)
    assert not [m for m in log.messages if m.startswith("pageerror")]
