"""The moderation queue: testimonials with their analysis, approved or rejected through the workflow."""
from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from reviews.models import Testimonial

from . import selectors, services
from .admin_actions import REJECT_ACTIONS, TAKE_DOWN_ACTIONS, approve_selected, reopen_selected, retry_background_tasks
from .admin_filters import BackgroundFailureFilter, FlagFilter, SentimentFilter, StatusFilter
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


@admin.register(Testimonial)
class TestimonialAdmin(admin.ModelAdmin):
    list_display = ["id", "excerpt", "status", "rating_stars", "location", "therapist", "sentiment", "flag_codes",
                    "created_at"]
    list_display_links = ["id", "excerpt"]
    list_filter = [StatusFilter, FlagFilter, SentimentFilter, "rating", "location", "therapist", "source",
                   BackgroundFailureFilter]
    search_fields = ["body", "first_name", "last_name", "email", "condition"]
    list_select_related = ["location", "therapist", "analysis"]
    list_per_page = 50
    date_hierarchy = "created_at"
    readonly_fields = ["status", "highlighted_body", "display_name", "rating", "location", "therapist", "tag_list",
                       "analysis_summary", "outcome_claims", "first_name", "last_name", "email", "display_as",
                       "consent_version", "consented_at", "consent_expires_at", "consent_text", "body_original",
                       "condition_original",
                       "published_at", "created_at", "updated_at", "language", "source", "background_tasks"]
    fieldsets = [
        (None, {"fields": ["status", "highlighted_body", "rating", "location", "therapist", "condition", "tag_list"]}),
        ("Analysis", {"fields": ["analysis_summary", "outcome_claims", "language"]}),
        ("Redaction", {"fields": ["body", "body_original", "condition_original"],
                       "description": "Edit the public text to remove personal data; the original is kept, private."}),
        ("Author (private)", {"fields": ["display_name", "display_as", "first_name", "last_name", "email"]}),
        ("Authorization", {"fields": ["consent_version", "consented_at", "consent_expires_at", "consent_text"]}),
        ("Dates", {"fields": ["source", "created_at", "updated_at", "published_at"]}),
        ("Background tasks", {"fields": ["background_tasks"]}),
    ]
    inlines = [FlagInline, TransitionEventInline]
    actions = [approve_selected, *REJECT_ACTIONS, *TAKE_DOWN_ACTIONS, reopen_selected, retry_background_tasks]

    class Media:
        css = {"all": ["moderation/admin.css"]}

    @admin.display(description="background tasks")
    def background_tasks(self, obj: Testimonial) -> SafeString:
        """Each step: queued / done / failed with its error and the number of runs."""
        rows = []
        for step, done in (("analysis", obj.status != S.PENDING), ("confirmation", obj.confirmation_sent_at)):
            failed_at = getattr(obj, f"{step}_failed_at")
            if failed_at:
                state = format_html("<strong>failed</strong> {} — {}", failed_at.strftime("%Y-%m-%d %H:%M"),
                                    getattr(obj, f"{step}_error"))
            elif done:
                state = "done"
            else:
                state = "queued" if getattr(obj, f"{step}_queued_at") else "waiting for the sweep"
            rows.append((step, state, getattr(obj, f"{step}_attempts")))
        return format_html_join("", "<p>{}: {} ({} runs)</p>", rows)

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
        # Kept for the message: a testimonial with history is protected (on_delete=PROTECT) and the delete
        # page says why and what to do instead; only one that never left `pending` has no history.
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # rows are rejected, taken down or purged, never bulk-deleted
        return actions

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_moderate_permission(request):
            fields += ["body", "condition"]  # changing a patient's words is a moderator's decision
        return fields

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "title": "Moderation queue"})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_moderate": self.has_moderate_permission(request),
            "allowed_moves": sorted(services.ALLOWED.get(obj.status, ())) if obj else [],
            "rejection_reasons": RejectionReason.choices,
            "unresolved_flags": services.unresolved_high_flags(testimonial=obj) if obj else [],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request: HttpRequest, obj: Testimonial) -> HttpResponse:
        """The decision buttons act from the state the page showed (its hidden `expected_status`)."""
        seen = request.POST.get("expected_status", "")
        note = request.POST.get("approve_note", "").strip()
        decisions = {
            "_approve": lambda: services.testimonial_approve(testimonial=obj, actor=request.user, expected_status=seen),
            "_approve_anyway": lambda: services.testimonial_approve(
                testimonial=obj, actor=request.user, expected_status=seen, confirm_flags=True, note=note),
            "_reject": lambda: services.testimonial_reject(testimonial=obj, actor=request.user, expected_status=seen,
                                                           reason=request.POST.get("reject_reason", "")),
            "_reopen": lambda: services.testimonial_reopen(testimonial=obj, actor=request.user, expected_status=seen),
        }
        chosen = next((name for name in decisions if name in request.POST), None)
        if chosen is None or not self.has_moderate_permission(request):
            return super().response_change(request, obj)
        if seen not in S.values:
            self.message_user(request, "The page did not say which state it showed; reload it and decide again.",
                              messages.ERROR)
            return HttpResponseRedirect(request.path)
        if chosen == "_approve_anyway" and not note:
            self.message_user(request, "Approving despite flagged personal data needs a note saying why.",
                              messages.ERROR)
            return HttpResponseRedirect(request.path)
        try:
            decisions[chosen]()
        except services.TransitionError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(request, f"Testimonial #{obj.pk} is now {obj.get_status_display().lower()}.",
                          messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:reviews_testimonial_changelist"))

    def save_model(self, request, obj: Testimonial, form, change: bool) -> None:
        # The form never writes the row: status and publication fields move only through the workflow,
        # and the only editable fields (the text) change through a redaction, by moderators only.
        text_changed = {"body", "condition"} & set(form.changed_data)
        if change and text_changed and self.has_moderate_permission(request):
            services.testimonial_redact(testimonial=obj, body=obj.body, actor=request.user,
                                        condition=obj.condition if "condition" in text_changed else None)

    def delete_view(self, request, object_id, extra_context=None):
        context = {**(extra_context or {}), "privacy_contact": settings.PRIVACY_CONTACT}
        return super().delete_view(request, object_id, context)

    def report(self, request: HttpRequest, description: str, done: int, refused: list[str]) -> None:
        """One success line with the count, one error line per row left as it was."""
        if done:
            self.message_user(request, f"{description}: {done} testimonial(s).", messages.SUCCESS)
        for error in refused:
            self.message_user(request, error, messages.ERROR)

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
