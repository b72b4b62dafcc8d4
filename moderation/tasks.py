"""Celery tasks: thin shells that reload rows by id and call one service."""
from __future__ import annotations

import logging

from celery import Task, shared_task
from celery.exceptions import Retry
from django.conf import settings
from django.db import OperationalError

from config.celery import app  # noqa: F401 (first: shared_task binds to the project's app, not Celery's default)
from reviews.models import Testimonial

logger = logging.getLogger(__name__)

# Transient failures worth retrying; anything else is a bug and should surface.
TRANSIENT = (OperationalError, ConnectionError, TimeoutError)


class StepTask(Task):
    """A testimonial's background step: a run that fails for good (an unexpected error, or a transient
    one after its retries) marks the row failed with the error, visible in the admin."""

    step = ""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        from .pipeline import step_failed

        try:
            step_failed(testimonial_id=args[0], step=self.step, error=exc)
        except Exception as error:
            logger.error("could not mark %s of testimonial %s failed: %s", self.step, args[0], error)


# retry_backoff_max: every countdown stays under the broker's visibility timeout (settings).
RETRY = {"retry_backoff": True, "retry_backoff_max": settings.RETRY_COUNTDOWN_MAX}


@shared_task(base=StepTask, step="analysis", autoretry_for=TRANSIENT, max_retries=4, **RETRY)
def analyze_testimonial_task(testimonial_id: int) -> None:
    """Analyse one pending testimonial and move it into the moderators' queue (once: a redelivered
    message finds it past the step and returns)."""
    from .analysis_store import testimonial_analyze
    from .pipeline import step_attempt_start

    testimonial = Testimonial.objects.select_related("location").filter(pk=testimonial_id).first()
    if testimonial is None:
        logger.info("testimonial %s is gone; nothing to analyse", testimonial_id)
        return
    if testimonial.status != Testimonial.Status.PENDING or testimonial.analysis_failed_at:
        logger.info("testimonial %s is %s; not analysed again", testimonial_id, testimonial.status)
        return
    if not step_attempt_start(testimonial_id=testimonial_id, step="analysis"):
        return
    testimonial_analyze(testimonial=testimonial)
    logger.info("testimonial %s analysed", testimonial_id)


@shared_task
def sweep_pending_testimonials_task() -> int:
    """Send analyses, confirmation emails and webhooks that never reached the broker (or were lost)."""
    from .pipeline import pending_sweep

    return pending_sweep()["analysis"]


@shared_task(base=StepTask, step="confirmation", autoretry_for=TRANSIENT + (OSError,), max_retries=4, **RETRY)
def send_confirmation_email_task(testimonial_id: int) -> None:
    """Email the patient a copy of the authorization and the withdrawal link (once)."""
    from .notifications import confirmation_send
    from .pipeline import step_attempt_start

    testimonial = Testimonial.objects.select_related("location", "therapist").filter(pk=testimonial_id).first()
    if testimonial is None or testimonial.confirmation_sent_at is not None or testimonial.confirmation_failed_at:
        return
    if not step_attempt_start(testimonial_id=testimonial_id, step="confirmation"):
        return
    confirmation_send(testimonial=testimonial)


# max_retries=None: the bound is WEBHOOK_MAX_ATTEMPTS, counted by the task itself so that the last
# failure is logged as "failed" rather than lost in Celery's MaxRetriesExceededError.
@shared_task(bind=True, max_retries=None)
def notify_marketing_site_task(self, testimonial_id: int, event: str, event_id: str | None = None,
                               first_attempt: int = 1) -> None:
    """Tell the marketing site that a testimonial was published, unpublished or changed; every attempt
    is logged, a failure retried with backoff up to WEBHOOK_MAX_ATTEMPTS, then marked failed."""
    from .webhooks import webhook_attempt, webhook_event_id, webhook_requeue_later, webhook_retry_delay

    if not settings.MARKETING_WEBHOOK_URL:
        return
    attempt = first_attempt + self.request.retries
    # The task id survives Celery's retries, so every attempt of this message has the same webhook-id
    # (a message the sweep resumes brings the id it was logged under).
    event_id = event_id or webhook_event_id(self.request.id)
    logged = webhook_attempt(event_id=event_id, event=event, testimonial_id=testimonial_id, attempt=attempt,
                             last=attempt >= settings.WEBHOOK_MAX_ATTEMPTS)
    logger.info("webhook %s (%s, testimonial %s) attempt %d: %s", event_id, event, testimonial_id, attempt,
                logged.outcome)
    if logged.outcome == logged.Outcome.RETRYING:
        delay = webhook_retry_delay(attempt=attempt)
        if delay <= settings.RETRY_COUNTDOWN_MAX:
            try:
                raise self.retry(countdown=delay)
            except Retry:
                raise
            except Exception as error:
                logger.warning("webhook %s retry not queued (%s); the sweep sends it", event_id, type(error).__name__)
        # Longer waits (and retries the broker refused) are kept in the database, since a countdown beyond the
        # broker's visibility timeout would be handed out twice: the sweep sends the next attempt when due.
        webhook_requeue_later(logged=logged, delay=delay)


@shared_task(autoretry_for=(OSError,), max_retries=8, **RETRY)
def purge_cdn_task(testimonial_id: int | None) -> None:
    """Tell the CDN to drop its copies of the public API and feed after a publication change (or, with
    None, a change to a clinic, therapist or tag)."""
    from .cdn import cdn_purge

    if not settings.CDN_PURGE_URL:
        return
    status = cdn_purge()
    what = f"testimonial {testimonial_id}" if testimonial_id is not None else "the clinics, therapists or tags"
    logger.info("CDN purged after a change to %s (%s)", what, status)


@shared_task(base=StepTask, step="notice", autoretry_for=TRANSIENT + (OSError,), max_retries=4, **RETRY)
def send_publication_notice_task(testimonial_id: int) -> None:
    """Tell a patient who used the form that their testimonial is published (once)."""
    from .notifications import publication_notice_send
    from .pipeline import step_attempt_start

    testimonial = Testimonial.objects.select_related("location").filter(pk=testimonial_id).first()
    if testimonial is None or testimonial.source != Testimonial.Source.FORM or testimonial.publication_notice_sent_at \
            or testimonial.notice_failed_at:
        return
    if not step_attempt_start(testimonial_id=testimonial_id, step="notice"):
        return
    publication_notice_send(testimonial=testimonial)


@shared_task(autoretry_for=TRANSIENT + (OSError,), max_retries=5, **RETRY)
def remind_expiring_authorizations_task() -> int:
    """Email patients whose published testimonial's authorization expires within the notice period."""
    from .authorization import authorization_reminders_send

    return authorization_reminders_send()


@shared_task(autoretry_for=TRANSIENT, max_retries=5, **RETRY)
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
