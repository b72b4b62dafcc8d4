"""The marketing site is told of publication changes, by a signed POST to a real local HTTP server."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from moderation import publication, services
from moderation.webhooks import webhook_signature
from reviews.models import Testimonial
from tests.conftest import running_worker
from tests.factories import TestimonialFactory
from tests.moderation.test_worker import wait_for

SECRET = "webhook-test-secret"


@pytest.fixture
def marketing_site(settings):
    """A local HTTP server that records what it receives."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"body": body, "signature": self.headers["X-Testimonials-Signature"]})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MARKETING_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hooks/testimonials"
    settings.MARKETING_WEBHOOK_SECRET = SECRET
    yield received
    server.shutdown()


def verify(delivery: dict) -> dict:
    """What the marketing site does: recompute the signature, then trust the body."""
    fields = dict(part.split("=", 1) for part in delivery["signature"].split(","))
    expected = hmac.new(SECRET.encode(), f"{fields['t']}.".encode() + delivery["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected)
    return json.loads(delivery["body"])


@pytest.mark.django_db(transaction=True)
def test_approving_and_withdrawing_notify_the_site_with_a_signed_post(marketing_site, filesystem_broker, admin_user):
    testimonial = TestimonialFactory(email="private@example.com", last_name="Privateson")
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    testimonial.refresh_from_db()
    with running_worker(filesystem_broker):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
        services.testimonial_withdraw(testimonial=testimonial)
        assert wait_for(lambda: len(marketing_site) == 2)
    events = sorted((verify(d)["event"], verify(d)["testimonial_id"]) for d in marketing_site)
    assert events == [("testimonial.published", testimonial.pk), ("testimonial.unpublished", testimonial.pk)]
    for delivery in marketing_site:
        assert b"private@example.com" not in delivery["body"] and b"Privateson" not in delivery["body"]


@pytest.mark.parametrize("current, to, event", [
    ("in_review", "approved", "testimonial.published"),
    ("approved", "rejected", "testimonial.unpublished"),
    ("approved", "withdrawn", "testimonial.unpublished"),
    ("pending", "in_review", None),
    ("in_review", "rejected", None),
    ("rejected", "in_review", None),
    ("pending", "withdrawn", None),
])
def test_only_moves_the_public_can_see_are_announced(current, to, event):
    assert publication.publication_event(current=current, to=to) == event


def test_a_forged_signature_does_not_verify():
    body = b'{"event": "testimonial.published", "testimonial_id": 1}'
    good = webhook_signature(body=body, timestamp=1700000000, secret=SECRET)
    assert good != webhook_signature(body=body, timestamp=1700000000, secret="other")
    assert good != webhook_signature(body=body.replace(b"1}", b"2}"), timestamp=1700000000, secret=SECRET)
