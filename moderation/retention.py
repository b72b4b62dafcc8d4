"""Retention: personal data is kept no longer than it serves the patient or the moderators.

- A withdrawn testimonial (any source but demo data) loses its personal data RETENTION_WITHDRAWN_DAYS after
  the withdrawal: long enough to answer "did I really withdraw?", no longer.
- Spam loses it sooner, RETENTION_SPAM_DAYS after the rejection: honeypot catches still rejected, and
  patient-form posts whose latest rejection was on the spam ground. The delay is the moderators' window to
  reopen a real patient's post caught by mistake.
- Nothing else is ever purged by age: not imports (the practice's own records, never confirmed by email: only
  a withdrawal purges them), not rows pending, in review, published or rejected on other grounds, not the
  fictional demo data (so `seed_demo` stays idempotent).

What goes: names, email, the words (public and original), the typed condition (also inside the stored
authorization texts), the network-origin hash, the submission key and text fingerprint (keyed hashes of the
words), the analysis and flags (sentences, spans and claims quote the words), free-text notes that people
wrote on its history, and the name in the admin's change log. What stays: the row with clinic, therapist,
rating, tags, language, source, status, dates and the authorization's version and dates (the counts, the
even-handedness report and the audit need them), and every history event's who/when/from/to/why. A purge
is itself recorded as a history event, and a purged testimonial can never change state again.

History notes: `TransitionEvent.note` is free text a moderator may fill with anything (a phone call, a
relative's name), so retention replaces the notes people wrote with NOTE_ERASED. Notes the system writes
(actor None: analysis, honeypot, expiry, renewal) and redaction summaries (flag codes) are generated from
fixed words and stay. The audit trail's triggers allow exactly that one change, and only on a purged
testimonial (migration 0008_audit_notes_erasable_after_purge); everything else about history stays
append-only.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from reviews.consent import consent_text_without_condition
from reviews.models import Authorization, Testimonial

from .models import Analysis, Flag, RejectionReason, TransitionEvent

logger = logging.getLogger(__name__)
S = Testimonial.Status
Source = Testimonial.Source

# Must equal the marker the triggers accept (migration 0008_audit_notes_erasable_after_purge).
NOTE_ERASED = "[note removed with the personal data]"
PURGED_REASON = "personal_data_purged"
# Imported authorizations (version 0) are free text from a CSV: nothing in them is known to be safe to keep.
IMPORTED_TEXT_REMOVED = "[imported authorization on file; its text was removed with the personal data]"
WITHDRAWN, SPAM = "withdrawn", "spam"
BATCH = 500


@dataclass(frozen=True)
class RetentionReport:
    withdrawn: int
    spam: int

    @property
    def total(self) -> int:
        return self.withdrawn + self.spam


def _last_move_to(status: str) -> QuerySet[TransitionEvent]:
    return TransitionEvent.objects.filter(testimonial=OuterRef("pk"), to_status=status).order_by("-created_at", "-id")


def testimonials_due(*, rule: str, now: datetime | None = None) -> QuerySet[Testimonial]:
    """Testimonials whose personal data is due for removal under `rule` (WITHDRAWN or SPAM), oldest first."""
    now = now or timezone.now()
    # When the row entered its state: its latest event to that state (updated_at for rows without history).
    if rule == WITHDRAWN:
        cutoff = now - timedelta(days=settings.RETENTION_WITHDRAWN_DAYS)
        rows = (Testimonial.objects.filter(status=S.WITHDRAWN).exclude(source=Source.DEMO)
                .annotate(since=Coalesce(Subquery(_last_move_to(S.WITHDRAWN).values("created_at")[:1]),
                                         F("updated_at"))))
    elif rule == SPAM:
        cutoff = now - timedelta(days=settings.RETENTION_SPAM_DAYS)
        rows = (Testimonial.objects.filter(status=S.REJECTED)
                .annotate(since=Coalesce(Subquery(_last_move_to(S.REJECTED).values("created_at")[:1]),
                                         F("updated_at")),
                          ground=Subquery(_last_move_to(S.REJECTED).values("reason")[:1]))
                # Honeypot catches (a reopened one became a form post), and patients' posts rejected as spam;
                # never an import or demo data.
                .filter(Q(source=Source.HONEYPOT) | Q(source=Source.FORM, ground=RejectionReason.SPAM)))
    else:
        raise ValueError(f"unknown retention rule {rule!r}")
    return rows.filter(personal_data_purged_at__isnull=True, since__lt=cutoff).order_by("since", "pk")


def testimonial_purge_personal_data(*, testimonial_id: int, rule: str, now: datetime | None = None) -> bool:
    """Remove one testimonial's personal data if it is (still) due under `rule`; False if it is not."""
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the row, then check again: a moderator may have reopened it since it was listed.
        row = Testimonial.objects.select_for_update().filter(pk=testimonial_id).first()
        if row is None or not testimonials_due(rule=rule, now=now).filter(pk=testimonial_id).exists():
            return False
        Testimonial.objects.filter(pk=row.pk).update(
            first_name="", last_name="", email="", display_as=Testimonial.DisplayAs.ANONYMOUS,
            body="", body_original="", condition="", condition_original="", origin_hash="", fingerprint="",
            # Unique, and no longer a keyed hash of the email and words.
            submission_key=f"purged-{row.pk}",
            consent_text=_authorization_text_kept(row.consent_text, version=row.consent_version),
            personal_data_purged_at=now, updated_at=now,
        )
        for authorization in Authorization.objects.filter(testimonial_id=row.pk):
            Authorization.objects.filter(pk=authorization.pk).update(
                text=_authorization_text_kept(authorization.text, version=authorization.version))
        Analysis.objects.filter(testimonial_id=row.pk).delete()
        Flag.objects.filter(testimonial_id=row.pk).delete()
        # Notes people wrote may hold anything; generated ones (system, redaction summaries) stay.
        (TransitionEvent.objects.filter(testimonial_id=row.pk, actor__isnull=False)
         .exclude(note="").exclude(note=NOTE_ERASED).exclude(reason="redacted")
         .update(note=NOTE_ERASED))
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Testimonial),
                                object_id=str(row.pk)).update(object_repr=f"#{row.pk} (personal data removed)")
        days = settings.RETENTION_WITHDRAWN_DAYS if rule == WITHDRAWN else settings.RETENTION_SPAM_DAYS
        TransitionEvent.objects.create(
            testimonial_id=row.pk, from_status=row.status, to_status=row.status, actor=None, reason=PURGED_REASON,
            note=f"personal data removed by retention ({rule}: more than {days} days)")
    return True


def retention_apply(*, now: datetime | None = None, limit: int | None = BATCH) -> RetentionReport:
    """Purge every testimonial due under each rule (at most `limit` per rule; None: all); the counts."""
    now = now or timezone.now()
    done = {}
    for rule in (WITHDRAWN, SPAM):
        ids = list(testimonials_due(rule=rule, now=now).values_list("pk", flat=True)[:limit])
        done[rule] = sum(testimonial_purge_personal_data(testimonial_id=pk, rule=rule, now=now) for pk in ids)
    report = RetentionReport(withdrawn=done[WITHDRAWN], spam=done[SPAM])
    if report.total:
        logger.info("retention removed the personal data of %d withdrawn and %d spam testimonial(s)",
                    report.withdrawn, report.spam)
    return report


def _authorization_text_kept(text: str, *, version: int) -> str:
    if version == 0:
        return IMPORTED_TEXT_REMOVED
    return consent_text_without_condition(text)
