"""Enqueueing: the one place that sends tasks to the broker (the database row is the truth, the queue
a nudge; the pending sweep catches up on anything that never left)."""
from __future__ import annotations

import logging

from celery import Task

logger = logging.getLogger(__name__)


def enqueue(task: Task, testimonial_id: int, *args: object) -> bool:
    """Send a task; a broker outage is logged, never raised (the database row is the truth)."""
    try:
        # retry=False: with the broker down, fail fast instead of holding the request.
        task.apply_async(args=[testimonial_id, *args], retry=False)
    except Exception:  # any broker or connection error
        logger.warning("could not enqueue %s for testimonial %s", task.name, testimonial_id, exc_info=True)
        return False
    return True


def analysis_enqueue(*, testimonial_id: int) -> bool:
    """Nudge the worker; if the broker is down, log it and let the pending sweep pick the row up."""
    from .tasks import analyze_testimonial_task

    return enqueue(analyze_testimonial_task, testimonial_id)


def confirmation_enqueue(*, testimonial_id: int) -> bool:
    """Queue the patient's confirmation email; a broker outage is logged, never raised."""
    from .tasks import send_confirmation_email_task

    return enqueue(send_confirmation_email_task, testimonial_id)


def webhook_enqueue(*, testimonial_id: int, event: str) -> bool:
    """Queue the signed notification of the marketing site."""
    from .tasks import notify_marketing_site_task

    return enqueue(notify_marketing_site_task, testimonial_id, event)


def publication_notice_enqueue(*, testimonial_id: int) -> bool:
    """Queue the patient's "your testimonial is published" email; a broker outage is logged, never raised."""
    from .tasks import send_publication_notice_task

    return enqueue(send_publication_notice_task, testimonial_id)


def cdn_purge_enqueue(*, testimonial_id: int) -> bool:
    """Queue the CDN purge that follows a publication change (CDN_PURGE_URL)."""
    from .tasks import purge_cdn_task

    return enqueue(purge_cdn_task, testimonial_id)
