"""Redaction: staff edit the public text (to remove personal data); the patient's original is kept
privately, the analysis is re-run on the new words and the edit is recorded."""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reviews.models import Testimonial, Therapist

from .analysis_store import testimonial_analyze
from .models import Flag, TransitionEvent
from .publication import publication_changed
from .workflow import TransitionError

S = Testimonial.Status


def _flag_codes(testimonial_id: int) -> str:
    return ", ".join(sorted(set(Flag.objects.filter(testimonial_id=testimonial_id).values_list("code", flat=True)))) \
        or "none"


def _edit_record(*, row: Testimonial, actor: AbstractBaseUser | None, reason: str, note: str) -> None:
    """An edit that is not a move: recorded in the history (same status), and, once committed, the public
    feed refreshed (the marketing site told of a published one)."""
    TransitionEvent.objects.create(
        testimonial_id=row.pk, from_status=row.status, to_status=row.status,
        actor=actor if actor is not None and actor.is_authenticated else None, reason=reason, note=note)
    event = "testimonial.updated" if row.status == S.APPROVED else None
    transaction.on_commit(lambda: publication_changed(testimonial_id=row.pk, event=event))


def testimonial_redact(*, testimonial: Testimonial, body: str, actor: AbstractBaseUser | None,
                       condition: str | None = None) -> Testimonial:
    """Replace the public text (and the condition, if given), keeping the patient's originals privately,
    and re-analyse the new words so flags, highlights, tags and sentences match what is shown; only a
    moderator (or the system, actor None) may change a patient's words."""
    if actor is not None and not actor.has_perm("reviews.moderate_testimonial"):
        raise TransitionError(f"Only moderators may change the text of testimonial #{testimonial.pk}.")
    with transaction.atomic():
        row = (Testimonial.objects.select_for_update().select_related("location")
               .filter(pk=testimonial.pk).first())
        if row is None:
            raise TransitionError(f"Testimonial #{testimonial.pk} no longer exists.")
        if row.personal_data_purged_at is not None:
            raise TransitionError(f"Testimonial #{testimonial.pk} had its personal data removed; nothing to redact.")
        new_condition = row.condition if condition is None else condition
        edited = [name for name, changed in (("text", body != row.body), ("condition", new_condition != row.condition))
                  if changed]
        if not edited:
            return testimonial
        # The first redaction keeps what the patient wrote; later ones never overwrite it.
        row.body_original = row.body_original or row.body
        if new_condition != row.condition:
            row.condition_original = row.condition_original or row.condition
        row.body, row.condition, row.updated_at = body, new_condition, timezone.now()
        Testimonial.objects.filter(pk=row.pk).update(
            body=row.body, body_original=row.body_original, condition=row.condition,
            condition_original=row.condition_original, updated_at=row.updated_at)
        before = _flag_codes(row.pk)
        if row.status != S.WITHDRAWN:  # nothing of a withdrawn one is ever shown again
            testimonial_analyze(testimonial=row)  # flags, spans, tags and sentences of the new words
        _edit_record(row=row, actor=actor, reason="redacted",
                     note=f"{' and '.join(edited)} edited; flags before: {before}; after: {_flag_codes(row.pk)}")
    for field in ("body", "body_original", "condition", "condition_original", "status", "updated_at"):
        setattr(testimonial, field, getattr(row, field))
    return testimonial


def testimonial_therapist_set(*, testimonial: Testimonial, therapist: Therapist | None,
                              actor: AbstractBaseUser | None) -> Testimonial:
    """Correct the therapist a testimonial names (e.g. from the mentions the analysis found): one of the
    clinic's therapists or none; moderators only, recorded, and the public feed refreshed if published."""
    if actor is not None and not actor.has_perm("reviews.moderate_testimonial"):
        raise TransitionError(f"Only moderators may change the therapist of testimonial #{testimonial.pk}.")
    with transaction.atomic():
        row = Testimonial.objects.select_for_update().filter(pk=testimonial.pk).first()
        if row is None:
            raise TransitionError(f"Testimonial #{testimonial.pk} no longer exists.")
        if therapist is not None and not therapist.locations.filter(pk=row.location_id).exists():
            raise TransitionError(f"{therapist.name} does not work at this testimonial's clinic.")
        new_id = therapist.pk if therapist is not None else None
        if new_id == row.therapist_id:
            return testimonial
        before = Therapist.objects.filter(pk=row.therapist_id).first()
        Testimonial.objects.filter(pk=row.pk).update(therapist_id=new_id, updated_at=timezone.now())
        _edit_record(row=row, actor=actor, reason="therapist_corrected",
                     note=f"therapist: {before.name if before else 'none'} → {therapist.name if therapist else 'none'}")
    testimonial.therapist = therapist
    return testimonial
