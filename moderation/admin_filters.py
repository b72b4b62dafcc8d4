"""List filters of the moderation queue. None of them reads the testimonials to build its choices: at a
million rows a `SELECT DISTINCT` per filter per page would cost more than the page itself."""
from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils import timezone

from reviews.models import Testimonial

from .models import Flag

S = Testimonial.Status
# The flag codes the analysis writes (DESIGN.md); a code not listed still filters when asked for by URL.
FLAG_CODES = ["pii_email", "pii_phone", "pii_name", "link", "profanity", "negative_sentiment", "rating_mismatch",
              "too_short", "shouting", "non_english", "duplicate", "spam"]


class StatusFilter(admin.SimpleListFilter):
    """Opens on the work to do (in review); "All" is an explicit choice. A search looks in every state
    unless a state is chosen: a patient's surname or email is found wherever their testimonial is."""

    title = "status"
    parameter_name = "status__exact"
    default = S.IN_REVIEW

    def __init__(self, request, params, model, model_admin):
        self.searching = bool(request.GET.get("q", "").strip())
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [("all", "All"), *S.choices]

    def value(self):
        return super().value() or ("all" if self.searching else self.default)

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == "all":
            return queryset
        return queryset.filter(status=value) if value in S.values else queryset.none()


class FlagFilter(admin.SimpleListFilter):
    title = "flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [("none", "No flags"), *((c, c) for c in FLAG_CODES)]

    def queryset(self, request, queryset):
        # EXISTS, not a join + DISTINCT: the queue's order (oldest first) can still walk its index.
        flags = Flag.objects.filter(testimonial=OuterRef("pk"))
        if self.value() == "none":
            return queryset.filter(~Exists(flags))
        if self.value():
            return queryset.filter(Exists(flags.filter(code=self.value())))
        return queryset


class SentimentFilter(admin.SimpleListFilter):
    title = "sentiment (the service's label)"
    parameter_name = "sentiment"

    def lookups(self, request, model_admin):
        return [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")]

    def queryset(self, request, queryset):
        return queryset.filter(analysis__label=self.value()) if self.value() else queryset


class RatingFilter(admin.SimpleListFilter):
    """The five ratings, fixed (Django's default would read every row for its distinct values)."""

    title = "rating"
    parameter_name = "rating__exact"

    def lookups(self, request, model_admin):
        return [(str(n), "★" * n) for n in range(5, 0, -1)]

    def queryset(self, request, queryset):
        return queryset.filter(rating=int(self.value())) if self.value() in {"1", "2", "3", "4", "5"} else queryset


class LanguageFilter(admin.SimpleListFilter):
    """The language the analysis detected: the two the practice accepts, any other, not yet detected."""

    title = "language"
    parameter_name = "language"
    ACCEPTED = {"en": "English", "es": "Spanish"}

    def lookups(self, request, model_admin):
        return [*self.ACCEPTED.items(), ("other", "Other"), ("unknown", "Not detected yet")]

    def queryset(self, request, queryset):
        value = self.value()
        if value in self.ACCEPTED:
            return queryset.filter(language=value)
        if value == "other":
            return queryset.exclude(language__in=[*self.ACCEPTED, ""])
        if value == "unknown":
            return queryset.filter(language="")
        return queryset


class ReceivedFilter(admin.SimpleListFilter):
    """When the testimonial arrived: ranges on `created_at`, which the queue's index orders by."""

    title = "received"
    parameter_name = "received"
    RANGES = {"today": ("Today", 0), "7d": ("Past 7 days", 7), "30d": ("Past 30 days", 30),
              "older30": ("More than 30 days ago", 30), "older90": ("More than 90 days ago", 90)}

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.RANGES.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.RANGES:
            return queryset
        days = self.RANGES[self.value()][1]
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(days=days)
        if self.value().startswith("older"):
            return queryset.filter(created_at__lt=start)
        return queryset.filter(created_at__gte=start)


class BackgroundFailureFilter(admin.SimpleListFilter):
    """Testimonials whose analysis, confirmation or "now published" email failed for good (the sweep no
    longer sends them)."""

    title = "background task"
    parameter_name = "background"

    def lookups(self, request, model_admin):
        return [("failed", "Failed"), ("analysis", "Analysis failed"), ("confirmation", "Confirmation email failed"),
                ("notice", "Publication email failed")]

    def queryset(self, request, queryset):
        from django.db.models import Q

        if self.value() == "failed":
            return queryset.filter(Q(analysis_failed_at__isnull=False) | Q(confirmation_failed_at__isnull=False)
                                   | Q(notice_failed_at__isnull=False))
        if self.value() in ("analysis", "confirmation", "notice"):
            return queryset.filter(**{f"{self.value()}_failed_at__isnull": False})
        return queryset
