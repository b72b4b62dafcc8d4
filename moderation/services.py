"""Moderation's public services (the names other code and checks call): the workflow, redaction and
storing analyses. Each lives in its own module; this one gathers them."""
from __future__ import annotations

from reviews.models import Testimonial

from .analysis_store import analysis_context, practice_context, tags_ensure, testimonial_analyze
from .publication import publication_changed, publication_event
from .redaction import testimonial_redact, testimonial_therapist_set
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
    "ALLOWED", "AuthorizationExpired", "TransitionConflict", "TransitionError", "UnresolvedFlags", "analysis_context",
    "practice_context",
    "publication_changed", "publication_event", "tags_ensure", "testimonial_analyze", "testimonial_approve",
    "testimonial_redact", "testimonial_reject", "testimonial_reopen", "testimonial_therapist_set",
    "testimonial_transition", "testimonial_withdraw", "unresolved_high_flags",
]
