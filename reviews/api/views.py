"""The public, read-only API for the practice's website."""
from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from reviews import feed_cache, selectors
from reviews.models import Location, Testimonial, Therapist

from .filters import TestimonialFilter, TherapistFilter
from .serializers import LocationSerializer, TestimonialSerializer, TherapistSerializer

logger = logging.getLogger(__name__)

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"


class FeedCacheMixin:
    """Caches list pages under the feed's version, which every change of publication bumps.

    On only when a shared cache (Redis) is configured: a per-process cache could serve a withdrawn
    testimonial from another process. A cache outage just means uncached responses."""

    def list(self, request, *args, **kwargs) -> Response:
        seconds = settings.FEED_CACHE_SECONDS
        version = feed_cache.feed_cache_version() if seconds else 0
        if not version:
            return super().list(request, *args, **kwargs)
        digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"feed:{version}:{self.basename}:{digest}"
        try:
            data = cache.get(key)
        except Exception:
            data = None
        if data is not None:
            return Response(data)
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            try:
                cache.set(key, response.data, seconds)
            except Exception:
                logger.warning("cache unavailable; feed page not cached")
        return response


class BadCursorIs400(CursorPagination):
    """A malformed `cursor` is bad input (400 with a message), not a missing page (DRF says 404)."""

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({"cursor": ["Invalid cursor: use the `next` or `previous` link as given."]}) from None


class FeedPagination(BadCursorIs400):
    """Newest published first; stable under inserts, so a site can page without gaps or repeats."""

    ordering = ("-published_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data) -> Response:
        response = super().get_paginated_response(data)
        # An honest feed: the site can say "selected from N received" truthfully.
        response.data.update(selectors.feed_counts())
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["received_count"] = {"type": "integer"}
        schema["properties"]["published_count"] = {"type": "integer"}
        return schema


class ListPagination(BadCursorIs400):
    ordering = ("slug",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema_view(list=extend_schema(summary="Approved testimonials, newest first"),
                    retrieve=extend_schema(summary="One approved testimonial"))
class TestimonialViewSet(FeedCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Approved testimonials with a valid authorization. Filter by `location` (slugs, comma-separated),
    `therapist`, `min_rating`, `tag` and `published_after`. Unknown filter values give 400."""

    serializer_class = TestimonialSerializer
    filterset_class = TestimonialFilter
    pagination_class = FeedPagination

    def get_queryset(self) -> QuerySet[Testimonial]:
        return selectors.testimonial_list_published()


class LocationViewSet(FeedCacheMixin, viewsets.ReadOnlyModelViewSet):
    """The practice's clinics, with their published testimonial count and average rating."""

    serializer_class = LocationSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN  # anything else is a 404 before it reaches the database
    pagination_class = ListPagination

    def get_queryset(self) -> QuerySet[Location]:
        return selectors.location_list_with_stats()


class TherapistViewSet(FeedCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Therapists (filter by `location` slug), with published testimonial count and average rating."""

    serializer_class = TherapistSerializer
    filterset_class = TherapistFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    pagination_class = ListPagination

    def get_queryset(self) -> QuerySet[Therapist]:
        return selectors.therapist_list_with_stats()
