"""Celery tasks: thin shells that reload rows by id and call one service."""
from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from reviews.models import Testimonial

logger = logging.getLogger(__name__)

# Transient failures worth retrying; anything else is a bug and should surface.
TRANSIENT = (OperationalError, ConnectionError, TimeoutError)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def analyze_testimonial_task(testimonial_id: int) -> None:
    """Analyse one testimonial and move it into the moderators' queue."""
    from .analysis_store import testimonial_analyze

    testimonial = Testimonial.objects.select_related("location").filter(pk=testimonial_id).first()
    if testimonial is None:
        logger.info("testimonial %s is gone; nothing to analyse", testimonial_id)
        return
    if testimonial.status == Testimonial.Status.WITHDRAWN:
        logger.info("testimonial %s was withdrawn; not analysed", testimonial_id)
        return
    testimonial_analyze(testimonial=testimonial)
    logger.info("testimonial %s analysed", testimonial_id)


@shared_task
def sweep_pending_testimonials_task() -> int:
    """Re-enqueue analyses and confirmation emails that never ran (broker down, message lost)."""
    from .queue import analysis_enqueue, confirmation_enqueue

    cutoff = timezone.now() - timedelta(minutes=settings.TESTIMONIAL_PENDING_SWEEP_MINUTES)
    pending = list(
        Testimonial.objects.filter(status=Testimonial.Status.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in pending:
        analysis_enqueue(testimonial_id=pk)
    unconfirmed = list(
        Testimonial.objects.filter(source=Testimonial.Source.FORM, confirmation_sent_at__isnull=True,
                                   created_at__lt=cutoff, personal_data_purged_at__isnull=True)
        .exclude(status=Testimonial.Status.WITHDRAWN)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in unconfirmed:
        confirmation_enqueue(testimonial_id=pk)
    if pending or unconfirmed:
        logger.info("sweep re-enqueued %d analyses and %d confirmations", len(pending), len(unconfirmed))
    return len(pending)


@shared_task(autoretry_for=TRANSIENT + (OSError,), retry_backoff=True, max_retries=8)
def send_confirmation_email_task(testimonial_id: int) -> None:
    """Email the patient a copy of the authorization and the withdrawal link (once)."""
    from .notifications import confirmation_send

    testimonial = Testimonial.objects.select_related("location", "therapist").filter(pk=testimonial_id).first()
    if testimonial is None or testimonial.confirmation_sent_at is not None:
        return
    confirmation_send(testimonial=testimonial)


# max_retries=None: the bound is WEBHOOK_MAX_ATTEMPTS, counted by the task itself so that the last
# failure is logged as "failed" rather than lost in Celery's MaxRetriesExceededError.
@shared_task(bind=True, max_retries=None)
def notify_marketing_site_task(self, testimonial_id: int, event: str) -> None:
    """Tell the marketing site that a testimonial was published, unpublished or changed; every attempt
    is logged, a failure retried with backoff up to WEBHOOK_MAX_ATTEMPTS, then marked failed."""
    from .webhooks import webhook_attempt, webhook_event_id, webhook_retry_delay

    if not settings.MARKETING_WEBHOOK_URL:
        return
    attempt = self.request.retries + 1
    # The task id survives Celery's retries, so every attempt of this message has the same webhook-id.
    event_id = webhook_event_id(self.request.id)
    logged = webhook_attempt(event_id=event_id, event=event, testimonial_id=testimonial_id, attempt=attempt,
                             last=attempt >= settings.WEBHOOK_MAX_ATTEMPTS)
    logger.info("webhook %s (%s, testimonial %s) attempt %d: %s", event_id, event, testimonial_id, attempt,
                logged.outcome)
    if logged.outcome == logged.Outcome.RETRYING:
        raise self.retry(countdown=webhook_retry_delay(attempt=attempt))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=300, max_retries=8)
def purge_cdn_task(testimonial_id: int) -> None:
    """Tell the CDN to drop its copies of the public API and feed after a publication change."""
    from .cdn import cdn_purge

    if not settings.CDN_PURGE_URL:
        return
    status = cdn_purge()
    logger.info("CDN purged after a change to testimonial %s (%s)", testimonial_id, status)


@shared_task(autoretry_for=TRANSIENT + (OSError,), retry_backoff=True, max_retries=8)
def send_publication_notice_task(testimonial_id: int) -> None:
    """Tell a patient who used the form that their testimonial is published (once)."""
    from .notifications import publication_notice_send

    testimonial = Testimonial.objects.select_related("location").filter(pk=testimonial_id).first()
    if testimonial is None or testimonial.source != Testimonial.Source.FORM or testimonial.publication_notice_sent_at:
        return
    publication_notice_send(testimonial=testimonial)


@shared_task(autoretry_for=TRANSIENT + (OSError,), retry_backoff=True, max_retries=5)
def remind_expiring_authorizations_task() -> int:
    """Email patients whose published testimonial's authorization expires within the notice period."""
    from .authorization import authorization_reminders_send

    return authorization_reminders_send()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def expire_authorizations_task() -> int:
    """Unpublish, through the workflow, every testimonial whose authorization has expired."""
    from .authorization import authorizations_expire

    return authorizations_expire()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def send_invitations_task(batch_id: int) -> int:
    """Send every invitation of one upload that is still waiting (each once)."""
    from .invitations.sending import invitation_batch_send

    return invitation_batch_send(batch_id=batch_id)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def send_invitation_reminders_task() -> int:
    """The single reminder after INVITATION_REMINDER_DAYS; also sends invitations left pending."""
    from .invitations.sending import invitation_reminders_send

    return invitation_reminders_send()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def send_moderation_digest_task() -> int:
    """Email each moderator and clinic manager what waits in their clinics; returns how many were sent."""
    from .digest import digest_send_all

    return digest_send_all()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def purge_expired_personal_data_task() -> int:
    """Remove the personal data of withdrawn testimonials and spam past their retention period."""
    from .retention import retention_apply

    return retention_apply().total
