"""The moderation queue: testimonials with their analysis, approved or rejected through the workflow."""
from __future__ import annotations

from typing import Callable

from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from reviews.models import Testimonial

from . import selectors, services
from .admin_filters import FlagFilter, SentimentFilter, StatusFilter
from .models import Flag, RejectionReason, TransitionEvent

S = Testimonial.Status


class FlagInline(admin.TabularInline):
    model = Flag
    fields = ["code", "severity", "message", "start", "end"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class TransitionEventInline(admin.TabularInline):
    model = TransitionEvent
    verbose_name = "history entry"
    verbose_name_plural = "history (cannot be edited)"
    fields = ["created_at", "from_status", "to_status", "actor", "reason", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def _transition_action(name: str, description: str, move: Callable[..., Testimonial]):
    """An admin action that moves each selected testimonial through the workflow and reports counts."""

    @admin.action(description=description, permissions=["moderate"])
    def action(modeladmin: TestimonialAdmin, request: HttpRequest, queryset: QuerySet[Testimonial]) -> None:
        done, refused = 0, []
        for testimonial in queryset:
            try:
                move(testimonial=testimonial, actor=request.user)
                done += 1
            except services.TransitionError as error:
                refused.append(str(error))
        if done:
            modeladmin.message_user(request, f"{description}: {done} testimonial(s).", messages.SUCCESS)
        for error in refused:
            modeladmin.message_user(request, error, messages.ERROR)

    action.__name__ = name
    return action


approve_selected = _transition_action("approve_selected", "Approve and publish", services.testimonial_approve)
reopen_selected = _transition_action("reopen_selected", "Reopen for review", services.testimonial_reopen)
REJECT_ACTIONS = [
    _transition_action(
        f"reject_{reason.value}",
        f"Reject / take down: {reason.label.lower()}",
        lambda *, testimonial, actor, _reason=reason.value: services.testimonial_reject(
            testimonial=testimonial, actor=actor, reason=_reason),
    )
    for reason in RejectionReason
]


@admin.register(Testimonial)
class TestimonialAdmin(admin.ModelAdmin):
    list_display = ["id", "excerpt", "status", "rating_stars", "location", "therapist", "sentiment", "flag_codes",
                    "created_at"]
    list_display_links = ["id", "excerpt"]
    list_filter = [StatusFilter, FlagFilter, SentimentFilter, "rating", "location", "therapist", "source"]
    search_fields = ["body", "first_name", "last_name", "email", "condition"]
    list_select_related = ["location", "therapist", "analysis"]
    list_per_page = 50
    date_hierarchy = "created_at"
    readonly_fields = ["status", "highlighted_body", "display_name", "rating", "location", "therapist", "tag_list",
                       "analysis_summary", "outcome_claims", "first_name", "last_name", "email", "display_as",
                       "consent_version", "consented_at", "consent_expires_at", "consent_text", "body_original",
                       "published_at", "created_at", "updated_at", "language", "source"]
    fieldsets = [
        (None, {"fields": ["status", "highlighted_body", "rating", "location", "therapist", "condition", "tag_list"]}),
        ("Analysis", {"fields": ["analysis_summary", "outcome_claims", "language"]}),
        ("Redaction", {"fields": ["body", "body_original"],
                       "description": "Edit the public text to remove personal data; the original is kept, private."}),
        ("Author (private)", {"fields": ["display_name", "display_as", "first_name", "last_name", "email"]}),
        ("Authorization", {"fields": ["consent_version", "consented_at", "consent_expires_at", "consent_text"]}),
        ("Dates", {"fields": ["source", "created_at", "updated_at", "published_at"]}),
    ]
    inlines = [FlagInline, TransitionEventInline]
    actions = [approve_selected, *REJECT_ACTIONS, reopen_selected]

    class Media:
        css = {"all": ["moderation/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Testimonial]:
        return super().get_queryset(request).prefetch_related(
            Prefetch("flags", queryset=Flag.objects.order_by("code")), "tags")

    def get_urls(self):
        report = path("report/", self.admin_site.admin_view(self.report_view), name="reviews_testimonial_report")
        return [report, *super().get_urls()]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        """Approval rates by star rating, clinic or therapist: moderation must be even-handed."""
        by = request.GET.get("by", "rating")
        if by not in selectors.GROUPINGS:
            by = "rating"
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "by": by,
                   "groupings": list(selectors.GROUPINGS), "rows": selectors.approval_rates(by=by)}
        return TemplateResponse(request, "admin/reviews/testimonial/report.html", context)

    def get_search_results(self, request, queryset, search_term):
        # PostgreSQL refuses NUL bytes with an error; nobody searches for one on purpose.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("reviews.moderate_testimonial")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # testimonials come from patients (the form or an import), never typed in by staff

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # reject or take down instead: the record and its history stay

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "title": "Moderation queue"})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_moderate": self.has_moderate_permission(request),
            "allowed_moves": sorted(services.ALLOWED.get(obj.status, ())) if obj else [],
            "rejection_reasons": RejectionReason.choices,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request: HttpRequest, obj: Testimonial) -> HttpResponse:
        """The decision buttons of the change page go through the same workflow as the bulk actions."""
        decisions = {
            "_approve": lambda: services.testimonial_approve(testimonial=obj, actor=request.user),
            "_reject": lambda: services.testimonial_reject(testimonial=obj, actor=request.user,
                                                           reason=request.POST.get("reject_reason", "")),
            "_reopen": lambda: services.testimonial_reopen(testimonial=obj, actor=request.user),
        }
        chosen = next((name for name in decisions if name in request.POST), None)
        if chosen is None or not self.has_moderate_permission(request):
            return super().response_change(request, obj)
        try:
            decisions[chosen]()
        except services.TransitionError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(request, f"Testimonial #{obj.pk} is now {obj.get_status_display().lower()}.",
                          messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:reviews_testimonial_changelist"))

    def save_model(self, request, obj: Testimonial, form, change: bool) -> None:
        if change and "body" in form.changed_data:
            services.testimonial_redact(testimonial=obj, body=obj.body, actor=request.user)
            return
        super().save_model(request, obj, form, change)

    @admin.display(description="testimonial")
    def excerpt(self, obj: Testimonial) -> str:
        return obj.body if len(obj.body) <= 90 else obj.body[:87] + "…"

    @admin.display(description="rating", ordering="rating")
    def rating_stars(self, obj: Testimonial) -> str:
        return "★" * obj.rating + "☆" * (5 - obj.rating)

    @admin.display(description="sentiment", ordering="analysis__compound")
    def sentiment(self, obj: Testimonial) -> str:
        analysis = getattr(obj, "analysis", None)
        return f"{analysis.label} ({analysis.compound:+.2f})" if analysis else "—"

    @admin.display(description="flags")
    def flag_codes(self, obj: Testimonial) -> SafeString | str:
        codes = sorted({f.code for f in obj.flags.all()})
        return format_html_join(" ", '<span class="flag">{}</span>', ((c,) for c in codes)) if codes else "—"

    @admin.display(description="tags")
    def tag_list(self, obj: Testimonial) -> str:
        return ", ".join(t.slug for t in obj.tags.all()) or "—"

    @admin.display(description="text, with flagged passages marked")
    def highlighted_body(self, obj: Testimonial) -> SafeString:
        spans = sorted({(f.start, f.end, f.code) for f in obj.flags.all() if f.start is not None and f.end})
        parts, cursor = [], 0
        for start, end, code in spans:
            if start < cursor:
                continue  # overlapping spans: the first one marked wins
            parts.append(format_html("{}<mark title=\"{}\">{}</mark>", obj.body[cursor:start], code, obj.body[start:end]))
            cursor = end
        parts.append(format_html("{}", obj.body[cursor:]))
        return format_html('<div class="testimonial-text">{}</div>',
                           format_html_join("", "{}", ((p,) for p in parts)))

    @admin.display(description="sentiment by sentence")
    def analysis_summary(self, obj: Testimonial) -> SafeString | str:
        analysis = getattr(obj, "analysis", None)
        if analysis is None:
            return "Not analysed yet."
        rows = format_html_join(
            "", "<li>{} ({}): {}</li>",
            ((s.get("label"), f"{s.get('compound', 0):+.2f}", obj.body[s.get("start", 0):s.get("end", 0)])
             for s in analysis.sentences),
        )
        return format_html("<p>Overall: <strong>{}</strong> (VADER compound {}) · analyzer {}</p><ul>{}</ul>",
                           analysis.label, f"{analysis.compound:+.3f}", analysis.analyzer_version, rows)

    @admin.display(description="outcome claims (typical-result claims in advertising)")
    def outcome_claims(self, obj: Testimonial) -> SafeString | str:
        analysis = getattr(obj, "analysis", None)
        claims = analysis.outcome_claims if analysis else []
        if not claims:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((c.get("text", ""),) for c in claims)))


@admin.register(TransitionEvent)
class TransitionEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "testimonial", "from_status", "to_status", "actor", "reason"]
    list_filter = ["to_status", "reason"]
    list_select_related = ["testimonial__location", "actor"]
    readonly_fields = ["testimonial", "from_status", "to_status", "actor", "reason", "note", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.site_header = "Testimonials moderation"
admin.site.site_title = "Testimonials"
admin.site.index_title = "Moderation"
from . import webhook_admin  # noqa: E402,F401  (registers the webhook delivery log)
