"""Opt-in error reporting (issue 10): with SENTRY_DSN an unhandled error reaches the collector, with none of
the personal data that was in the request; without it the SDK never starts. A real SDK posts to a real HTTP
collector on loopback (no mock), from a Django process of its own."""
from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from config.sentry import scrub_event

ROOT = Path(__file__).resolve().parent.parent
MARKERS = ("zelda.quist@example.com", "MARKER-BODY-7781", "MARKER-COOKIE-5512", "MARKER-TOKEN-9034",
           "MARKER-QUERY-2290", "198.51.100.77", "MARKER-AUTH-4410")

CRASH = """
import logging, django
django.setup()
from django.test import Client
from django.urls import path
import config.urls, sentry_sdk

def boom(request, token):
    logging.getLogger("reviews").info("about to fail for %s", request.POST.get("email"))
    raise ValueError("duplicate key value violates unique constraint: Key (email)=(%s)" % request.POST["email"])

config.urls.urlpatterns.append(path("boom/withdraw/<str:token>/", boom))
response = Client(raise_request_exception=False).post(
    "/boom/withdraw/MARKER-TOKEN-9034/?q=MARKER-QUERY-2290",
    {"email": "zelda.quist@example.com", "body": "MARKER-BODY-7781"},
    HTTP_COOKIE="sessionid=MARKER-COOKIE-5512", HTTP_X_FORWARDED_FOR="198.51.100.77",
    HTTP_AUTHORIZATION="Token MARKER-AUTH-4410")
print("status", response.status_code, "active", sentry_sdk.get_client().is_active())
sentry_sdk.flush(timeout=10)
"""


class Collector(ThreadingHTTPServer):
    """Stands in for the Sentry service: stores every envelope posted to it."""

    def __init__(self) -> None:
        self.envelopes: list[str] = []
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                collector.envelopes.append(raw.decode("utf-8", "replace"))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture
def collector():
    server = Collector()
    yield server
    server.shutdown()


def crash(tmp_path, dsn: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_ALLOWED_HOSTS": "testserver",
           "DJANGO_SECRET_KEY": "sentry-test-key", "VAR_DIR": str(tmp_path), "SENTRY_DSN": dsn,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run([sys.executable, "-c", CRASH], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_an_unhandled_error_reaches_the_collector_without_personal_data(tmp_path, collector):
    dsn = f"http://publickey@127.0.0.1:{collector.server_address[1]}/1"
    out = crash(tmp_path, dsn)
    assert "status 500 active True" in out
    assert collector.envelopes, "the SDK sent nothing"
    sent = "\n".join(collector.envelopes)
    # the report says what failed and where…
    assert "ValueError" in sent and "duplicate key value violates unique constraint" in sent and "boom" in sent
    # …and nothing about whom
    for marker in MARKERS:
        assert marker not in sent, marker


def test_without_a_dsn_nothing_starts_and_nothing_is_sent(tmp_path, collector):
    out = crash(tmp_path, "")
    assert "status 500 active False" in out
    assert collector.envelopes == []


def test_the_scrubber_leaves_only_harmless_request_fields():
    event = {
        "request": {"url": "https://t.example.com/testimonials/renew/abc.def/", "method": "POST",
                    "data": {"body": "x"}, "cookies": {"sessionid": "s"}, "query_string": "email=a@b.co",
                    "headers": {"Cookie": "s", "Authorization": "Token t", "X-Forwarded-For": "1.2.3.4",
                                "Referer": "https://t.example.com/testimonials/withdraw/tok/", "Accept": "*/*"},
                    "env": {"REMOTE_ADDR": "1.2.3.4"}},
        "user": {"ip_address": "1.2.3.4"}, "extra": {"sys.argv": ["x"]},
        "breadcrumbs": {"values": [{"message": "sent to ann@example.org", "data": {"params": ["ann"]}}]},
        "exception": {"values": [{"value": "Key (email)=(ann@example.org)", "stacktrace": {
            "frames": [{"function": "f", "vars": {"email": "ann@example.org"}}]}}]},
    }
    scrubbed = scrub_event(event, {})
    assert scrubbed["request"] == {"url": "https://t.example.com/testimonials/renew/[removed]/", "method": "POST",
                                   "headers": {"Accept": "*/*"}}
    assert "user" not in scrubbed and "extra" not in scrubbed
    assert scrubbed["breadcrumbs"]["values"] == [{"message": "sent to [removed]"}]
    exception = scrubbed["exception"]["values"][0]
    assert exception["value"] == "Key (email)=([removed])" and exception["stacktrace"]["frames"] == [{"function": "f"}]
