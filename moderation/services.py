"""Moderation writes: the state machine (one table of allowed moves, one function that makes them)
and storing the analysis of a testimonial."""
from __future__ import annotations

import time
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reviews.models import Location, StaffMember, Tag, Testimonial, Therapist

from .models import Analysis, Flag, RejectionReason, TransitionEvent

if TYPE_CHECKING:
    from .analysis import AnalysisContext

S = Testimonial.Status

# from → the states it may move to. Withdrawn is terminal.
ALLOWED: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
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


def publication_event(*, current: str, to: str) -> str | None:
    """The webhook event a move means for the public, or None when the public cannot see it."""
    if to == S.APPROVED:
        return "testimonial.published"
    if current == S.APPROVED:
        return "testimonial.unpublished"
    return None


def publication_changed(*, testimonial_id: int, event: str | None = None) -> None:
    """After a change the public may see: purge the feed's cache and, for `event`, notify the site."""
    from reviews.selectors import feed_cache_bump
    from reviews.services import enqueue

    from .tasks import notify_marketing_site_task

    feed_cache_bump()
    if event and settings.MARKETING_WEBHOOK_URL:
        enqueue(notify_marketing_site_task, testimonial_id, event)


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


def testimonial_redact(*, testimonial: Testimonial, body: str, actor: AbstractBaseUser | None) -> Testimonial:
    """Replace the public text (e.g. to remove personal data), keeping the patient's original privately."""
    original = Testimonial.objects.filter(pk=testimonial.pk).values_list("body", "body_original").first()
    if original is None:
        raise TransitionError(f"Testimonial #{testimonial.pk} no longer exists.")
    old_body, old_original = original
    if body == old_body:
        return testimonial
    with transaction.atomic():
        Testimonial.objects.filter(pk=testimonial.pk).update(
            body=body, body_original=old_original or old_body, updated_at=timezone.now())
        TransitionEvent.objects.create(testimonial_id=testimonial.pk, from_status=testimonial.status,
                                       to_status=testimonial.status, actor=actor, reason="redacted",
                                       note="public text edited")
        event = "testimonial.updated" if testimonial.status == S.APPROVED else None
        transaction.on_commit(lambda: publication_changed(testimonial_id=testimonial.pk, event=event))
    testimonial.body, testimonial.body_original = body, old_original or old_body
    return testimonial


# ---------------------------------------------------------------------------- analysis


def testimonial_analyze(*, testimonial: Testimonial) -> Analysis:
    """Analyse one testimonial and store the result idempotently; a pending one moves to in_review."""
    # Imported here: the web process (admin, form) never loads the lexicons and language models.
    from .analysis import ANALYZER_VERSION, analyze, duplicate_flag

    context = analysis_context(testimonial=testimonial)
    result = analyze(testimonial.body, rating=testimonial.rating, context=context)
    flags = list(result.flags)
    # Only earlier rows count, so re-running on the same data always gives the same flags.
    if (
        Testimonial.objects.filter(fingerprint=result.fingerprint, pk__lt=testimonial.pk)
        .exclude(status=S.WITHDRAWN)
        .exists()
    ):
        flags.append(duplicate_flag())
    tag_slugs = list(result.tags)
    with transaction.atomic():
        stored, _ = Analysis.objects.update_or_create(
            testimonial=testimonial,
            defaults={
                "analyzer_version": ANALYZER_VERSION,
                "compound": result.sentiment.compound,
                "pos": result.sentiment.pos,
                "neu": result.sentiment.neu,
                "neg": result.sentiment.neg,
                "label": result.sentiment.label,
                "language": result.language,
                "therapists_mentioned": list(result.therapists_mentioned),
                "sentences": [asdict(s) for s in result.sentences],
                "outcome_claims": [asdict(c) for c in result.outcome_claims],
            },
        )
        Flag.objects.filter(testimonial=testimonial).delete()
        Flag.objects.bulk_create(
            Flag(testimonial=testimonial, code=f.code, severity=f.severity, message=f.message[:255],
                 start=f.start, end=f.end)
            for f in {(f.code, f.start, f.end): f for f in flags}.values()
        )
        testimonial.tags.set(tags_ensure(slugs=tag_slugs))
        Testimonial.objects.filter(pk=testimonial.pk).update(fingerprint=result.fingerprint,
                                                               language=result.language)
        if testimonial.status == S.APPROVED:  # a rescore may change the tags the feed filters on
            transaction.on_commit(lambda: publication_changed(testimonial_id=testimonial.pk))
        if testimonial.status == S.PENDING:
            try:
                testimonial_transition(testimonial=testimonial, to=S.IN_REVIEW, actor=None,
                                       note=f"analysed by {ANALYZER_VERSION}")
            except TransitionConflict:
                pass  # another delivery of the same task moved it first: same end state
    return stored


def tags_ensure(*, slugs: list[str]) -> list[Tag]:
    """The Tag rows for `slugs`, creating any missing one under its vocabulary name."""
    from .analysis import tag_vocabulary

    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}
    names = tag_vocabulary()
    missing = [Tag(slug=slug, name=names.get(slug, slug)) for slug in slugs if slug not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)  # a concurrent worker may add one too
        existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}
    return [existing[slug] for slug in slugs]


_practice_cache: tuple[float, AnalysisContext] | None = None
PRACTICE_CONTEXT_TTL = 60.0  # seconds a worker reuses the list of therapists, staff and clinics


def practice_context(*, fresh: bool = False) -> AnalysisContext:
    """What the analysis needs to know of the practice; reused for a minute within a process."""
    global _practice_cache
    from .analysis import AnalysisContext, TherapistRef

    now = time.monotonic()
    if not fresh and _practice_cache is not None and now - _practice_cache[0] < PRACTICE_CONTEXT_TTL:
        return _practice_cache[1]
    therapists = tuple(
        TherapistRef(slug=t.slug, first_name=t.first_name, last_name=t.last_name,
                     nicknames=tuple(t.nicknames or ()),
                     location_slugs=tuple(loc.slug for loc in t.locations.all()))
        for t in Therapist.objects.prefetch_related("locations")
    )
    staff_names = tuple(f"{first} {last}" for first, last in StaffMember.objects.values_list("first_name", "last_name"))
    location_names = tuple(sorted({name for pair in Location.objects.values_list("name", "town")
                                   for name in pair if name}))
    context = AnalysisContext(therapists=therapists, staff_names=staff_names, location_names=location_names)
    _practice_cache = (now, context)
    return context


def analysis_context(*, testimonial: Testimonial) -> AnalysisContext:
    """The practice's context plus what is known of this testimonial's author and clinic."""
    return replace(practice_context(), location_slug=testimonial.location.slug,
                   author_first_name=testimonial.first_name, author_last_name=testimonial.last_name)
