"""PostgreSQL stopped under a running site (gunicorn, persistent connections, a cluster of the test's own
on a spare port): the form answers 503 with everything the patient typed kept, the API a JSON 503; when
the database is back, the same processes serve again at once — no restart, no 500 from a stale
connection."""
from __future__ import annotations

import html
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.faults.conftest import port_answers, spare_port, wait_until

pytestmark = pytest.mark.fault

ROOT = Path(__file__).resolve().parents[2]
BODY = "My knee <b>works</b> again & I'm back to gardening — thank you, Bri! Ünïcödé kept too."


class Browser:
    """Cookies, CSRF and the form's hidden token, as a browser would send them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect())

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body,
                                         headers={"Referer": self.base + path} if body else {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no {name} in the page"
    return html.unescape(match.group(1))


def textarea(page: str) -> str:
    return html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1))


def patient_post(page: str) -> dict:
    return {"csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"), "form_token": hidden(page, "form_token"),
            "location": "dayton", "therapist": "", "rating": "5", "body": BODY, "condition": "knee",
            "first_name": "Rosa", "last_name": "Quintero", "email": "rosa@example.com", "consent": "on",
            "display_as": "initial"}


@pytest.fixture
def site(postgres_cluster):
    """gunicorn (2 workers, persistent connections) on the cluster, migrated, with one clinic."""
    var = tempfile.mkdtemp(prefix="site-var-")
    env = {**os.environ, "DATABASE_URL": postgres_cluster.url, "VAR_DIR": var, "REDIS_URL": "",
           "DJANGO_SECRET_KEY": "fault-test-key-" + "x" * 40, "DJANGO_DEBUG": "0", "STATIC_MANIFEST": "0",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "TESTIMONIAL_MIN_FILL_SECONDS": "0", "DB_CONN_MAX_AGE": "600"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=300)
    subprocess.run([*manage, "shell", "-c", "from reviews.models import Location; "
                    "Location.objects.create(slug='dayton', name='Dayton')"],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    port = spare_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2",
                               "--bind", f"127.0.0.1:{port}", "--timeout", "30", "--log-level", "warning"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert wait_until(lambda: port_answers(port), 30), "gunicorn did not start"
    yield Browser(f"http://127.0.0.1:{port}")
    server.terminate()
    server.wait(30)


def test_a_database_outage_shows_kind_503s_keeps_the_patients_words_and_recovers_without_a_500(
        site, postgres_cluster):
    # given a site in use: every gunicorn worker holds a persistent connection
    for _ in range(6):
        status, page, _ = site.request("/testimonials/new/")
        assert status == 200
        assert site.request("/api/v1/locations/")[0] == 200
    # when the database restarts between two requests (each worker's connection is now dead)
    postgres_cluster.stop()
    postgres_cluster.start()
    # then the next requests, whichever worker takes them, are served: the dead connection is replaced
    statuses = [site.request(path)[0] for _ in range(6) for path in ("/testimonials/new/", "/api/v1/locations/")]
    assert set(statuses) == {200}, statuses

    # when the database stops
    postgres_cluster.stop()

    # then the patient who sends the form sees a 503 page holding everything they typed
    status, page_503, headers = site.request("/testimonials/new/", patient_post(page))
    assert status == 503 and headers.get("Retry-After")
    assert textarea(page_503) == BODY and "<b>works</b>" not in page_503  # kept, and escaped
    for name, value in (("first_name", "Rosa"), ("last_name", "Quintero"), ("email", "rosa@example.com"),
                        ("location", "dayton"), ("rating", "5"), ("consent", "on"), ("condition", "knee")):
        assert hidden(page_503, name) == value
    # the form itself, any API URL (JSON) and the healthcheck say so too, never a 500
    status, form_page, _ = site.request("/testimonials/new/")
    assert status == 503 and "unavailable" in form_page
    for path in ("/api/v1/testimonials/?page_size=7", "/api/v1/locations/", "/api/v1/stats/"):
        status, body, headers = site.request(path)
        assert (status, headers.get("Content-Type")) == (503, "application/json"), path
        assert "unavailable" in json.loads(body)["detail"]
    assert site.request("/healthz")[0] == 503

    # when the database is back (the same gunicorn processes, their old connections now dead)
    postgres_cluster.start()

    # then every request succeeds at once: no 500 from a stale connection, in any worker
    statuses = [site.request(path)[0] for _ in range(6)
                for path in ("/testimonials/new/", "/api/v1/locations/", "/healthz")]
    assert set(statuses) == {200}, statuses
    # and the patient's kept page, sent again as it is, stores the testimonial
    resend = {name: html.unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', page_503)}
    resend["body"] = textarea(page_503)
    status, _, headers = site.request("/testimonials/new/", resend)
    assert (status, headers.get("Location")) == (302, "/testimonials/thanks/")

    # when the database hangs (its postmaster frozen: new connections are accepted, never answered)
    postmaster = int((postgres_cluster.data / "postmaster.pid").read_text().split()[0])
    os.kill(postmaster, signal.SIGSTOP)
    try:
        started = time.monotonic()
        status, body, _ = site.request("/healthz")
        took = time.monotonic() - started
    finally:
        os.kill(postmaster, signal.SIGCONT)
    # then the healthcheck still answers, "down", within 2 s
    assert (status, json.loads(body)["database"]) == (503, "down")
    assert took < 2.0, f"/healthz took {took:.2f} s"
