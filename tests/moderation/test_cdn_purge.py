"""A CDN in front of the site is purged by the worker on every publication change."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from moderation import services
from reviews.models import Testimonial
from tests.conftest import running_worker
from tests.factories import TestimonialFactory
from tests.moderation.test_worker import wait_for


@pytest.fixture
def cdn(settings):
    """A local HTTP server standing in for the CDN's purge endpoint; records what it receives."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"path": self.path, "body": json.loads(body), "auth": self.headers["Authorization"]})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{server.server_port}/zones/site/purge_cache"
    settings.CDN_PURGE_TOKEN = "cdn-token"
    yield received
    server.shutdown()


@pytest.mark.django_db(transaction=True)
def test_publishing_redacting_and_withdrawing_each_purge_the_cdn(cdn, filesystem_broker, admin_user):
    testimonial = TestimonialFactory(email="private@example.com", body="Bri helped my knee, call 555-0100")
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    testimonial.refresh_from_db()
    with running_worker(filesystem_broker):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
        services.testimonial_redact(testimonial=testimonial, body="Bri helped my knee", actor=admin_user)
        services.testimonial_withdraw(testimonial=testimonial)
        # each change purges at least once (the redaction's re-analysis may purge again)
        assert wait_for(lambda: len(cdn) >= 3)
    for purge in cdn:
        assert purge["path"] == "/zones/site/purge_cache" and purge["auth"] == "Bearer cdn-token"
        assert purge["body"]["purge_everything"] is True
        assert any(prefix.endswith("/api/v1/") for prefix in purge["body"]["prefixes"])
        assert "555-0100" not in json.dumps(purge["body"]) and "private@" not in json.dumps(purge["body"])


@pytest.mark.django_db
def test_without_a_cdn_nothing_is_enqueued(settings, filesystem_broker, admin_user, django_capture_on_commit_callbacks):
    settings.CDN_PURGE_URL = ""
    testimonial = TestimonialFactory()
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    testimonial.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
    queue = Path(filesystem_broker.conf.broker_transport_options["data_folder_in"])
    assert not any(b"purge_cdn_task" in message.read_bytes() for message in queue.iterdir())
