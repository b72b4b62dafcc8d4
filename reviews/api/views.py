"""The public, read-only API for the practice's website."""
from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from reviews import selectors
from reviews.models import Location, Testimonial, Therapist

from .filters import TestimonialFilter, TherapistFilter
from .serializers import LocationSerializer, TestimonialSerializer, TherapistSerializer


class FeedPagination(CursorPagination):
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


class ListPagination(CursorPagination):
    ordering = ("slug",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema_view(list=extend_schema(summary="Approved testimonials, newest first"),
                    retrieve=extend_schema(summary="One approved testimonial"))
class TestimonialViewSet(viewsets.ReadOnlyModelViewSet):
    """Approved testimonials with a valid authorization. Filter by `location` (slugs, comma-separated),
    `therapist`, `min_rating`, `tag` and `published_after`. Unknown filter values give 400."""

    serializer_class = TestimonialSerializer
    filterset_class = TestimonialFilter
    pagination_class = FeedPagination

    def get_queryset(self) -> QuerySet[Testimonial]:
        return selectors.testimonial_list_published()


class LocationViewSet(viewsets.ReadOnlyModelViewSet):
    """The practice's clinics, with their published testimonial count and average rating."""

    serializer_class = LocationSerializer
    lookup_field = "slug"
    pagination_class = ListPagination

    def get_queryset(self) -> QuerySet[Location]:
        return selectors.location_list_with_stats()


class TherapistViewSet(viewsets.ReadOnlyModelViewSet):
    """Therapists (filter by `location` slug), with published testimonial count and average rating."""

    serializer_class = TherapistSerializer
    filterset_class = TherapistFilter
    lookup_field = "slug"
    pagination_class = ListPagination

    def get_queryset(self) -> QuerySet[Therapist]:
        return selectors.therapist_list_with_stats()
