"""Filters of the public feed; an unknown value is a 400 with a message, never an empty 200 or a 500."""
from __future__ import annotations

import re

import django_filters
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from reviews.models import Location, Tag, Testimonial, Therapist


_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def _known_slugs(model, raw: str, *, field: str, what: str) -> list[str]:
    slugs = [s.strip() for s in raw.split(",") if s.strip()]
    if not slugs:
        raise ValidationError({field: [f"Give at least one {what} slug."]})
    malformed = [s for s in slugs if not _SLUG.fullmatch(s)]
    if malformed:  # never sent to the database (PostgreSQL refuses NUL bytes with an error)
        raise ValidationError({field: [f"Not a {what} slug: {', '.join(m[:40] for m in malformed)!r}."]})
    known = set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise ValidationError({field: [f"Unknown {what}: {', '.join(unknown)}."]})
    return slugs


class TestimonialFilter(django_filters.FilterSet):
    location = django_filters.CharFilter(method="filter_location",
                                         help_text="Clinic slug; several separated by commas.")
    therapist = django_filters.CharFilter(method="filter_therapist", help_text="Therapist slug.")
    min_rating = django_filters.NumberFilter(method="filter_min_rating", help_text="1–5.")
    tag = django_filters.CharFilter(method="filter_tag", help_text="Condition or body-region tag slug.")
    published_after = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gt",
                                                       help_text="ISO 8601 date-time.")

    class Meta:
        model = Testimonial
        fields: list[str] = []

    def filter_location(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(location__slug__in=_known_slugs(Location, value, field=name, what="clinic"))

    def filter_therapist(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(therapist__slug__in=_known_slugs(Therapist, value, field=name, what="therapist"))

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(tags__slug__in=_known_slugs(Tag, value, field=name, what="tag")).distinct()

    def filter_min_rating(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value != int(value) or not 1 <= value <= 5:
            raise ValidationError({name: ["min_rating must be a whole number from 1 to 5."]})
        return queryset.filter(rating__gte=int(value))


class TherapistFilter(django_filters.FilterSet):
    location = django_filters.CharFilter(method="filter_location", help_text="Clinic slug.")

    class Meta:
        model = Therapist
        fields: list[str] = []

    def filter_location(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(locations__slug__in=_known_slugs(Location, value, field=name, what="clinic")).distinct()
