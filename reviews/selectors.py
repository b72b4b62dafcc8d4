"""Reads shared by the API, the admin and the tasks."""
from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Testimonial


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
