"""Filters of the public feed; an unknown value is a 400 with a message, never an empty 200 or a 500.
An empty value (`?tag=`) means no filter. The API parses them with `feed_criteria_parse` (no form per
request) and the counts (reviews.counters) use what they resolved to, so both are filtered alike;
`TestimonialFilter` applies the same rules as a django-filter FilterSet for other views."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import django_filters
from django.db import connection
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
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
    with connection.cursor() as cursor:  # plain SQL: on the feed's hot path the ORM cost more than the query
        cursor.execute(f"SELECT slug, id FROM {model._meta.db_table} WHERE slug IN ({', '.join(['%s'] * len(slugs))})",
                       slugs)
        known = dict(cursor.fetchall())
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise ValidationError({field: [f"Unknown {what}: {', '.join(unknown)}."]})
    return tuple(known[s] for s in slugs)


def _min_rating(value, *, field: str = "min_rating") -> int:
    if value != int(value) or not 1 <= value <= 5:
        raise ValidationError({field: ["min_rating must be a whole number from 1 to 5."]})
    return int(value)


OUT_OF_RANGE = ("published_after is out of range: give a date-time between 0001-01-02 and 9999-12-30, "
                "e.g. 2026-01-31T00:00:00Z.")


def _in_utc(value: datetime, *, field: str = "published_after") -> datetime:
    # In UTC before it reaches the database: PostgreSQL refuses offsets beyond ±15:59 that
    # Python accepts, and a moment at the calendar's edge cannot be moved at all.
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationError({field: [OUT_OF_RANGE]}) from None


_RATING = re.compile(r"[0-9]{1,3}")


def feed_criteria_parse(params) -> FeedCriteria:
    """The public filters of a query string, checked and resolved (one query per slug filter); a bad
    value is a 400 naming each bad parameter. The same rules as TestimonialFilter, without building
    a form per request (the feed's hottest path)."""
    found: dict = {}
    errors: dict = {}

    def check(name: str, parse) -> None:
        raw = params.get(name, "")
        if raw == "":
            return
        try:
            parse(raw)
        except ValidationError as error:
            errors.update(error.detail)

    def location(raw: str) -> None:
        found["location_ids"] = _known_ids(Location, raw, field="location", what="clinic")

    def therapist(raw: str) -> None:
        found["therapist_ids"] = _known_ids(Therapist, raw, field="therapist", what="therapist")

    def tag(raw: str) -> None:
        (found["tag_id"],) = _known_ids(Tag, raw, field="tag", what="tag", several=False)

    def min_rating(raw: str) -> None:
        if not _RATING.fullmatch(raw):
            raise ValidationError({"min_rating": ["min_rating must be a whole number from 1 to 5."]})
        found["min_rating"] = _min_rating(int(raw))

    def published_after(raw: str) -> None:
        try:
            moment = parse_datetime(raw.strip())
        except ValueError:
            moment = None
        if moment is None:
            raise ValidationError({"published_after": ["Enter an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z."]})
        if is_naive(moment):  # read in the practice's time zone, as the form fields do
            try:
                moment = make_aware(moment)
            except (OverflowError, ValueError):
                raise ValidationError({"published_after": [OUT_OF_RANGE]}) from None
        found["published_after"] = _in_utc(moment)

    for name, parse in (("location", location), ("therapist", therapist), ("min_rating", min_rating),
                        ("tag", tag), ("published_after", published_after)):
        check(name, parse)
    if errors:
        raise ValidationError(errors)
    return FeedCriteria(**found)


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
        (tag_id,) = _known_ids(Tag, value, field=name, what="tag", several=False)
        self.criteria["tag_id"] = tag_id
        return queryset.filter(tags=tag_id)

    def filter_min_rating(self, queryset: QuerySet, name: str, value) -> QuerySet:
        self.criteria["min_rating"] = _min_rating(value, field=name)
        return queryset.filter(rating__gte=self.criteria["min_rating"])

    def filter_published_after(self, queryset: QuerySet, name: str, value) -> QuerySet:
        utc = self.criteria["published_after"] = _in_utc(value, field=name)
        return queryset.filter(published_at__gt=utc)


class TherapistFilter(django_filters.FilterSet):
    location = django_filters.CharFilter(method="filter_location", help_text="Clinic slug.")

    class Meta:
        model = Therapist
        fields: list[str] = []

    def filter_location(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(locations__in=_known_ids(Location, value, field=name, what="clinic")).distinct()
