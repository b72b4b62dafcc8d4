"""The moderation state machine: one table of allowed moves and one function that makes them; the
named actions are thin wrappers over it. Every move acts from the state the caller saw."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from reviews.models import Testimonial

from .models import Flag, RejectionReason, TransitionEvent
from .publication import publication_changed, publication_event

S = Testimonial.Status

# from → the states it may move to. Withdrawn is terminal.
ALLOWED: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.IN_REVIEW, S.REJECTED, S.WITHDRAWN}),  # pending → rejected: a bot, on arrival
    S.IN_REVIEW: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.REJECTED, S.WITHDRAWN}),  # approved → rejected is a takedown
    S.REJECTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),  # rejected → in_review reopens it
    S.WITHDRAWN: frozenset(),
}
# A withdrawal retries from the fresh state; each retry means someone else moved the row meanwhile,
# so this bound is only reached if the row is being moved in a tight loop.
WITHDRAW_ATTEMPTS = 20


class TransitionError(ValueError):
    """The move is not allowed from the testimonial's current state."""


class TransitionConflict(TransitionError):
    """Someone else changed the testimonial after the caller saw it."""


class AuthorizationExpired(TransitionError):
    """The patient's authorization has expired: the testimonial may not be published."""


class UnresolvedFlags(TransitionError):
    """High-severity flags (personal data, spam) are unresolved and the moderator did not confirm."""


def _label(status: str | None) -> str:
    return Testimonial.Status(status).label.lower() if status else "deleted"


def _conflict(testimonial_id: int) -> TransitionConflict:
    fresh = Testimonial.objects.filter(pk=testimonial_id).values_list("status", flat=True).first()
    return TransitionConflict(
        f"Testimonial #{testimonial_id} was changed by someone else meanwhile (now {_label(fresh)}); "
        "nothing was done. Reload the page to see its current state."
    )


def testimonial_transition(
    *,
    testimonial: Testimonial,
    to: str,
    actor: AbstractBaseUser | None,
    reason: str = "",
    note: str = "",
    expected_status: str | None = None,
) -> Testimonial:
    """Move `testimonial` from `expected_status` (default: its status as loaded) to `to`, as a
    compare-and-swap, recording the event; a row that moved meanwhile raises TransitionConflict."""
    current = expected_status or testimonial.status
    if current not in ALLOWED:
        raise TransitionError(f"{current!r} is not a testimonial state.")
    if to not in ALLOWED[current]:
        raise TransitionError(
            f"Testimonial #{testimonial.pk} is {_label(current)}; it cannot become {_label(to)}."
        )
    if to == S.REJECTED and reason not in RejectionReason.values:
        raise TransitionError("A rejection needs a reason from the list of content grounds.")
    now = timezone.now()
    changes: dict[str, Any] = {"status": to, "updated_at": now}
    if to == S.APPROVED:
        changes["published_at"] = now
    elif current == S.APPROVED:
        changes["published_at"] = None
    if current == S.REJECTED and to == S.IN_REVIEW:
        # A moderator who reopens a honeypot catch has judged it a patient's: from now on it counts as
        # received (the counters' triggers read `source` in the same UPDATE).
        changes["source"] = Case(When(source=Testimonial.Source.HONEYPOT, then=Value(Testimonial.Source.FORM)),
                                 default=F("source"))
    with transaction.atomic():
        # Compare-and-swap on the state the caller saw: a decision taken on a stale page never
        # turns into another move (a reject after a colleague's approval is not a takedown).
        updated = Testimonial.objects.filter(pk=testimonial.pk, status=current,
                                             personal_data_purged_at__isnull=True).update(**changes)
        if updated == 0:
            if Testimonial.objects.filter(pk=testimonial.pk, personal_data_purged_at__isnull=False).exists():
                raise TransitionError(f"Testimonial #{testimonial.pk} had its personal data removed by retention; "
                                      "it can no longer change state.")
            raise _conflict(testimonial.pk)
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
        if field != "source":
            setattr(testimonial, field, value)
    if "source" in changes and testimonial.source == Testimonial.Source.HONEYPOT:
        testimonial.source = Testimonial.Source.FORM
    return testimonial


