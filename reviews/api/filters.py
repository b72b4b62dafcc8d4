"""Filters of the public feed; an unknown value is a 400 with a message, never an empty 200 or a 500.
An empty value (`?tag=`) means no filter. Each parameter has one grammar, written once below as the
regular expression the OpenAPI schema publishes (schema.py; the whole numbers as integer bounds with the
same limits): whatever the API accepts matches it, so the schema and the behaviour cannot drift apart
(schemathesis checks it, tests/hostile/). The API parses them with `feed_criteria_parse` (no form per
request) and the counts (reviews.counters) use what they resolved to, so both are filtered alike;
`TestimonialFilter` (the Atom feed) calls the same parsers."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import django_filters
from django.db.models import QuerySet
from django.utils.timezone import is_naive, make_aware
from rest_framework.exceptions import ValidationError

from reviews.catalogue_ids import catalogue
from reviews.counters import FeedCriteria
from reviews.models import Location, Tag, Testimonial, Therapist

# The grammars (ECMAScript-compatible, as OpenAPI wants; ASCII only: `\d` would admit other scripts' digits).
_ONE = r"[-a-zA-Z0-9_]{1,80}"
SLUG_LIST_PATTERN = rf"^ *(?:{_ONE} *)?(?:, *(?:{_ONE} *)?)*$"  # "dayton", "dayton,edison", "dayton, edison"
SLUG_PATTERN = rf"^ *(?:{_ONE})? *$"
# ISO 8601 as people write it: a date, or a date and time with an optional offset (none: the practice's zone).
DATETIME_PATTERN = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
                    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?$")
RATING_PATTERN = r"^[1-5]$"
PAGE_SIZE_PATTERN = r"^[1-9][0-9]{0,8}$"
MAX_SLUGS = 30

_SLUG_LIST, _SLUG_ONE = re.compile(SLUG_LIST_PATTERN), re.compile(SLUG_PATTERN)
_DATETIME, _RATING = re.compile(DATETIME_PATTERN), re.compile(RATING_PATTERN)

BAD_RATING = "min_rating must be a whole number from 1 to 5."
BAD_DATETIME = ("Enter an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z or 2026-01-31T09:00:00-05:00 "
                "(in a URL, write + as %2B).")
OUT_OF_RANGE = ("published_after is out of range: give a date-time between 0001-01-02 and 9999-12-30, "
                "e.g. 2026-01-31T00:00:00Z.")


def _slugs(raw: str, *, field: str, what: str, several: bool = True) -> list[str]:
    """The distinct slugs of `raw` (comma-separated), checked for form only, or a 400 naming what is wrong."""
    if not several and "," in raw:
        raise ValidationError({field: [f"Give one {what} slug, not several."]})
    slugs = list(dict.fromkeys(s.strip(" ") for s in raw.split(",") if s.strip(" ")))
    if not slugs:
        raise ValidationError({field: [f"Give at least one {what} slug."]})
    if not (_SLUG_LIST if several else _SLUG_ONE).fullmatch(raw):
        # Never sent to the database (PostgreSQL refuses NUL bytes with an error); named, cut short.
        malformed = [s for s in slugs if not re.fullmatch(_ONE, s)] or slugs
        raise ValidationError({field: [f"Not a {what} slug: {', '.join(m[:40] for m in malformed)!r}."]})
    if len(slugs) > MAX_SLUGS:
        raise ValidationError({field: [f"At most {MAX_SLUGS} {what} slugs at a time."]})
    return slugs


def _resolve(wanted: dict[str, tuple[type, list[str], str]], version: int) -> dict[str, tuple[int, ...]]:
    """{field: ids of its slugs, in order} for {field: (model, slugs, what)}, from the process's catalogue
    (reviews.catalogue_ids: read again for a slug it does not know); a 400 naming every unknown slug
    of every field."""
    if not wanted:
        return {}

    def knows(found) -> bool:
        return all(slug in found.ids[model._meta.model_name] for model, slugs, _what in wanted.values()
                   for slug in slugs)

    known = catalogue(version, knows=knows).ids
    errors = {field: [f"Unknown {what}: {', '.join(unknown)}."]
              for field, (model, slugs, what) in wanted.items()
              if (unknown := [s for s in slugs if s not in known[model._meta.model_name]])}
    if errors:
        raise ValidationError(errors)
    return {field: tuple(known[model._meta.model_name][s] for s in slugs)
            for field, (model, slugs, _what) in wanted.items()}


def known_ids(model, raw: str, *, field: str, what: str, several: bool = True, version: int = 0) -> tuple[int, ...]:
    """The ids of the slugs in `raw` (comma-separated), or a 400 naming what is wrong."""
    return _resolve({field: (model, _slugs(raw, field=field, what=what, several=several), what)}, version)[field]


def min_rating_parse(raw: str, *, field: str = "min_rating") -> int:
    if not _RATING.fullmatch(raw):
        raise ValidationError({field: [BAD_RATING]})
    return int(raw)


def published_after_parse(raw: str, *, field: str = "published_after") -> datetime:
    """The moment in UTC, or a 400: malformed, impossible (2026-02-30) or beyond what can be stored."""
    if not _DATETIME.fullmatch(raw):
        raise ValidationError({field: [BAD_DATETIME]})
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:  # February 30th, 25 o'clock, an offset of 24 hours…
        raise ValidationError({field: [BAD_DATETIME]}) from None
    try:
        if is_naive(moment):  # read in the practice's time zone, as the form fields do
            moment = make_aware(moment)
        # In UTC before it reaches the database: PostgreSQL refuses offsets beyond ±15:59 that
        # Python accepts, and a moment at the calendar's edge cannot be moved at all.
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationError({field: [OUT_OF_RANGE]}) from None


_SLUG_FILTERS = {  # parameter: (criterion, model, what it names, several allowed)
    "location": ("location_ids", Location, "clinic", True),
    "therapist": ("therapist_ids", Therapist, "therapist", True),
    "tag": ("tag_id", Tag, "tag", False),
}


def feed_criteria_parse(params, *, version: int = 0) -> FeedCriteria:
    """The public filters of a query string, checked and resolved (every filter's slugs from the
    process's catalogue, reviews.catalogue_ids); a bad value is a 400 naming each bad parameter. The
    same rules as TestimonialFilter, without building a form per request (the feed's hottest path)."""
    found: dict = {}
    errors: dict = {}
    wanted: dict = {}
    for name, (_key, model, what, several) in _SLUG_FILTERS.items():
        raw = params.get(name, "")
        if raw != "":
            try:
                wanted[name] = (model, _slugs(raw, field=name, what=what, several=several), what)
            except ValidationError as error:
                errors.update(error.detail)
    for key, name, parse in (("min_rating", "min_rating", min_rating_parse),
                             ("published_after", "published_after", published_after_parse)):
        raw = params.get(name, "")
        if raw == "":
            continue
        try:
            found[key] = parse(raw)
        except ValidationError as error:
            errors.update(error.detail)
    try:
        resolved = _resolve(wanted, version)
    except ValidationError as error:
        errors.update(error.detail)
    if errors:
        raise ValidationError(errors)
    for name, ids in resolved.items():
        key = _SLUG_FILTERS[name][0]
        found[key] = ids[0] if key == "tag_id" else ids
    return FeedCriteria(**found)


class TestimonialFilter(django_filters.FilterSet):
    """The feed's filters as a FilterSet (the Atom feed), with the API's parsers: the same answers."""

    location = django_filters.CharFilter(method="filter_location", strip=False,
                                         help_text="Clinic slug; several separated by commas.")
    therapist = django_filters.CharFilter(method="filter_therapist", strip=False, help_text="Therapist slug.")
    min_rating = django_filters.CharFilter(method="filter_min_rating", strip=False, help_text="1–5.")
    tag = django_filters.CharFilter(method="filter_tag", strip=False, help_text="Condition or body-region tag slug.")
    published_after = django_filters.CharFilter(method="filter_published_after", strip=False,
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

    def _version(self) -> int:
        """The publication version PublicApiCacheMiddleware read for this request (0: none, read afresh)."""
        return getattr(self.request, "feed_version", 0) or 0

    def filter_location(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        ids = self.criteria["location_ids"] = known_ids(Location, value, field=name, what="clinic",
                                                        version=self._version())
        return queryset.filter(location_id__in=ids)

    def filter_therapist(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        ids = self.criteria["therapist_ids"] = known_ids(Therapist, value, field=name, what="therapist",
                                                         version=self._version())
        return queryset.filter(therapist_id__in=ids)

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        (tag_id,) = known_ids(Tag, value, field=name, what="tag", several=False, version=self._version())
        self.criteria["tag_id"] = tag_id
        return queryset.filter(tags=tag_id)

    def filter_min_rating(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        self.criteria["min_rating"] = min_rating_parse(value, field=name)
        return queryset.filter(rating__gte=self.criteria["min_rating"])

    def filter_published_after(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        utc = self.criteria["published_after"] = published_after_parse(value, field=name)
        return queryset.filter(published_at__gt=utc)


class TherapistFilter(django_filters.FilterSet):
    location = django_filters.CharFilter(method="filter_location", strip=False, help_text="Clinic slug.")

    class Meta:
        model = Therapist
        fields: list[str] = []

    def filter_location(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(locations__in=known_ids(Location, value, field=name, what="clinic")).distinct()
