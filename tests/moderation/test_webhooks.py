"""The marketing site is told of publication changes per the Standard Webhooks spec: checked with the
`standardwebhooks` library against a real local HTTP server, through a real Celery worker."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from moderation import publication, services
from moderation.models import WebhookAttempt
from moderation.tasks import sweep_pending_testimonials_task
from moderation.webhooks import webhook_attempt, webhook_event_id, webhook_headers, webhook_retry_delay
from reviews.models import Testimonial
from tests.conftest import celery_broker, running_worker
from tests.factories import TestimonialFactory
from tests.moderation.test_worker import wait_for

SECRET = "whsec_" + base64.b64encode(b"a test key of thirty-two bytes!!").decode()
OK = 204


@pytest.fixture
def marketing_site(settings):
    """A local HTTP server that records what it receives and answers the statuses in `answers`
    (one per request, the last repeated)."""
    site = {"received": [], "answers": [OK]}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            # HTTP header names are case-insensitive; urllib sends "Webhook-id".
            site["received"].append({"body": body, "headers": {k.lower(): v for k, v in self.headers.items()}})
            answers = site["answers"]
            self.send_response(answers.pop(0) if len(answers) > 1 else answers[0])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MARKETING_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hooks/testimonials"
    settings.MARKETING_WEBHOOK_SECRET = SECRET
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0  # retries at once: the test measures the count, not the wait
    yield site
    server.shutdown()


def verify(delivery: dict) -> dict:
    """What the marketing site does: the standardwebhooks library checks id, timestamp and signature."""
    return Webhook(SECRET).verify(delivery["body"], delivery["headers"])


def in_review(**kwargs) -> Testimonial:
    testimonial = TestimonialFactory(**kwargs)
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    testimonial.refresh_from_db()
    return testimonial


@pytest.mark.django_db(transaction=True)
def test_approving_and_withdrawing_send_standard_webhooks_that_the_library_verifies(
        marketing_site, filesystem_broker, admin_user):
    # given a testimonial in review with private details
    testimonial = in_review(email="private@example.com", last_name="Privateson")
    # when it is approved, then withdrawn, with a real worker delivering
    with running_worker(filesystem_broker):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
        services.testimonial_withdraw(testimonial=testimonial)
        assert wait_for(lambda: len(marketing_site["received"]) == 2)
    # then both verify, name the event and the id only, and carry distinct message ids
    received = marketing_site["received"]
    payloads = sorted((verify(d)["event"], verify(d)["testimonial_id"]) for d in received)
    assert payloads == [("testimonial.published", testimonial.pk), ("testimonial.unpublished", testimonial.pk)]
    assert all(set(json.loads(d["body"])) == {"event", "testimonial_id"} for d in received)
    assert received[0]["headers"]["webhook-id"] != received[1]["headers"]["webhook-id"]
    assert all(d["headers"]["webhook-id"].startswith("msg_") for d in received)
    for delivery in received:
        raw = delivery["body"] + json.dumps(delivery["headers"]).encode()
        assert b"private@example.com" not in raw and b"Privateson" not in raw
    assert wait_for(lambda: WebhookAttempt.objects.filter(outcome="delivered").count() == 2, timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_retried_under_the_same_event_id_until_the_site_accepts_it(
        marketing_site, filesystem_broker, admin_user):
    # given a site that answers 500 twice, then accepts
    marketing_site["answers"] = [500, 500, OK]
    testimonial = in_review()
    # when the testimonial is published
    with running_worker(filesystem_broker):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
        assert wait_for(lambda: WebhookAttempt.objects.filter(outcome="delivered").exists())
    # then three attempts reached the site, one message id, each signature valid for its own timestamp
    received = marketing_site["received"]
    assert len(received) == 3
    assert len({d["headers"]["webhook-id"] for d in received}) == 1
    assert all(verify(d) == {"event": "testimonial.published", "testimonial_id": testimonial.pk} for d in received)
    # and each attempt is logged in order, with the status the site gave
    rows = list(WebhookAttempt.objects.order_by("attempt").values_list("attempt", "outcome", "status_code",
                                                                         "event_id"))
    event_id = received[0]["headers"]["webhook-id"]
    assert rows == [(1, "retrying", 500, event_id), (2, "retrying", 500, event_id), (3, "delivered", OK, event_id)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["filesystem_broker", "redis_broker"])
def test_a_delivery_that_keeps_failing_is_marked_failed_after_the_last_attempt(
        marketing_site, broker, request, admin_user, settings):
    # given a site that always answers 500 and three attempts allowed
    app = request.getfixturevalue(broker)
    marketing_site["answers"] = [500]
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    testimonial = in_review()
    # when the testimonial is published
    with running_worker(app):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
        assert wait_for(lambda: WebhookAttempt.objects.filter(outcome="failed").exists())
        time.sleep(1.5)  # a fourth attempt, if one were scheduled, would arrive at once (base delay 0)
    # then exactly three attempts were made and the last one says the delivery failed
    assert len(marketing_site["received"]) == 3
    outcomes = list(WebhookAttempt.objects.order_by("attempt").values_list("attempt", "outcome"))
    assert outcomes == [(1, "retrying"), (2, "retrying"), (3, "failed")]


@pytest.mark.django_db(transaction=True)
def test_a_message_the_broker_refuses_is_held_in_the_log_and_sent_by_the_sweep(marketing_site, admin_user,
                                                                             filesystem_broker):
    # given a broker that cannot be reached
    testimonial = in_review()
    with celery_broker("redis://127.0.0.1:1/0", {"socket_connect_timeout": 0.2, "max_retries": 0}):
        # when the testimonial is published
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
    # then it is published all the same, and the delivery log holds the message for the sweep
    testimonial.refresh_from_db()
    assert testimonial.status == "approved"
    row = WebhookAttempt.objects.get()
    assert (row.testimonial_id, row.event, row.attempt, row.outcome) == (testimonial.pk, "testimonial.published", 0,
                                                                         "retrying")
    assert "not queued" in row.error and row.requeue_at is not None and not marketing_site["received"]
    # and when the broker is back, the sweep sends it once, under the id it was logged with
    with running_worker(filesystem_broker):
        sweep_pending_testimonials_task.delay()
        assert wait_for(lambda: WebhookAttempt.objects.filter(outcome="delivered").exists())
        sweep_pending_testimonials_task.apply().get()  # a second sweep finds nothing left to send
    (delivery,) = marketing_site["received"]
    assert delivery["headers"]["webhook-id"] == row.event_id
    assert list(WebhookAttempt.objects.order_by("attempt").values_list("attempt", "outcome", "requeue_at")) == [
        (0, "retrying", None), (1, "delivered", None)]


@pytest.mark.django_db
def test_an_unreachable_site_is_logged_with_the_error_and_no_url(settings):
    # given a port nobody listens on
    with HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:
        port = closed.server_port
    settings.MARKETING_WEBHOOK_URL = f"http://127.0.0.1:{port}/hooks/secret-path-token"
    settings.MARKETING_WEBHOOK_SECRET = SECRET
    # when one attempt is made
    logged = webhook_attempt(event_id="msg_x", event="testimonial.published", testimonial_id=7, attempt=1, last=False)
    # then it is logged as retrying with the reason, and the URL (which may hold a token) is not kept
    assert logged.outcome == "retrying" and logged.status_code is None
    assert "refused" in logged.error.lower()
    assert "secret-path-token" not in logged.error and str(port) not in logged.error


def test_the_retry_delay_doubles_and_is_capped_at_half_an_hour(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    assert [webhook_retry_delay(attempt=n) for n in (1, 2, 3, 4, 6, 7, 20)] == [30, 60, 120, 240, 960, 1800, 1800]


def test_the_event_id_is_stable_for_one_task_and_new_for_another():
    task_id = "3f2a1c9e-0b7d-4e8f-9a6b-1c2d3e4f5a6b"
    assert webhook_event_id(task_id) == webhook_event_id(task_id) == "msg_3f2a1c9e0b7d4e8f9a6b1c2d3e4f5a6b"
    assert webhook_event_id(None) != webhook_event_id(None)


def test_a_forged_or_replayed_signature_does_not_verify():
    body = b'{"event": "testimonial.published", "testimonial_id": 1}'
    headers = webhook_headers(event_id="msg_1", body=body, secret=SECRET)
    assert Webhook(SECRET).verify(body, headers) == {"event": "testimonial.published", "testimonial_id": 1}
    other = "whsec_" + base64.b64encode(b"another key of thirty-two bytes!").decode()
    with pytest.raises(WebhookVerificationError):
        Webhook(other).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body.replace(b"1}", b"2}"), headers)
    with pytest.raises(WebhookVerificationError):  # same id and body, another message's timestamp
        Webhook(SECRET).verify(body, {**headers, "webhook-timestamp": str(int(headers["webhook-timestamp"]) - 60)})


@pytest.mark.parametrize("secret", ["plain-text-secret", "whsec_", "whsec_not base64!"])
def test_a_secret_not_in_the_whsec_form_stops_the_site_from_starting(secret):
    env = {**os.environ, "MARKETING_WEBHOOK_URL": "https://example.com/hook", "MARKETING_WEBHOOK_SECRET": secret,
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "whsec_" in result.stderr


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


@pytest.mark.django_db
def test_the_delivery_log_is_listed_read_only_in_the_admin(admin_client):
    # given two attempts of one message
    common = {"event_id": "msg_abc", "event": "testimonial.published", "testimonial_id": 42, "duration_ms": 12}
    from django.utils import timezone

    first = WebhookAttempt.objects.create(**common, attempt=1, outcome="retrying", status_code=500,
                                          error="HTTP 500", started_at=timezone.now())
    WebhookAttempt.objects.create(**common, attempt=2, outcome="failed", status_code=503, error="HTTP 503",
                                  started_at=timezone.now())
    # when staff open the list, search it and open one attempt
    listing = admin_client.get("/admin/moderation/webhookattempt/")
    searched = admin_client.get("/admin/moderation/webhookattempt/?q=42").content.decode()
    detail = admin_client.get(f"/admin/moderation/webhookattempt/{first.pk}/change/")
    # then both attempts show, with nothing to add, save or delete
    page = listing.content.decode()
    assert listing.status_code == 200 and page.count("msg_abc") >= 2 and "HTTP 503" in page
    assert "Failed, gave up" in page and "/admin/moderation/webhookattempt/add/" not in page
    assert searched.count("msg_abc") >= 2
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert admin_client.post(f"/admin/moderation/webhookattempt/{first.pk}/delete/").status_code == 403
    assert WebhookAttempt.objects.count() == 2


@pytest.mark.django_db
def test_the_openapi_schema_documents_the_webhook_and_its_headers(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.1")
    hook = schema["webhooks"]["testimonialChanged"]["post"]
    assert {p["name"] for p in hook["parameters"] if p["in"] == "header"} == {
        "webhook-id", "webhook-timestamp", "webhook-signature"}
    body = hook["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"event", "testimonial_id"}
    assert body["properties"]["event"]["enum"] == ["testimonial.published", "testimonial.unpublished",
                                                   "testimonial.updated"]


@pytest.mark.django_db(transaction=True)
def test_a_wait_longer_than_a_minute_is_kept_in_the_database_and_sent_by_the_sweep_when_due(
        marketing_site, filesystem_broker, admin_user, settings):
    # given a site that fails once, and a first retry due in two minutes (longer than any countdown may last)
    marketing_site["answers"] = [500, OK]
    settings.WEBHOOK_RETRY_BASE_SECONDS = 120
    testimonial = in_review()
    with running_worker(filesystem_broker):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
        # (the attempt is logged first, its due time written just after: wait for both)
        assert wait_for(lambda: WebhookAttempt.objects.filter(outcome="retrying", requeue_at__isnull=False).exists())
        # then the retry waits in the delivery log, not in the broker, and the sweep leaves it until due
        first = WebhookAttempt.objects.get()
        assert 100 < (first.requeue_at - first.started_at).total_seconds() <= 121
        sweep_pending_testimonials_task.apply().get()
        assert len(marketing_site["received"]) == 1
        # when it is due, the sweep sends the second attempt under the same message id
        WebhookAttempt.objects.filter(pk=first.pk).update(requeue_at=first.started_at)
        sweep_pending_testimonials_task.apply().get()
        assert wait_for(lambda: WebhookAttempt.objects.filter(outcome="delivered").exists())
    rows = list(WebhookAttempt.objects.order_by("attempt").values_list("attempt", "outcome", "event_id"))
    assert rows == [(1, "retrying", first.event_id), (2, "delivered", first.event_id)]
    assert len({d["headers"]["webhook-id"] for d in marketing_site["received"]}) == 1
