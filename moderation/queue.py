"""Enqueueing: the one place that sends tasks to the broker. The database row is the truth, the queue a
nudge: what never left is sent by the pending sweep (moderation.sweep).

The request path never waits long on the broker. Every send is one attempt over one fresh connection
with short socket timeouts (BROKER_CONNECT_TIMEOUT, BROKER_SOCKET_TIMEOUT): a submission's analysis and
confirmation go together, so a refused or hung Redis costs a patient one timeout at most. After a
failure a small circuit breaker skips sending in this process for BROKER_BREAKER_SECONDS, and the
failure is one log line (no traceback).

A testimonial's analysis and confirmation are claimed before they are sent (`*_queued_at`, set only
where it is empty) and released when the broker refused them, so whoever claims a message sends it
and nothing is sent twice."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from reviews.models import Testimonial

if TYPE_CHECKING:  # Celery loads with moderation.tasks, when something is enqueued, not with Django
    from celery import Task

logger = logging.getLogger(__name__)

Job = tuple["Task", Sequence[object]]

_breaker_lock = threading.Lock()
_breaker_open_until = 0.0  # time.monotonic() before which nothing is sent


def breaker_is_open() -> bool:
    return time.monotonic() < _breaker_open_until


def breaker_reset() -> None:
    """Close the breaker (tests; a process that knows the broker is back)."""
    global _breaker_open_until
    with _breaker_lock:
        _breaker_open_until = 0.0


def _breaker_trip(error: BaseException) -> None:
    global _breaker_open_until
    with _breaker_lock:
        _breaker_open_until = time.monotonic() + settings.BROKER_BREAKER_SECONDS
    # One line, no traceback: an outage is an operational fact, not a bug.
    logger.warning("broker unavailable (%s: %s); not enqueueing for %g s, the sweep sends what waits",
                   type(error).__name__, str(error)[:160], settings.BROKER_BREAKER_SECONDS)


def _fast_transport_options() -> dict:
    # Merged over CELERY_BROKER_TRANSPORT_OPTIONS by Celery. max_retries=0: one attempt to connect.
    return {"socket_connect_timeout": settings.BROKER_CONNECT_TIMEOUT,
            "socket_timeout": settings.BROKER_SOCKET_TIMEOUT, "max_retries": 0}


def broker_send(jobs: Sequence[Job]) -> int:
    """Send the jobs in order over one connection, in one attempt; how many were sent (all of them, or
    fewer when the broker refused, hung or the breaker is open)."""
    if not jobs:
        return 0
    if breaker_is_open():
        return 0
    app = jobs[0][0].app
    sent = 0
    try:
        with app.connection_for_write(transport_options=_fast_transport_options(),
                                      connect_timeout=settings.BROKER_CONNECT_TIMEOUT) as connection:
            for task, args in jobs:
                task.apply_async(args=list(args), connection=connection, retry=False)
                sent += 1
    except Exception as error:  # any broker, socket or timeout error: the sweep catches up
        _breaker_trip(error)
    return sent


# ---------------------------------------------------------------------------- testimonial steps
def _tasks() -> dict[str, Task]:
    from .tasks import analyze_testimonial_task, send_confirmation_email_task, send_publication_notice_task

    return {"analysis": analyze_testimonial_task, "confirmation": send_confirmation_email_task,
            "notice": send_publication_notice_task}


def steps_send(claims: Iterable[tuple[str, int]]) -> int:
    """Send claimed steps (("analysis" | "confirmation" | "notice", testimonial id), …) in one attempt and release
    the claims of those the broker did not take; how many were sent."""
    claims = list(claims)
    tasks = _tasks()
    sent = broker_send([(tasks[step], (pk,)) for step, pk in claims])
    for step, pk in claims[sent:]:
        Testimonial.objects.filter(pk=pk).update(**{f"{step}_queued_at": None})
    return sent


def submission_enqueue(*, testimonial_id: int, confirm: bool) -> bool:
    """After a submission's commit: its analysis (and confirmation email) in one attempt."""
    claims = []
    try:
        for step in ("analysis", "confirmation") if confirm else ("analysis",):
            if Testimonial.objects.filter(pk=testimonial_id, **{f"{step}_queued_at__isnull": True}).update(
                    **{f"{step}_queued_at": timezone.now()}):
                claims.append((step, testimonial_id))
        return steps_send(claims) == len(claims)
    except DatabaseError as error:
        # The row is committed; a database gone in the meantime must not turn the thanks page into an
        # error. Whatever was not claimed, or not released, the sweep finds (a stale claim after a while).
        logger.warning("testimonial %s stored, not enqueued: database unavailable (%s)", testimonial_id,
                       type(error).__name__)
        return False


# ---------------------------------------------------------------------------- other messages
def enqueue(task: Task, *args: object) -> bool:
    """Send one task; a broker outage is logged (once per breaker period), never raised."""
    return broker_send([(task, args)]) == 1


def webhook_enqueue(*, testimonial_id: int, event: str, event_id: str | None = None, attempt: int = 1) -> bool:
    """Queue the signed notification of the marketing site (`event_id`/`attempt` when resuming one)."""
    from .tasks import notify_marketing_site_task

    return enqueue(notify_marketing_site_task, testimonial_id, event, event_id, attempt)


def publication_notice_enqueue(*, testimonial_id: int) -> bool:
    """Queue the patient's "your testimonial is published" email, claimed like a submission's steps: if
    the broker does not take it, the sweep sends it (moderation.pipeline)."""
    try:
        if not Testimonial.objects.filter(pk=testimonial_id, notice_queued_at__isnull=True,
                                          publication_notice_sent_at__isnull=True).update(notice_queued_at=timezone.now()):
            return True  # already on its way, or sent
        return steps_send([("notice", testimonial_id)]) == 1
    except DatabaseError as error:
        logger.warning("publication notice of testimonial %s not enqueued: database unavailable (%s)", testimonial_id,
                       type(error).__name__)
        return False


def cdn_purge_enqueue(*, testimonial_id: int | None) -> bool:
    """Queue the CDN purge that follows a publication change (CDN_PURGE_URL); None: a clinic, therapist or tag."""
    from .tasks import purge_cdn_task

    return enqueue(purge_cdn_task, testimonial_id)