def unresolved_high_flags(*, testimonial: Testimonial) -> list[str]:
    """Codes of the high-severity flags still on the text (redaction re-analyses and clears them)."""
    return sorted(set(Flag.objects.filter(testimonial_id=testimonial.pk, severity=Flag.Severity.HIGH)
                      .values_list("code", flat=True)))


def testimonial_approve(
    *,
    testimonial: Testimonial,
    actor: AbstractBaseUser | None,
    expected_status: str | None = None,
    confirm_flags: bool = False,
    note: str = "",
) -> Testimonial:
    """Publish a reviewed testimonial: only with an unexpired authorization, and with high-severity
    flags only when the moderator confirms (the note says why)."""
    current = expected_status or testimonial.status
    if S.APPROVED not in ALLOWED.get(current, ()):
        raise TransitionError(f"Testimonial #{testimonial.pk} is {_label(current)}; it cannot become approved.")
    expires = Testimonial.objects.filter(pk=testimonial.pk).values_list("consent_expires_at", flat=True).first()
    if expires is not None and expires <= timezone.now():
        raise AuthorizationExpired(
            f"Testimonial #{testimonial.pk} cannot be published: the patient's authorization expired on "
            f"{timezone.localtime(expires).date().isoformat()}. It needs a renewed authorization first."
        )
    codes = unresolved_high_flags(testimonial=testimonial)
    if codes and not confirm_flags:
        raise UnresolvedFlags(
            f"Testimonial #{testimonial.pk} still has unresolved high-severity flags ({', '.join(codes)}): "
            "redact the text, or approve anyway with a note saying why."
        )
    if codes:
        note = f"approved despite {', '.join(codes)}: {note}".strip().rstrip(":")
    return testimonial_transition(testimonial=testimonial, to=S.APPROVED, actor=actor, note=note,
                                  expected_status=current)


def testimonial_reject(*, testimonial: Testimonial, actor: AbstractBaseUser | None, reason: str,
                       note: str = "", expected_status: str | None = None) -> Testimonial:
    """Refuse a testimonial, or take a published one down, on a content ground."""
    return testimonial_transition(testimonial=testimonial, to=S.REJECTED, actor=actor, reason=reason, note=note,
                                  expected_status=expected_status)


def testimonial_reopen(*, testimonial: Testimonial, actor: AbstractBaseUser | None, note: str = "",
                       expected_status: str | None = None) -> Testimonial:
    """Put a rejected testimonial back in the queue."""
    return testimonial_transition(testimonial=testimonial, to=S.IN_REVIEW, actor=actor, note=note,
                                  expected_status=expected_status)


def testimonial_withdraw(*, testimonial: Testimonial, actor: AbstractBaseUser | None = None) -> Testimonial:
    """The patient revoked the authorization: unpublish at once, for good, whatever races it."""
    for _ in range(WITHDRAW_ATTEMPTS):
        fresh = Testimonial.objects.filter(pk=testimonial.pk).values_list("status", flat=True).first()
        if fresh is None:
            raise TransitionError(f"Testimonial #{testimonial.pk} no longer exists.")
        if fresh == S.WITHDRAWN:
            testimonial.status, testimonial.published_at = S.WITHDRAWN, None
            raise TransitionError(f"Testimonial #{testimonial.pk} is withdrawn already; nothing was done.")
        try:
            # From the state the row is in now, not the one the caller loaded: withdrawal always wins.
            return testimonial_transition(testimonial=testimonial, to=S.WITHDRAWN, actor=actor,
                                          reason=RejectionReason.NO_CONSENT, expected_status=fresh)
        except TransitionConflict:
            continue  # a moderator or the worker moved it meanwhile: try again from the new state
    raise TransitionConflict(f"Testimonial #{testimonial.pk} kept changing; the withdrawal could not be recorded.")
