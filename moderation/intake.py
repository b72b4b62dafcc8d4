"""Submissions the system refuses on arrival (a bot filled in the honeypot): kept for the record and
for a moderator to reopen, but rejected at once, never analysed, never confirmed by email."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from reviews.models import Testimonial
from reviews.services import testimonial_submit

from .models import RejectionReason
from .workflow import testimonial_transition


def testimonial_quarantine(*, note: str, **submission: Any) -> Testimonial:
    """Store a submission and reject it as spam in one transaction; nothing is enqueued.

    `submission` takes `reviews.services.testimonial_submit`'s fields. Words already on file (the same
    email and text) return that testimonial untouched: a bot's copy never rejects a patient's row."""
    with transaction.atomic():
        testimonial, created = testimonial_submit(**submission, source=Testimonial.Source.HONEYPOT, enqueue=False)
        if created:
            testimonial_transition(testimonial=testimonial, to=Testimonial.Status.REJECTED, actor=None,
                                   reason=RejectionReason.SPAM, note=note)
    return testimonial
