"""The public, read-only API for the practice's website.

Every GET goes through `CachedGetMixin` (http_cache.py): stored bytes under the publication version,
ETag / Last-Modified / Cache-Control, 304s. Lists are written from flat rows and counts come from the
trigger-kept counters, so a request costs the same few queries at any number of testimonials."""
from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import Http404
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics, mixins, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from reviews import counters, selectors
from reviews.jsonld import testimonial_jsonld
from reviews.models import Location, Tag, Therapist

from . import schema
from .filters import TestimonialFilter, TherapistFilter
from .http_cache import CachedGetMixin
from .serializers import (TESTIMONIAL_COLUMNS, LocationSerializer, StatsSerializer, TagSerializer,
                          TestimonialSerializer, TherapistSerializer, testimonial_represent)

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
_PAGE_SIZE = re.compile(r"[0-9]{1,9}")


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
        if not _PAGE_SIZE.fullmatch(raw) or int(raw) < 1:
            raise ValidationError({"page_size": [f"page_size must be a whole number from 1 to {self.max_page_size}."]})
        return min(int(raw), self.max_page_size)  # more than the maximum is capped, as documented


class FeedPagination(StrictPagination):
    """Newest published first; stable under inserts, so a site can page without gaps or repeats."""

    ordering = ("-published_at", "-id")
    page_size = 20

    def get_paginated_response_schema(self, schema: dict) -> dict:
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["received_count"] = {"type": "integer", "description": "Received with these filters."}
        schema["properties"]["published_count"] = {"type": "integer", "description": "Published with these filters."}
        return schema


class ListPagination(StrictPagination):
    ordering = ("slug",)
    page_size = 100


class FeedFiltersMixin:
    """Runs the view's FilterSet and keeps what it resolved to (`self.criteria`) for the counts."""

    filter_backends = [DjangoFilterBackend]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        filterset = DjangoFilterBackend().get_filterset(self.request, queryset, self)
        if not filterset.is_valid():
            raise filter_utils.translate_validation(filterset.errors)
        filtered = filterset.qs
        self.criteria = filterset.feed_criteria() if hasattr(filterset, "feed_criteria") else None
        return filtered


class TestimonialViewSet(CachedGetMixin, FeedFiltersMixin, viewsets.ReadOnlyModelViewSet):
    """Approved testimonials with a valid authorization. Filter by `location` (slugs, comma-separated),
    `therapist`, `min_rating`, `tag` and `published_after`. Unknown filter values give 400."""

    serializer_class = TestimonialSerializer
    filterset_class = TestimonialFilter
    pagination_class = FeedPagination
    lookup_value_regex = r"[0-9]{1,18}"  # anything else is a 404 before it reaches the database

    def get_queryset(self) -> QuerySet:
        return selectors.testimonial_rows_published(TESTIMONIAL_COLUMNS)

    def list(self, request: Request, *args, **kwargs) -> Response:
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        tags = selectors.testimonial_tag_slugs([row["id"] for row in rows])
        response = self.get_paginated_response([testimonial_represent(row, tags[row["id"]]) for row in rows])
        stats = counters.feed_stats(self.criteria)
        # An honest feed: the site can say "selected from N received" truthfully, for these filters.
        response.data["received_count"] = stats["received_count"]
        response.data["published_count"] = stats["published_count"]
        return response

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        row = self.get_queryset().filter(pk=int(kwargs["pk"])).first()
        if row is None:
            raise Http404("No published testimonial with this id.")
        public = testimonial_represent(row, selectors.testimonial_tag_slugs([row["id"]])[row["id"]])
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


class StatsView(CachedGetMixin, FeedFiltersMixin, generics.GenericAPIView):
    """How many testimonials were received and published, and their average ratings, for the same
    filters as the list. From counters kept by the database: as cheap at a million as at ten."""

    serializer_class = StatsSerializer
    filterset_class = TestimonialFilter
    pagination_class = None

    def get_queryset(self) -> QuerySet:
        return selectors.testimonial_rows_published(("id",))

    def get(self, request: Request) -> Response:
        self.filter_queryset(self.get_queryset())  # validates and resolves the filters; runs no count
        return Response(counters.feed_stats(self.criteria))


for _view, _name in ((TestimonialViewSet, "testimonials"), (LocationViewSet, "locations"),
                     (TherapistViewSet, "therapists"), (TagViewSet, "tags"), (StatsView, "stats")):
    schema.document(_view, name=_name)
