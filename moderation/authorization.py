"""The authorization over time: a reminder before it expires, renewal by the patient, and unpublishing
at expiry through the workflow (an expiry is a publication change like any other)."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reviews.consent import CURRENT_VERSION, consent_expiry, consent_text
from reviews.models import Authorization, Testimonial

from .models import RejectionReason, TransitionEvent
from .publication import publication_changed
from .workflow import TransitionError, testimonial_reject, testimonial_reopen

logger = logging.getLogger(__name__)
S = Testimonial.Status
EXPIRED_NOTE = "authorization expired on {date}"


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def authorizations_expire(*, now: datetime | None = None) -> int:
    """Take down every published testimonial whose authorization has expired; the number taken down."""
    now = now or timezone.now()
    done = 0
    for testimonial in Testimonial.objects.filter(status=S.APPROVED, consent_expires_at__lte=now).order_by("pk"):
        try:
            testimonial_reject(testimonial=testimonial, actor=None, reason=RejectionReason.NO_CONSENT,
                               note=EXPIRED_NOTE.format(date=_day(testimonial.consent_expires_at)),
                               expected_status=S.APPROVED)
            done += 1
        except TransitionError:
            logger.info("testimonial %s changed while its expiry was processed", testimonial.pk)
    if done:
        logger.info("%d testimonial(s) unpublished: authorization expired", done)
    return done


def authorizations_expiring(*, now: datetime | None = None):
    """Published testimonials whose authorization expires within the notice period, not yet reminded."""
    now = now or timezone.now()
    notice = now + timedelta(days=settings.CONSENT_RENEWAL_NOTICE_DAYS)
    return Testimonial.objects.filter(status=S.APPROVED, consent_expires_at__gt=now, consent_expires_at__lte=notice,
                                      consent_reminder_sent_at__isnull=True).order_by("consent_expires_at")


def authorization_reminders_send(*, now: datetime | None = None) -> int:
    """Email each patient whose published testimonial's authorization expires soon (once per authorization)."""
    from .notifications import renewal_reminder_send

    sent = 0
    for testimonial in authorizations_expiring(now=now).select_related("location")[:500]:
        sent += bool(renewal_reminder_send(testimonial=testimonial))
    return sent


def authorization_renew(*, testimonial: Testimonial, language: str | None = None) -> Authorization:
    """The patient renews: a new authorization row (the current text, naming the current condition), the
    testimonial's consent fields updated, the renewal recorded; one taken down at expiry goes back to review."""
    now = timezone.now()
    with transaction.atomic():
        row = Testimonial.objects.select_for_update().filter(pk=testimonial.pk).first()
        if row is None or row.status == S.WITHDRAWN:
            raise TransitionError(f"Testimonial #{testimonial.pk} was withdrawn; it cannot be authorized again.")
        language = (language or row.locale or "en")[:2]
        expires = consent_expiry(given_at=now)
        authorization = Authorization.objects.create(
            testimonial=row, version=CURRENT_VERSION, language=language, given_at=now, expires_at=expires,
            text=consent_text(version=CURRENT_VERSION, given_at=now, language=language, condition=row.condition),
            source=Authorization.Source.RENEWAL)
        Testimonial.objects.filter(pk=row.pk).update(
            consent_text=authorization.text, consent_version=CURRENT_VERSION, consented_at=now,
            condition_authorized=bool(row.condition),
            consent_expires_at=expires, consent_reminder_sent_at=None, updated_at=now)
        TransitionEvent.objects.create(testimonial_id=row.pk, from_status=row.status, to_status=row.status,
                                       reason="renewed", note=f"authorization renewed until {_day(expires)}")
        last = row.events.exclude(reason="renewed").order_by("-created_at", "-id").first()
        if row.status == S.REJECTED and last is not None and last.reason == RejectionReason.NO_CONSENT \
                and last.note.startswith("authorization expired"):
            # Taken down only because it expired: the renewed one goes back to the moderators.
            testimonial_reopen(testimonial=row, actor=None, note="authorization renewed by the patient",
                               expected_status=S.REJECTED)
        transaction.on_commit(lambda: publication_changed(testimonial_id=row.pk))
    testimonial.refresh_from_db()
    return authorization
