"""The public, read-only API for the practice's website.

Every GET goes through `CachedGetMixin` (http_cache.py): stored bytes under the publication version,
ETag / Last-Modified / Cache-Control, 304s. Lists are written from flat rows and counts come from the
trigger-kept counters, so a request costs the same few queries at any number of testimonials."""
from __future__ import annotations

import binascii
import re
from base64 import b64decode, b64encode
from datetime import UTC, datetime

from django.http import Http404
from django.utils import timezone
from rest_framework import generics, mixins, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from reviews import catalogue_query, counters, feed_query
from reviews.jsonld import testimonial_jsonld
from reviews.models import Location, Tag, Testimonial, Therapist

from . import schema
from .filters import PAGE_SIZE_PATTERN, TherapistFilter, feed_criteria_parse, known_ids
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


class KeysetPagination(StrictPagination):
    """Pages by keyset: each page starts after the last row of the one before, so a site can page
    without gaps or repeats while rows are added, and a late page costs what the first does. The
    cursor is opaque ("n" or "p", then the position's parts, base64)."""

    def keyset_page(self, request: Request, fetch) -> list:
        """`fetch(limit=, next_of=position | previous_of=position)` gives rows in page order."""
        self.request, self.page_size_now = request, self.get_page_size(request)
        direction, position = self._position(request.query_params.get(self.cursor_query_param, ""))
        window = {"next_of": position} if direction == "n" else {"previous_of": position} if direction == "p" else {}
        rows = fetch(limit=self.page_size_now + 1, **window)
        more = len(rows) > self.page_size_now
        if direction == "p":
            rows = rows[1:] if more else rows  # the extra row is the first: there is a page before
            self.has_next, self.has_previous = True, more
        else:
            rows = rows[:-1] if more else rows
            self.has_next, self.has_previous = more, direction == "n"
        self.rows = rows
        return rows

    def position_of(self, row: dict) -> list[str]:
        raise NotImplementedError

    def position_parse(self, parts: list[str]):
        """The position from the cursor's parts; ValueError when it is not one."""
        raise NotImplementedError

    def _position(self, raw: str) -> tuple[str, object]:
        if raw == "":
            return "", None
        try:
            direction, *parts = b64decode(raw.encode("ascii"), validate=True).decode().split("|")
            if direction not in ("n", "p"):
                raise ValueError(direction)
            return direction, self.position_parse(parts)
        except (ValueError, OverflowError, UnicodeError, binascii.Error):
            raise ValidationError({"cursor": ["Invalid cursor: use the `next` or `previous` link as given."]}) from None

    def _link(self, direction: str, row: dict) -> str:
        cursor = b64encode("|".join([direction, *self.position_of(row)]).encode()).decode()
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def get_paginated_response(self, data) -> Response:
        return Response({
            "next": self._link("n", self.rows[-1]) if self.has_next and self.rows else None,
            "previous": self._link("p", self.rows[0]) if self.has_previous and self.rows else None,
            "results": data,
        })


class FeedPagination(KeysetPagination):
    """Newest published first, by keyset on (published_at, id)."""

    page_size = 20

    def feed_page(self, request: Request, criteria: counters.FeedCriteria) -> list[dict]:
        def fetch(*, limit: int, next_of=None, previous_of=None) -> list[dict]:
            rows, self.stats = feed_query.feed_page(criteria, limit=limit, version=request.feed_version,
                                                    before=next_of, after=previous_of)
            return rows

        return self.keyset_page(request, fetch)

    def position_of(self, row: dict) -> list[str]:
        return [row["published_at"].isoformat(), str(row["id"])]

    def position_parse(self, parts: list[str]) -> tuple[datetime, int]:
        moment, pk = parts
        found = datetime.fromisoformat(moment)
        if found.tzinfo is None or not 0 < int(pk) < 2**63:
            raise ValueError(moment)
        # In UTC: PostgreSQL refuses offsets Python accepts (a forged cursor must not make a 500).
        return found.astimezone(UTC), int(pk)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["received_count"] = {"type": "integer", "description": "Received with these filters."}
        schema["properties"]["published_count"] = {"type": "integer", "description": "Published with these filters."}
        return schema


class ListPagination(KeysetPagination):
    """Clinics, therapists and tags by slug, 100 a page."""

    page_size = 100

    def position_of(self, row: dict) -> list[str]:
        return [row["slug"]]

    def position_parse(self, parts: list[str]) -> str:
        (slug,) = parts
        if not re.fullmatch(SLUG_PATTERN, slug):
            raise ValueError(slug)
        return slug


