"""Notifications to the marketing site when what it may show changes, per the Standard Webhooks spec.

Each message carries `webhook-id` (the same for every retry of one message, so the site can drop
duplicates), `webhook-timestamp` (of this attempt) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
"<id>.<timestamp>.<body>">` under MARKETING_WEBHOOK_SECRET, a `whsec_<base64>` key). The body names the
event and the testimonial only; the site reads the public API for the rest, so nothing private ever
leaves through this channel. Every attempt is logged as a WebhookAttempt row."""
from __future__ import annotations

import hashlib
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from .models import WebhookAttempt

logger = logging.getLogger(__name__)

EVENTS = ("testimonial.published", "testimonial.unpublished", "testimonial.updated")


@dataclass(frozen=True)
class AttemptResult:
    ok: bool
    status_code: int | None
    error: str


def webhook_event_id(seed: str | None = None) -> str:
    """A message id (`msg_…`): from a stable seed (the Celery task id, kept across retries), or new."""
    if not seed:
        return f"msg_{uuid.uuid4().hex}"
    try:
        return f"msg_{uuid.UUID(seed).hex}"
    except ValueError:  # a task id that is not a UUID: still stable, still short
        return f"msg_{hashlib.sha256(seed.encode()).hexdigest()[:32]}"


def webhook_body(*, testimonial_id: int, event: str) -> bytes:
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    return json.dumps({"event": event, "testimonial_id": testimonial_id}).encode()


def webhook_headers(*, event_id: str, body: bytes, secret: str, at: datetime | None = None) -> dict[str, str]:
    """The three Standard Webhooks headers for one attempt (signed with the standardwebhooks library)."""
    at = at or datetime.now(UTC)
    signature = Webhook(secret).sign(msg_id=event_id, timestamp=at, data=body.decode())
    return {"webhook-id": event_id, "webhook-timestamp": str(int(at.timestamp())), "webhook-signature": signature}


def webhook_post(*, event_id: str, body: bytes) -> AttemptResult:
    """One POST to MARKETING_WEBHOOK_URL; any answer but 2xx, or no answer, is a failure."""
    headers = {"Content-Type": "application/json", "User-Agent": "testimonials-webhook/2",
               **webhook_headers(event_id=event_id, body=body, secret=settings.MARKETING_WEBHOOK_SECRET)}
    request = urllib.request.Request(settings.MARKETING_WEBHOOK_URL, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return AttemptResult(ok=200 <= response.status < 300, status_code=response.status, error="")
    except urllib.error.HTTPError as error:
        return AttemptResult(ok=False, status_code=error.code, error=f"HTTP {error.code}")
    except (OSError, ValueError) as error:  # refused, timed out, DNS, TLS…: the class and reason, never the URL
        reason = getattr(error, "reason", error)
        return AttemptResult(ok=False, status_code=None, error=f"{type(error).__name__}: {reason}"[:200])


def webhook_attempt(*, event_id: str, event: str, testimonial_id: int, attempt: int,
                    last: bool) -> WebhookAttempt:
    """Deliver one attempt of one message and log it; `last` marks a failure as final ("failed")."""
    body = webhook_body(testimonial_id=testimonial_id, event=event)
    started_at, clock = timezone.now(), time.monotonic()
    result = webhook_post(event_id=event_id, body=body)
    if result.ok:
        outcome = WebhookAttempt.Outcome.DELIVERED
    else:
        outcome = WebhookAttempt.Outcome.FAILED if last else WebhookAttempt.Outcome.RETRYING
    return WebhookAttempt.objects.create(
        event_id=event_id, event=event, testimonial_id=testimonial_id, attempt=attempt, outcome=outcome,
        status_code=result.status_code, error=result.error, started_at=started_at,
        duration_ms=round((time.monotonic() - clock) * 1000))


def webhook_not_queued(*, testimonial_id: int, event: str) -> None:
    """The broker refused the message: hold it in the delivery log (attempt 0, "will retry", due now) for
    the pending sweep to send; a log line if even the database is down."""
    try:
        WebhookAttempt.objects.create(
            event_id=webhook_event_id(), event=event, testimonial_id=testimonial_id, attempt=0,
            outcome=WebhookAttempt.Outcome.RETRYING, error="not queued: the task broker was unavailable",
            started_at=timezone.now(), duration_ms=0, requeue_at=timezone.now())
    except Exception as error:
        logger.error("webhook %s for testimonial %s neither queued nor logged (%s)", event, testimonial_id,
                     type(error).__name__)


def webhook_requeue_later(*, logged: WebhookAttempt, delay: int) -> None:
    """Keep a long wait before the next attempt in the database; the sweep sends it when due."""
    WebhookAttempt.objects.filter(pk=logged.pk).update(requeue_at=timezone.now() + timedelta(seconds=delay))


# At most half an hour between attempts (waits beyond a minute are kept in the database, see the task).
MAX_RETRY_DELAY = 1800


def webhook_retry_delay(*, attempt: int) -> int:
    """Seconds before the next attempt: doubling from WEBHOOK_RETRY_BASE_SECONDS, at most half an hour."""
    return min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempt - 1), MAX_RETRY_DELAY)
