"""Filters of the public feed; an unknown value is a 400 with a message, never an empty 200 or a 500.
An empty value (`?tag=`) means no filter. Each filter also records what it resolved to, so the counts
(reviews.counters) are filtered exactly like the list."""
from __future__ import annotations

import re
from datetime import timezone as dt_timezone

import django_filters
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from reviews.counters import FeedCriteria
from reviews.models import Location, Tag, Testimonial, Therapist

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def _known_ids(model, raw: str, *, field: str, what: str, several: bool = True) -> tuple[int, ...]:
    """The ids of the slugs in `raw` (comma-separated), or a 400 naming what is wrong."""
    slugs = list(dict.fromkeys(s.strip() for s in raw.split(",") if s.strip()))
    if not slugs:
        raise ValidationError({field: [f"Give at least one {what} slug."]})
    if len(slugs) > 1 and not several:
        raise ValidationError({field: [f"Give one {what} slug, not several."]})
    malformed = [s for s in slugs if not _SLUG.fullmatch(s)]
    if malformed:  # never sent to the database (PostgreSQL refuses NUL bytes with an error)
        raise ValidationError({field: [f"Not a {what} slug: {', '.join(m[:40] for m in malformed)!r}."]})
    if len(slugs) > 30:
        raise ValidationError({field: [f"At most 30 {what} slugs at a time."]})
    known = dict(model.objects.filter(slug__in=slugs).values_list("slug", "id"))
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise ValidationError({field: [f"Unknown {what}: {', '.join(unknown)}."]})
    return tuple(known[s] for s in slugs)


class TestimonialFilter(django_filters.FilterSet):
    location = django_filters.CharFilter(method="filter_location",
                                         help_text="Clinic slug; several separated by commas.")
    therapist = django_filters.CharFilter(method="filter_therapist", help_text="Therapist slug.")
    min_rating = django_filters.NumberFilter(method="filter_min_rating", help_text="1–5.")
    tag = django_filters.CharFilter(method="filter_tag", help_text="Condition or body-region tag slug.")
    published_after = django_filters.IsoDateTimeFilter(method="filter_published_after",
                                                       help_text="ISO 8601 date-time.")

    class Meta:
        model = Testimonial
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria: dict = {}

    def feed_criteria(self) -> FeedCriteria:
        """What the filters resolved to (call after `.qs`)."""
        return FeedCriteria(**self.criteria)

    def filter_location(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        ids = self.criteria["location_ids"] = _known_ids(Location, value, field=name, what="clinic")
        return queryset.filter(location_id__in=ids)

    def filter_therapist(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        ids = self.criteria["therapist_ids"] = _known_ids(Therapist, value, field=name, what="therapist")
        return queryset.filter(therapist_id__in=ids)

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # One tag: a testimonial carries a tag once, so the join needs no DISTINCT (which would sort
        # the whole match before the first page could be read).
        (tag_id,) = _known_ids(Tag, value, field=name, what="tag", several=False)
        self.criteria["tag_id"] = tag_id
        return queryset.filter(tags=tag_id)

    def filter_min_rating(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value != int(value) or not 1 <= value <= 5:
            raise ValidationError({name: ["min_rating must be a whole number from 1 to 5."]})
        self.criteria["min_rating"] = int(value)
        return queryset.filter(rating__gte=int(value))

    def filter_published_after(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # In UTC before it reaches the database: PostgreSQL refuses offsets beyond ±15:59 that
        # Python accepts, and a moment at the calendar's edge cannot be moved at all.
        try:
            utc = value.astimezone(dt_timezone.utc)
        except (OverflowError, ValueError):
            raise ValidationError({name: ["published_after is out of range: give a date-time between "
                                          "0001-01-02 and 9999-12-30, e.g. 2026-01-31T00:00:00Z."]}) from None
        self.criteria["published_after"] = utc
        return queryset.filter(published_at__gt=utc)


class TherapistFilter(django_filters.FilterSet):
    location = django_filters.CharFilter(method="filter_location", help_text="Clinic slug.")

    class Meta:
        model = Therapist
        fields: list[str] = []

    def filter_location(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(locations__in=_known_ids(Location, value, field=name, what="clinic")).distinct()
