"""Reads for moderators: the even-handedness report."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from reviews.models import Testimonial

S = Testimonial.Status
# What the report can group by → the fields grouped on.
GROUPINGS = {"rating": ["rating"], "clinic": ["location__name"],
             "therapist": ["therapist__first_name", "therapist__last_name"]}


@dataclass(frozen=True)
class ApprovalRow:
    group: str
    received: int
    approved: int
    rejected: int

    @property
    def decided(self) -> int:
        return self.approved + self.rejected

    @property
    def approval_rate(self) -> float | None:
        return self.approved / self.decided if self.decided else None


def approval_rates(*, by: str, queryset: QuerySet[Testimonial] | None = None) -> list[ApprovalRow]:
    """Approved vs rejected per star rating, clinic or therapist (withdrawn ones and bots' catches left
    out), over `queryset` (default every testimonial; the admin passes the user's clinics)."""
    if by not in GROUPINGS:
        raise ValueError(f"group by one of {', '.join(GROUPINGS)}")
    fields = GROUPINGS[by]
    rows = (
        (Testimonial.objects.all() if queryset is None else queryset)
        .exclude(status=S.WITHDRAWN).exclude(source=Testimonial.Source.HONEYPOT)
        .values(*fields)
        .annotate(received=Count("id"), approved=Count("id", filter=Q(status=S.APPROVED)),
                  rejected=Count("id", filter=Q(status=S.REJECTED)))
        .order_by(*fields)
    )
    result = []
    for row in rows:
        if by == "rating":
            label = "★" * row["rating"]
        elif by == "therapist":
            label = " ".join(filter(None, [row["therapist__first_name"], row["therapist__last_name"]])) or "(not named)"
        else:
            label = row["location__name"]
        result.append(ApprovalRow(group=label, received=row["received"], approved=row["approved"],
                                  rejected=row["rejected"]))
    return result
