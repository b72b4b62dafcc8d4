"""The public, read-only API for the practice's website.

Every GET goes through `CachedGetMixin` (http_cache.py): stored bytes under the publication version,
ETag / Last-Modified / Cache-Control, 304s. Lists are written from flat rows and counts come from the
trigger-kept counters, so a request costs the same few queries at any number of testimonials."""
from __future__ import annotations

import binascii
import re
from base64 import b64decode, b64encode
from datetime import UTC, datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from rest_framework import generics, mixins, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from reviews import counters, feed_query, selectors
from reviews.jsonld import testimonial_jsonld
from reviews.models import Location, Tag, Testimonial, Therapist

from . import schema
from .filters import PAGE_SIZE_PATTERN, TherapistFilter, feed_criteria_parse
from .http_cache import CachedGetMixin
from .serializers import (
    LocationSerializer,
    StatsSerializer,
    TagSerializer,
    TestimonialSerializer,
    TherapistSerializer,
    testimonial_represent,
)

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
_PAGE_SIZE = re.compile(PAGE_SIZE_PATTERN)


class StrictPagination(CursorPagination):
    """A malformed `cursor` or `page_size` is bad input (400 with a message), never silently ignored."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({"cursor": ["Invalid cursor: use the `next` or `previous` link as given."]}) from None

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not _PAGE_SIZE.fullmatch(raw):
            raise ValidationError({"page_size": [f"page_size must be a whole number from 1 to {self.max_page_size}."]})
        return min(int(raw), self.max_page_size)  # more than the maximum is capped, as documented


class FeedPagination(StrictPagination):
    """Newest published first, by keyset on (published_at, id): stable under inserts, so a site can
    page without gaps or repeats, and page 200 costs what page 1 does. The cursor is opaque."""

    page_size = 20

    def feed_page(self, request: Request, criteria: counters.FeedCriteria) -> list[dict]:
        self.request, self.page_size_now = request, self.get_page_size(request)
        direction, position = self._position(request.query_params.get(self.cursor_query_param, ""))
        window = {"before": position} if direction == "n" else {"after": position} if direction == "p" else {}
        rows, self.stats = feed_query.feed_page(criteria, limit=self.page_size_now + 1, **window)
        more = len(rows) > self.page_size_now
        if direction == "p":
            rows = rows[1:] if more else rows  # the extra row is the newest: there is a page before
            self.has_next, self.has_previous = True, more
        else:
            rows = rows[:-1] if more else rows
            self.has_next, self.has_previous = more, direction == "n"
        self.rows = rows
        return rows

    def _position(self, raw: str) -> tuple[str, tuple | None]:
        if raw == "":
            return "", None
        try:
            direction, moment, pk = b64decode(raw.encode("ascii"), validate=True).decode().split("|")
            found = datetime.fromisoformat(moment)
            if direction not in ("n", "p") or found.tzinfo is None or not 0 < int(pk) < 2**63:
                raise ValueError(direction)
            # In UTC: PostgreSQL refuses offsets Python accepts (a forged cursor must not make a 500).
            return direction, (found.astimezone(UTC), int(pk))
        except (ValueError, OverflowError, UnicodeError, binascii.Error):
            raise ValidationError({"cursor": ["Invalid cursor: use the `next` or `previous` link as given."]}) from None

    def _link(self, direction: str, row: dict) -> str:
        cursor = b64encode(f"{direction}|{row['published_at'].isoformat()}|{row['id']}".encode()).decode()
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def get_paginated_response(self, data) -> Response:
        return Response({
            "next": self._link("n", self.rows[-1]) if self.has_next and self.rows else None,
            "previous": self._link("p", self.rows[0]) if self.has_previous and self.rows else None,
            "results": data,
        })

    def get_paginated_response_schema(self, schema: dict) -> dict:
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["received_count"] = {"type": "integer", "description": "Received with these filters."}
        schema["properties"]["published_count"] = {"type": "integer", "description": "Published with these filters."}
        return schema


class ListPagination(StrictPagination):
    ordering = ("slug",)
    page_size = 100


class TestimonialViewSet(CachedGetMixin, viewsets.ReadOnlyModelViewSet):
    """Approved testimonials with a valid authorization. Filter by `location` (slugs, comma-separated),
    `therapist`, `min_rating`, `tag` and `published_after`. Unknown filter values give 400."""

    serializer_class = TestimonialSerializer
    pagination_class = FeedPagination
    lookup_value_regex = r"[0-9]{1,18}"  # anything else is a 404 before it reaches the database

    queryset = Testimonial.objects.none()  # for the schema only: reads go to reviews.feed_query

    def list(self, request: Request, *args, **kwargs) -> Response:
        criteria = feed_criteria_parse(request.query_params)
        rows = self.paginator.feed_page(request, criteria)
        zone = timezone.get_current_timezone()
        response = self.get_paginated_response([testimonial_represent(row, zone) for row in rows])
        stats = self.paginator.stats or counters.feed_stats(criteria)
        # An honest feed: the site can say "selected from N received" truthfully, for these filters.
        response.data["received_count"] = stats["received_count"]
        response.data["published_count"] = stats["published_count"]
        return response

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        row = feed_query.feed_one(int(kwargs["pk"]))
        if row is None:
            raise Http404("No published testimonial with this id.")
        public = testimonial_represent(row)
        return Response({**public, "jsonld": testimonial_jsonld(public)})


class CountedMixin:
    """Locations and therapists carry their published count and average, read from the counters."""

    counter_field = ""

    def attach_counts(self, objects: list) -> list:
        found = counters.published_by(self.counter_field, ids=[obj.pk for obj in objects])
        for obj in objects:
            obj.published_count, obj.average_rating = found.get(obj.pk, (0, None))
        return objects

    def paginate_queryset(self, queryset):
        return self.attach_counts(super().paginate_queryset(queryset))

    def get_object(self):
        return self.attach_counts([super().get_object()])[0]


class LocationViewSet(CachedGetMixin, CountedMixin, viewsets.ReadOnlyModelViewSet):
    """The practice's clinics, with their published testimonial count and average rating."""

    serializer_class = LocationSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN  # anything else is a 404 before it reaches the database
    pagination_class = ListPagination
    counter_field = "location_id"

    def get_queryset(self) -> QuerySet[Location]:
        return selectors.location_list()


