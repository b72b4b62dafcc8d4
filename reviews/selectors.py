"""Reads shared by the API, the admin and the tasks."""
from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Location, Testimonial, Therapist


def published_q(prefix: str = "") -> Q:
    """Approved, with an authorization that has not expired (withdrawn ones are never approved)."""
    return Q(**{f"{prefix}status": Testimonial.Status.APPROVED, f"{prefix}consent_expires_at__gt": timezone.now()})


def testimonial_list_published() -> QuerySet[Testimonial]:
    """The public feed: newest published first, with what a page needs in a constant number of queries."""
    return (
        Testimonial.objects.filter(published_q())
        .select_related("location", "therapist")
        .prefetch_related("tags")
        .order_by("-published_at", "-id")
    )


def testimonial_rows_published(columns: tuple[str, ...]) -> QuerySet:
    """The public feed as flat rows: the same selection and order as `testimonial_list_published`."""
    return Testimonial.objects.filter(published_q()).order_by("-published_at", "-id").values(*columns)


def testimonial_tag_slugs(ids: list[int]) -> dict[int, list[str]]:
    """{testimonial id: its tag slugs, sorted}, in one query."""
    tags: dict[int, list[str]] = {pk: [] for pk in ids}
    links = (Testimonial.tags.through.objects.filter(testimonial_id__in=ids)
             .order_by("tag__slug").values_list("testimonial_id", "tag__slug"))
    for testimonial_id, slug in links:
        tags[testimonial_id].append(slug)
    return tags


def location_list() -> QuerySet[Location]:
    """Active clinics (their counts come from reviews.counters)."""
    return Location.objects.filter(is_active=True).order_by("name")


def therapist_list() -> QuerySet[Therapist]:
    """Active therapists with their clinics (their counts come from reviews.counters)."""
    return Therapist.objects.filter(is_active=True).prefetch_related("locations").order_by("first_name", "last_name")
