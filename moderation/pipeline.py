"""The background steps of a testimonial (analysis, confirmation email): counting runs, giving up for
good with the error on the row, and the sweep that sends whatever never reached the broker."""
from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from reviews.models import Testimonial

from .models import WebhookAttempt
from .queue import steps_send, webhook_enqueue

logger = logging.getLogger(__name__)

STEPS = ("analysis", "confirmation", "notice")
# A "now published" email later than this is no longer news: the sweep leaves older ones alone.
NOTICE_WINDOW = timedelta(days=7)
SWEEP_BATCH = 500


def step_attempt_start(*, testimonial_id: int, step: str) -> bool:
    """Count one run of `step`; False (and the row marked failed) once TASK_MAX_ATTEMPTS runs were made,
    e.g. a text that kills the worker each time it is analysed."""
    Testimonial.objects.filter(pk=testimonial_id).update(**{f"{step}_attempts": F(f"{step}_attempts") + 1})
    attempts = Testimonial.objects.filter(pk=testimonial_id).values_list(f"{step}_attempts", flat=True).first()
    if attempts is not None and attempts > settings.TASK_MAX_ATTEMPTS:
        step_failed(testimonial_id=testimonial_id, step=step,
                    error=f"gave up after {settings.TASK_MAX_ATTEMPTS} attempts")
        return False
    return True


def step_failed(*, testimonial_id: int, step: str, error: BaseException | str) -> None:
    """Mark `step` failed for good: the admin shows it with the error, the sweep no longer sends it."""
    if isinstance(error, BaseException):
        error = f"{type(error).__name__}: {error}"
    Testimonial.objects.filter(pk=testimonial_id, **{f"{step}_failed_at__isnull": True}).update(
        **{f"{step}_failed_at": timezone.now(), f"{step}_error": error[:200]})
    logger.error("%s of testimonial %s failed for good: %s", step, testimonial_id, error[:200])


def steps_retry(*, testimonial_ids: list[int]) -> int:
    """A moderator's "try again": clear the failure markers and counts; the next sweep sends them."""
    changed = 0
    for step in STEPS:
        changed += Testimonial.objects.filter(pk__in=testimonial_ids, **{f"{step}_failed_at__isnull": False}).update(
            **{f"{step}_failed_at": None, f"{step}_error": "", f"{step}_attempts": 0, f"{step}_queued_at": None})
    return changed


def _due(step: str) -> Q:
    """Rows whose `step` should be (re)sent: never handed to the broker, or handed over so long ago that
    the message must have been lost (TESTIMONIAL_PENDING_SWEEP_MINUTES, beyond the visibility timeout)."""
    stale = timezone.now() - timedelta(minutes=settings.TESTIMONIAL_PENDING_SWEEP_MINUTES)
    waiting = Q(**{f"{step}_queued_at__isnull": True}) | Q(**{f"{step}_queued_at__lt": stale})
    # A row whose personal data retention removed is never analysed or emailed again.
    due = waiting & Q(**{f"{step}_failed_at__isnull": True}, personal_data_purged_at__isnull=True)
    if step == "analysis":
        return due & Q(status=Testimonial.Status.PENDING)
    if step == "notice":
        return due & Q(status=Testimonial.Status.APPROVED, source=Testimonial.Source.FORM,
                       publication_notice_sent_at__isnull=True,
                       published_at__gte=timezone.now() - NOTICE_WINDOW)
    return due & Q(source=Testimonial.Source.FORM, confirmation_sent_at__isnull=True) & ~Q(
        status=Testimonial.Status.WITHDRAWN)


def _claim(step: str) -> list[int]:
    with transaction.atomic():
        ids = list(Testimonial.objects.select_for_update(skip_locked=True).filter(_due(step))
                   .order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH])
        Testimonial.objects.filter(pk__in=ids).update(**{f"{step}_queued_at": timezone.now()})
    return ids


def pending_sweep() -> dict[str, int]:
    """Send every analysis and confirmation that is due, and every webhook held back while the broker was
    away, in one attempt; counts of what was sent."""
    claims = [(step, pk) for step in STEPS for pk in _claim(step)]
    sent = steps_send(claims)
    counts = {step: sum(1 for s, _ in claims[:sent] if s == step) for step in STEPS}
    counts["webhook"] = _webhooks_resend()
    if any(counts.values()) or len(claims) > sent:
        logger.info("sweep sent %d analyses, %d confirmations, %d publication notices, %d webhooks "
                    "(%d left for the next sweep)", counts["analysis"], counts["confirmation"], counts["notice"],
                    counts["webhook"], len(claims) - sent)
    return counts


def _webhooks_resend() -> int:
    """Webhook messages the broker refused at publication (held in the delivery log with `requeue_at`)."""
    sent = 0
    for row in WebhookAttempt.objects.filter(requeue_at__lte=timezone.now()).order_by("requeue_at")[:SWEEP_BATCH]:
        # Claim the row (clear requeue_at) first, so two sweeps never send it twice.
        if not WebhookAttempt.objects.filter(pk=row.pk, requeue_at__isnull=False).update(requeue_at=None):
            continue
        if not webhook_enqueue(testimonial_id=row.testimonial_id, event=row.event, event_id=row.event_id,
                               attempt=row.attempt + 1):
            WebhookAttempt.objects.filter(pk=row.pk).update(requeue_at=row.requeue_at)
            break  # the broker is away again: the next sweep goes on
        sent += 1
    return sent
