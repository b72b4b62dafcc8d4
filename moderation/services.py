"""Moderation's public services (the names other code and checks call): the workflow, redaction and
storing analyses. Each lives in its own module; this one gathers them."""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reviews.models import Testimonial

from .analysis_store import analysis_context, practice_context, tags_ensure, testimonial_analyze
from .models import TransitionEvent
from .publication import publication_changed, publication_event
from .workflow import (
    ALLOWED,
    AuthorizationExpired,
    TransitionConflict,
    TransitionError,
    UnresolvedFlags,
    testimonial_approve,
    testimonial_reject,
    testimonial_reopen,
    testimonial_transition,
    testimonial_withdraw,
    unresolved_high_flags,
)

S = Testimonial.Status

__all__ = [
    "ALLOWED", "AuthorizationExpired", "TransitionConflict", "TransitionError", "UnresolvedFlags", "analysis_context", "practice_context",
    "publication_changed", "publication_event", "tags_ensure", "testimonial_analyze", "testimonial_approve",
    "testimonial_redact", "testimonial_reject", "testimonial_reopen", "testimonial_transition",
    "testimonial_withdraw", "unresolved_high_flags",
]


def testimonial_redact(*, testimonial: Testimonial, body: str, actor: AbstractBaseUser | None,
                       condition: str | None = None) -> Testimonial:
    """Replace the public text (and, if given, the condition), keeping the patient's original privately."""
    original = Testimonial.objects.filter(pk=testimonial.pk).values_list("body", "body_original", "condition").first()
    if original is None:
        raise TransitionError(f"Testimonial #{testimonial.pk} no longer exists.")
    old_body, old_original, old_condition = original
    new_condition = old_condition if condition is None else condition
    if body == old_body and new_condition == old_condition:
        return testimonial
    with transaction.atomic():
        Testimonial.objects.filter(pk=testimonial.pk).update(
            body=body, body_original=old_original or old_body, condition=new_condition, updated_at=timezone.now())
        TransitionEvent.objects.create(testimonial_id=testimonial.pk, from_status=testimonial.status,
                                       to_status=testimonial.status, actor=actor, reason="redacted",
                                       note="public text edited")
        event = "testimonial.updated" if testimonial.status == S.APPROVED else None
        transaction.on_commit(lambda: publication_changed(testimonial_id=testimonial.pk, event=event))
    testimonial.body, testimonial.body_original = body, old_original or old_body
    testimonial.condition = new_condition
    return testimonial
