"""The webhook delivery log in the admin: every attempt, read-only (it is evidence, not a setting)."""
from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import WebhookAttempt


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin):
    list_display = ["started_at", "event", "testimonial_id", "event_id", "attempt", "outcome", "status_code",
                    "error", "duration_ms", "requeue_at"]
    list_filter = ["outcome", "event"]
    search_fields = ["=event_id"]
    date_hierarchy = "started_at"
    readonly_fields = list_display
    fields = list_display

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """A message id (`msg_…`) or a testimonial id; a NUL byte never reaches the database."""
        search_term = search_term.replace("\x00", "").strip()
        if search_term.isdigit() and len(search_term) < 19:
            return queryset.filter(testimonial_id=int(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: WebhookAttempt | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: WebhookAttempt | None = None) -> bool:
        return False