class TherapistViewSet(CachedGetMixin, CountedMixin, viewsets.ReadOnlyModelViewSet):
    """Therapists (filter by `location` slug), with published testimonial count and average rating."""

    serializer_class = TherapistSerializer
    filterset_class = TherapistFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    pagination_class = ListPagination
    counter_field = "therapist_id"

    def get_queryset(self) -> QuerySet[Therapist]:
        return selectors.therapist_list()


class TagViewSet(CachedGetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The tags one can filter the feed by (treated conditions and body regions), with how many
    published testimonials carry each; every tag filters, also one with none yet."""

    serializer_class = TagSerializer
    pagination_class = ListPagination
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Tag]:
        return Tag.objects.all()

    def paginate_queryset(self, queryset):
        tags = super().paginate_queryset(queryset)
        published = counters.published_by_tag()
        for tag in tags:
            tag.published_count = published.get(tag.pk, 0)
        return tags


class StatsView(CachedGetMixin, generics.GenericAPIView):
    """How many testimonials were received and published, and their average ratings, for the same
    filters as the list. From counters kept by the database: as cheap at a million as at ten."""

    serializer_class = StatsSerializer
    pagination_class = None

    queryset = Testimonial.objects.none()  # for the schema only

    def get(self, request: Request) -> Response:
        return Response(counters.feed_stats(feed_criteria_parse(request.query_params)))


for _view, _name in ((TestimonialViewSet, "testimonials"), (LocationViewSet, "locations"),
                     (TherapistViewSet, "therapists"), (TagViewSet, "tags"), (StatsView, "stats")):
    schema.document(_view, name=_name)
