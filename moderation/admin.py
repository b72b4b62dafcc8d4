"""The moderation queue: testimonials with their analysis, approved or rejected through the workflow."""
from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from reviews.models import Testimonial, Therapist

from . import admin_display as display
from . import scope, selectors, services
from .admin_actions import REJECT_ACTIONS, TAKE_DOWN_ACTIONS, approve_selected, reopen_selected, retry_background_tasks
from .admin_filters import (
    BackgroundFailureFilter,
    FlagFilter,
    LanguageFilter,
    RatingFilter,
    ReceivedFilter,
    SentimentFilter,
    StatusFilter,
)
from .admin_paginator import EstimatedCountPaginator
from .admin_scope import ClinicScopedAdmin, ReadOnlyTabularInline
from .models import Flag, RejectionReason, TransitionEvent
from .search import testimonial_search

S = Testimonial.Status


class TransitionEventInline(ReadOnlyTabularInline):
    model = TransitionEvent
    verbose_name = "history entry"
    verbose_name_plural = "history (cannot be edited)"
    fields = ["created_at", "from_status", "to_status", "actor", "reason", "note"]


@admin.register(Testimonial)
class TestimonialAdmin(ClinicScopedAdmin, admin.ModelAdmin):  # roles: the user's clinics only
    # The queue: compact columns that fit ten rows and more on a 1366×768 laptop, oldest waiting first.
    list_display = ["excerpt", "status_badge", "rating_stars", "clinic_and_therapist", "sentiment", "flag_codes",
                    "age"]
    list_display_links = ["excerpt"]
    list_filter = [StatusFilter, FlagFilter, SentimentFilter, RatingFilter, LanguageFilter, ReceivedFilter,
                   "location", "therapist", "source", BackgroundFailureFilter]
    search_fields = ["body"]  # shows the search box; get_search_results decides what a term matches
    list_select_related = ["location", "therapist", "analysis"]
    list_per_page = 50
    ordering = ["created_at", "id"]
    # No full COUNT(*) of the table on every page, and counts beyond a few thousand rows are estimated.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    show_facets = admin.ShowFacets.NEVER
    readonly_fields = ["status", "display_name", "rating", "location", "tag_list", "first_name",
                       "last_name", "email", "display_as", "consent_version", "consented_at", "consent_expires_at",
                       "consent_text", "body_original", "condition_original", "published_at", "created_at",
                       "updated_at", "language", "source", "personal_data_purged_at", "background_tasks"]
    # Below the decision panel (change_form.html): the redaction editor, then everything else.
    fieldsets = [
        ("Redaction", {"fields": ["body", "condition", "body_original", "condition_original"],
                       "description": "Edit the public text to remove personal data; the original is kept, private."}),
        ("Testimonial", {"fields": ["status", "rating", "location", "therapist", "tag_list", "language", "source"]}),
        ("Author (private)", {"fields": ["display_name", "display_as", "first_name", "last_name", "email"]}),
        ("Authorization", {"fields": ["consent_version", "consented_at", "consent_expires_at", "consent_text"]}),
        ("Dates", {"fields": ["created_at", "updated_at", "published_at", "personal_data_purged_at"]}),
        ("Background tasks", {"fields": ["background_tasks"]}),
    ]
    inlines = [TransitionEventInline]
    actions = [approve_selected, *REJECT_ACTIONS, *TAKE_DOWN_ACTIONS, reopen_selected, retry_background_tasks]

    class Media:
        css = {"all": ["moderation/admin.css"]}
        js = ["moderation/keyboard.js"]

    @admin.display(description="background tasks")
    def background_tasks(self, obj: Testimonial) -> SafeString:
        """Each step: queued / done / failed with its error and the number of runs."""
        rows = []
        for step, done in (("analysis", obj.status != S.PENDING), ("confirmation", obj.confirmation_sent_at),
                           ("notice", obj.publication_notice_sent_at)):
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
        # Every screen of this admin (queue, change page, actions, next-in-queue) reads through here.
        return super().get_queryset(request).prefetch_related(Prefetch("flags", queryset=Flag.objects.order_by("code")))

    def get_urls(self):
        report = path("report/", self.admin_site.admin_view(self.report_view), name="reviews_testimonial_report")
        return [report, *super().get_urls()]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        """Approval rates by star rating, clinic or therapist: moderation must be even-handed."""
        by = request.GET.get("by", "rating")
        if by not in selectors.GROUPINGS:
            by = "rating"
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "by": by,
                   "groupings": list(selectors.GROUPINGS),
                   "rows": selectors.approval_rates(by=by, queryset=scope.testimonials_for(request.user))}
        return TemplateResponse(request, "admin/reviews/testimonial/report.html", context)

    def get_search_results(self, request, queryset, search_term):
        return testimonial_search(queryset=queryset, term=search_term), False

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
            fields += ["body", "condition", "therapist"]  # changing a patient's words is a moderator's decision
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("therapist")
        if field is not None and obj is not None:
            # A correction (from the therapists the analysis found) picks one of the clinic's therapists.
            field.queryset = Therapist.objects.filter(locations=obj.location_id).order_by("first_name", "last_name")
            field.help_text = "Correct it from the therapists the analysis found, above; empty: not named."
        return form

    def changelist_view(self, request, extra_context=None):
        context = {"title": "Moderation queue", "sentiment_explained": display.SENTIMENT_EXPLAINED}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def queue_neighbour(self, request: HttpRequest, obj: Testimonial, *, step: int) -> Testimonial | None:
        """The next (step=1) or previous (step=-1) testimonial waiting in review, in the queue's order
        (oldest first); past the end it wraps round, so "next" finds what is left."""
        queue = (self.get_queryset(request).prefetch_related(None).only("pk")
                 .filter(status=S.IN_REVIEW).exclude(pk=obj.pk))
        later = Q(created_at__gt=obj.created_at) | Q(created_at=obj.created_at, id__gt=obj.pk)
        if step > 0:
            ordered = queue.order_by("created_at", "id")
            return ordered.filter(later).first() or ordered.first()
        ordered = queue.order_by("-created_at", "-id")
        return ordered.exclude(later).first() or ordered.first()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {**(extra_context or {})}
        if obj is not None:
            following = self.queue_neighbour(request, obj, step=1)
            preceding = self.queue_neighbour(request, obj, step=-1)
            extra_context.update({
                "title": f"Testimonial #{obj.pk} · {obj.get_status_display()}",
                "can_moderate": self.has_moderate_permission(request),
                "allowed_moves": sorted(services.ALLOWED.get(obj.status, ())),
                "rejection_reasons": RejectionReason.choices,
                "unresolved_flags": services.unresolved_high_flags(testimonial=obj),
                "panel": display.decision_panel(obj),
                "age": display.age(obj.created_at),
                "next_url": self._change_url(following), "previous_url": self._change_url(preceding),
                "changelist_url": reverse("admin:reviews_testimonial_changelist"),
            })
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _change_url(obj: Testimonial | None) -> str:
        return reverse("admin:reviews_testimonial_change", args=[obj.pk]) if obj is not None else ""

    def response_change(self, request: HttpRequest, obj: Testimonial) -> HttpResponse:
        """The decision buttons act from the state the page showed (its hidden `expected_status`); after a
        decision the next testimonial in the queue opens."""
        seen = request.POST.get("expected_status", "")
        note = request.POST.get("approve_note", "").strip()
        reject_note = request.POST.get("reject_note", "").strip()
        decisions = {
            "_approve": lambda: services.testimonial_approve(testimonial=obj, actor=request.user, expected_status=seen),
            "_approve_anyway": lambda: services.testimonial_approve(
                testimonial=obj, actor=request.user, expected_status=seen, confirm_flags=True, note=note),
            "_reject": lambda: services.testimonial_reject(testimonial=obj, actor=request.user, expected_status=seen,
                                                           reason=request.POST.get("reject_reason", ""),
                                                           note=reject_note),
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
        if chosen == "_reject" and not request.POST.get("reject_reason"):
            self.message_user(request, "Choose the reason for the rejection from the list; nothing was done.",
                              messages.ERROR)
            return HttpResponseRedirect(request.path)
        try:
            decisions[chosen]()
        except services.TransitionError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        following = self.queue_neighbour(request, obj, step=1)
        done = f"Testimonial #{obj.pk} is now {obj.get_status_display().lower()}."
        if following is None:
            self.message_user(request, f"{done} The queue is empty: nothing else is waiting for review.",
                              messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:reviews_testimonial_changelist"))
        self.message_user(request, f"{done} Next in queue: #{following.pk}.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(following))

    def save_model(self, request, obj: Testimonial, form, change: bool) -> None:
        # The form never writes the row: status and publication fields move only through the workflow,
        # and the only editable fields (the text) change through a redaction, by moderators only.
        text_changed = {"body", "condition"} & set(form.changed_data)
        if change and text_changed and self.has_moderate_permission(request):
            services.testimonial_redact(testimonial=obj, body=obj.body, actor=request.user,
                                        condition=obj.condition if "condition" in text_changed else None)
        if change and "therapist" in form.changed_data and self.has_moderate_permission(request):
            services.testimonial_therapist_set(testimonial=obj, therapist=obj.therapist, actor=request.user)

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
    def excerpt(self, obj: Testimonial) -> SafeString:
        return format_html('<span class="ref">#{}</span> {}', obj.pk, display.excerpt(obj.body))

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: Testimonial) -> SafeString:
        return format_html('<span class="badge status-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description="rating", ordering="rating")
    def rating_stars(self, obj: Testimonial) -> SafeString:
        return format_html('<span class="stars" title="{} of 5">{}</span>', obj.rating,
                           "★" * obj.rating + "☆" * (5 - obj.rating))

    @admin.display(description="clinic / therapist", ordering="location__name")
    def clinic_and_therapist(self, obj: Testimonial) -> SafeString:
        therapist = f"{obj.therapist.first_name} {obj.therapist.last_name[:1]}." if obj.therapist else "—"
        return format_html('{}<br><span class="quiet">{}</span>', obj.location.name, therapist)

    @admin.display(description="sentiment", ordering="analysis__compound")
    def sentiment(self, obj: Testimonial) -> SafeString | str:
        analysis = getattr(obj, "analysis", None)
        return display.sentiment_badge(analysis.label, analysis.compound, analysis.language) if analysis else "—"

    @admin.display(description="flags")
    def flag_codes(self, obj: Testimonial) -> SafeString | str:
        flags = sorted({(f.code, f.severity) for f in obj.flags.all()})
        return format_html_join(" ", '<span class="flag flag-{}">{}</span>', ((s, c) for c, s in flags)) if flags \
            else "—"

    @admin.display(description="age", ordering="created_at")
    def age(self, obj: Testimonial) -> SafeString:
        return format_html('<span title="received {}">{}</span>',
                           timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M"), display.age(obj.created_at))

    @admin.display(description="tags")
    def tag_list(self, obj: Testimonial) -> str:
        return ", ".join(t.slug for t in obj.tags.all()) or "—"


@admin.register(TransitionEvent)
class TransitionEventAdmin(ClinicScopedAdmin, admin.ModelAdmin):
    scope_path = "testimonial__location"
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
# "View site" leads to the practice's website, or is not shown: this service has no page at "/".
admin.site.site_url = settings.SITE_HOME_URL or None
# The queue needs the width: the app list stays one click away (the breadcrumbs and the index).
admin.site.enable_nav_sidebar = False
from . import staff_admin, webhook_admin  # noqa: E402,F401  (clinic assignments and roles; the webhook log)
from .api.token_admin import token_admin_replace  # noqa: E402
from .invitations import admin as invitations_admin  # noqa: E402,F401  (invitation uploads, opt-outs, QR codes)

token_admin_replace()  # the moderation API's tokens: who has one, never the keys
