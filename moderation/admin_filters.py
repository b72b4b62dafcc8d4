"""List filters of the moderation queue."""
from __future__ import annotations

from django.contrib import admin

from reviews.models import Testimonial

from .models import Flag

S = Testimonial.Status


class StatusFilter(admin.SimpleListFilter):
    """Opens on the work to do (in review); "All" is an explicit choice."""

    title = "status"
    parameter_name = "status__exact"
    default = S.IN_REVIEW

    def lookups(self, request, model_admin):
        return [("all", "All"), *S.choices]

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value == "all" else queryset.filter(status=value)


class FlagFilter(admin.SimpleListFilter):
    title = "flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        codes = Flag.objects.order_by("code").values_list("code", flat=True).distinct()
        return [("none", "No flags"), *((c, c) for c in codes)]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(flags__isnull=True)
        if self.value():
            return queryset.filter(flags__code=self.value()).distinct()
        return queryset


class SentimentFilter(admin.SimpleListFilter):
    title = "sentiment"
    parameter_name = "sentiment"

    def lookups(self, request, model_admin):
        return [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")]

    def queryset(self, request, queryset):
        return queryset.filter(analysis__label=self.value()) if self.value() else queryset


class BackgroundFailureFilter(admin.SimpleListFilter):
    """Testimonials whose analysis or confirmation email failed for good (the sweep no longer sends them)."""

    title = "background task"
    parameter_name = "background"

    def lookups(self, request, model_admin):
        return [("failed", "Failed"), ("analysis", "Analysis failed"), ("confirmation", "Confirmation email failed")]

    def queryset(self, request, queryset):
        from django.db.models import Q

        if self.value() == "failed":
            return queryset.filter(Q(analysis_failed_at__isnull=False) | Q(confirmation_failed_at__isnull=False))
        if self.value() in ("analysis", "confirmation"):
            return queryset.filter(**{f"{self.value()}_failed_at__isnull": False})
        return queryset
