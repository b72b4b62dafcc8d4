"""Reads shared by the API, the admin and the tasks."""
from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet
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


def location_list_with_stats() -> QuerySet[Location]:
    """Active clinics with their published count and average rating."""
    published = published_q("testimonials__")
    return Location.objects.filter(is_active=True).annotate(
        published_count=Count("testimonials", filter=published),
        average_rating=Avg("testimonials__rating", filter=published),
    ).order_by("name")


def therapist_list_with_stats() -> QuerySet[Therapist]:
    """Active therapists with their published count and average rating."""
    published = published_q("testimonials__")
    return (
        Therapist.objects.filter(is_active=True)
        .annotate(
            published_count=Count("testimonials", filter=published, distinct=True),
            average_rating=Avg("testimonials__rating", filter=published),
        )
        .prefetch_related("locations")
        .order_by("first_name", "last_name")
    )


def testimonial_list_received() -> QuerySet[Testimonial]:
    """What people sent: not withdrawn, and not a bot's post rejected on arrival (honeypot, still rejected)."""
    S = Testimonial.Status
    # Only the system moves pending → rejected (moderation.intake); one filter() call so both conditions
    # hold on the same event.
    on_arrival = Testimonial.objects.filter(status=S.REJECTED, events__from_status=S.PENDING,
                                            events__to_status=S.REJECTED)
    return Testimonial.objects.exclude(status=S.WITHDRAWN).exclude(pk__in=on_arrival.values("pk"))


def feed_counts() -> dict[str, int]:
    """How many testimonials were received (not withdrawn) and how many are published: an honest feed."""
    received = testimonial_list_received().count()
    return {"received_count": received, "published_count": Testimonial.objects.filter(published_q()).count()}
