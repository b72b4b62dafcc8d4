"""The moderation state machine: one table of allowed moves and one function that makes them; the
named actions are one-liners over it."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reviews.models import Testimonial

from .models import RejectionReason, TransitionEvent
from .publication import publication_changed, publication_event

S = Testimonial.Status

# from → the states it may move to. Withdrawn is terminal.
ALLOWED: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.IN_REVIEW, S.REJECTED, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.REJECTED, S.WITHDRAWN}),  # approved → rejected is a takedown
    S.REJECTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),  # rejected → in_review reopens it
    S.WITHDRAWN: frozenset(),
}


class TransitionError(ValueError):
    """The move is not allowed from the testimonial's current state."""


class TransitionConflict(TransitionError):
    """Someone else changed the testimonial first."""


def testimonial_transition(
    *,
    testimonial: Testimonial,
    to: str,
    actor: AbstractBaseUser | None,
    reason: str = "",
    note: str = "",
) -> Testimonial:
    """Move `testimonial` to `to` if allowed, as a compare-and-swap, recording the event."""
    current = testimonial.status
    if to not in ALLOWED.get(current, ()):
        raise TransitionError(
            f"Testimonial #{testimonial.pk} is {Testimonial.Status(current).label.lower()}; "
            f"it cannot become {Testimonial.Status(to).label.lower()}."
        )
    if to == S.REJECTED and reason not in RejectionReason.values:
        raise TransitionError("A rejection needs a reason from the list of content grounds.")
    now = timezone.now()
    changes: dict[str, Any] = {"status": to, "updated_at": now}
    if to == S.APPROVED:
        changes["published_at"] = now
    elif current == S.APPROVED:
        changes["published_at"] = None
    with transaction.atomic():
        # Compare-and-swap: only moves the row if nobody moved it since we read it.
        updated = Testimonial.objects.filter(pk=testimonial.pk, status=current).update(**changes)
        if updated == 0:
            fresh = Testimonial.objects.filter(pk=testimonial.pk).values_list("status", flat=True).first()
            state = Testimonial.Status(fresh).label.lower() if fresh else "deleted"
            raise TransitionConflict(
                f"Testimonial #{testimonial.pk} was changed by someone else meanwhile (now {state}); "
                "nothing was done."
            )
        TransitionEvent.objects.create(
            testimonial_id=testimonial.pk,
            from_status=current,
            to_status=to,
            actor=actor if actor is not None and actor.is_authenticated else None,
            reason=reason,
            note=note[:500],
        )
        event = publication_event(current=current, to=to)
        transaction.on_commit(lambda: publication_changed(testimonial_id=testimonial.pk, event=event))
    for field, value in changes.items():
        setattr(testimonial, field, value)
    return testimonial


def testimonial_approve(*, testimonial: Testimonial, actor: AbstractBaseUser | None) -> Testimonial:
    """Publish a reviewed testimonial."""
    return testimonial_transition(testimonial=testimonial, to=S.APPROVED, actor=actor)


def testimonial_reject(*, testimonial: Testimonial, actor: AbstractBaseUser | None, reason: str,
                       note: str = "") -> Testimonial:
    """Refuse a testimonial, or take a published one down, on a content ground."""
    return testimonial_transition(testimonial=testimonial, to=S.REJECTED, actor=actor, reason=reason, note=note)


def testimonial_reopen(*, testimonial: Testimonial, actor: AbstractBaseUser | None) -> Testimonial:
    """Put a rejected testimonial back in the queue."""
    return testimonial_transition(testimonial=testimonial, to=S.IN_REVIEW, actor=actor)


def testimonial_withdraw(*, testimonial: Testimonial, actor: AbstractBaseUser | None = None) -> Testimonial:
    """The patient revoked the authorization: unpublish at once, for good."""
    return testimonial_transition(testimonial=testimonial, to=S.WITHDRAWN, actor=actor,
                                  reason=RejectionReason.NO_CONSENT)
