"""Signed notifications to the marketing site when what it may show changes.

The payload names the testimonial and the event only; the site reads the public API for the rest,
so nothing private ever leaves through this channel. The signature is an HMAC-SHA256 over
"<timestamp>.<body>" with MARKETING_WEBHOOK_SECRET, sent as `X-Testimonials-Signature:
t=<timestamp>,v1=<hex>`: the site recomputes it and refuses old timestamps (replays)."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request

from django.conf import settings

EVENTS = ("testimonial.published", "testimonial.unpublished", "testimonial.updated")


def webhook_signature(*, body: bytes, timestamp: int, secret: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_deliver(*, testimonial_id: int, event: str) -> int:
    """POST the event to MARKETING_WEBHOOK_URL; returns the HTTP status (raises on network errors)."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    body = json.dumps({"event": event, "testimonial_id": testimonial_id}).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(
        settings.MARKETING_WEBHOOK_URL, data=body, method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "testimonials-webhook/1",
                 "X-Testimonials-Signature": webhook_signature(body=body, timestamp=timestamp,
                                                               secret=settings.MARKETING_WEBHOOK_SECRET)})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (URL from settings)
        return response.status
