"""Storing the analysis of a testimonial (idempotent) and the practice context the analysis reads."""
from __future__ import annotations

import time
from dataclasses import asdict, replace
from typing import TYPE_CHECKING

from django.db import transaction

from reviews.models import Location, StaffMember, Tag, Testimonial, Therapist

from .models import Analysis, Flag
from .publication import publication_changed
from .workflow import TransitionConflict, testimonial_transition

if TYPE_CHECKING:
    from .analysis import AnalysisContext

S = Testimonial.Status


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