class TestimonialViewSet(CachedGetMixin, viewsets.ReadOnlyModelViewSet):
    """Approved testimonials with a valid authorization. Filter by `location` (slugs, comma-separated),
    `therapist`, `min_rating`, `tag` and `published_after`. Unknown filter values give 400."""

    serializer_class = TestimonialSerializer
    pagination_class = FeedPagination
    lookup_value_regex = r"[0-9]{1,18}"  # anything else is a 404 before it reaches the database

    queryset = Testimonial.objects.none()  # for the schema only: reads go to reviews.feed_query

    def list(self, request: Request, *args, **kwargs) -> Response:
        criteria = feed_criteria_parse(request.query_params, version=request.feed_version)
        rows = self.paginator.feed_page(request, criteria)
        zone = timezone.get_current_timezone()
        response = self.get_paginated_response([testimonial_represent(row, zone) for row in rows])
        stats = self.paginator.stats or counters.feed_stats(criteria)
        # An honest feed: the site can say "selected from N received" truthfully, for these filters.
        response.data["received_count"] = stats["received_count"]
        response.data["published_count"] = stats["published_count"]
        return response

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        row = feed_query.feed_one(int(kwargs["pk"]), version=request.feed_version)
        if row is None:
            raise Http404("No published testimonial with this id.")
        public = testimonial_represent(row)
        return Response({**public, "jsonld": testimonial_jsonld(public)})


class CatalogueMixin:
    """Clinics, therapists and tags from reviews.catalogue_query: one query a page, no model instances.
    The serializer classes describe the same shape for the OpenAPI schema (tests hold both alike)."""

    pagination_class = ListPagination
    catalogue = ""

    def rows(self, **window) -> list[dict]:
        return getattr(catalogue_query, self.catalogue)(**window)

    def list(self, request: Request, *args, **kwargs) -> Response:
        rows = self.paginator.keyset_page(request, lambda *, limit, next_of=None, previous_of=None: self.rows(
            limit=limit, after=next_of, before=previous_of))
        return self.get_paginated_response(rows)


class CatalogueDetailMixin(CatalogueMixin):
    """…and one of them by its slug."""

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        found = self.rows(limit=1, slug=kwargs[self.lookup_field])
        if not found:
            raise Http404(f"No {self.basename} with this slug.")
        return Response(found[0])


class LocationViewSet(CachedGetMixin, CatalogueDetailMixin, viewsets.ReadOnlyModelViewSet):
    """The practice's clinics, with their published testimonial count and average rating."""

    serializer_class = LocationSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN  # anything else is a 404 before it reaches the database
    queryset = Location.objects.none()  # for the schema only
    catalogue = "locations"


class TherapistViewSet(CachedGetMixin, CatalogueDetailMixin, viewsets.ReadOnlyModelViewSet):
    """Therapists (filter by `location` slug), with published testimonial count and average rating."""

    serializer_class = TherapistSerializer
    filterset_class = TherapistFilter  # for the schema: `location` is parsed below, with the same rules
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    queryset = Therapist.objects.none()  # for the schema only
    catalogue = "therapists"

    def rows(self, **window) -> list[dict]:
        raw = self.request.query_params.get("location", "")
        clinics = (known_ids(Location, raw, field="location", what="clinic", version=self.request.feed_version)
                   if raw else None)
        return catalogue_query.therapists(location_ids=clinics, **window)


class TagViewSet(CachedGetMixin, CatalogueMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The tags one can filter the feed by (treated conditions and body regions), with how many
    published testimonials carry each; every tag filters, also one with none yet."""

    serializer_class = TagSerializer
    filter_backends: list = []
    queryset = Tag.objects.none()  # for the schema only
    catalogue = "tags"


class StatsView(CachedGetMixin, generics.GenericAPIView):
    """How many testimonials were received and published, and their average ratings, for the same
    filters as the list. From counters kept by the database: as cheap at a million as at ten."""

    serializer_class = StatsSerializer
    pagination_class = None

    queryset = Testimonial.objects.none()  # for the schema only

    def get(self, request: Request) -> Response:
        return Response(counters.feed_stats(feed_criteria_parse(request.query_params, version=request.feed_version)))


for _view, _name in ((TestimonialViewSet, "testimonials"), (LocationViewSet, "locations"),
                     (TherapistViewSet, "therapists"), (TagViewSet, "tags"), (StatsView, "stats")):
    schema.document(_view, name=_name)
