"""Invitations in the admin: upload a CSV (checked row by row, stored whole or not at all), follow each
upload's progress and per-row outcome, and download the front desk's QR codes."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from reviews.models import Location, Therapist

from .. import scope
from ..admin_scope import ReadOnlyTabularInline
from .models import Invitation, InvitationBatch, InvitationOptOut
from .qr import qr_svg
from .sending import form_link
from .upload import COLUMNS, MAX_BYTES, invitation_batch_create

S = Invitation.Status


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV of discharged patients",
                           help_text="Columns: name (or first_name and last_name), email, clinic (slug), therapist "
                                     "(slug, may be empty), discharge_date (YYYY-MM-DD), language (en or es).")


class InvitationInline(ReadOnlyTabularInline):
    model = Invitation
    verbose_name_plural = "rows (one invitation each)"
    fields = ["row_number", "first_name", "last_name", "email", "location", "therapist", "discharged_on", "language",
              "status", "sent_at", "reminder_sent_at", "error"]


@admin.register(InvitationBatch)
class InvitationBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "uploaded_by", "row_count", "sent", "pending", "skipped_duplicate", "opted_out",
                    "failed", "reminded"]
    readonly_fields = ["filename", "uploaded_by", "uploaded_at", "row_count", "progress"]
    fields = readonly_fields
    inlines = [InvitationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InvitationBatch]:
        queryset = super().get_queryset(request).select_related("uploaded_by").annotate(
            **{name: Count("invitations", filter=Q(invitations__status=status)) for name, status in
               (("n_sent", S.SENT), ("n_pending", S.PENDING), ("n_duplicate", S.DUPLICATE),
                ("n_opted_out", S.OPTED_OUT), ("n_failed", S.FAILED))},
            n_reminded=Count("invitations", filter=Q(invitations__reminder_sent_at__isnull=False)))
        # A clinic manager follows their own uploads; staff who see every clinic see every upload.
        return queryset if scope.sees_all_clinics(request.user) else queryset.filter(uploaded_by=request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # an upload is a record of what was sent

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("qr/", wrap(self.qr_index_view), name="moderation_invitation_qr"),
            path("qr/<slug:location>.svg", wrap(self.qr_view), name="moderation_invitation_qr_location"),
            path("qr/<slug:location>/<slug:therapist>.svg", wrap(self.qr_view),
                 name="moderation_invitation_qr_therapist"),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None) -> HttpResponse:
        """The upload: every row checked; with any problem nothing is stored and each is shown by its row."""
        if not self.has_add_permission(request):
            raise Http404
        form, report = UploadForm(), None
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                # Never more than the limit in memory: one byte over is enough to say it is too large.
                report = invitation_batch_create(content=upload.read(MAX_BYTES + 1), filename=upload.name,
                                                 user=request.user)
                if report.batch is not None:
                    counts = {s: sum(r.outcome == s for r in report.rows)
                              for s in (S.PENDING, S.DUPLICATE, S.OPTED_OUT)}
                    self.message_user(request, (
                        f"{len(report.rows)} rows imported: {counts[S.PENDING]} invitations are being sent, "
                        f"{counts[S.DUPLICATE]} skipped as invited recently, {counts[S.OPTED_OUT]} opted out."),
                        messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:moderation_invitationbatch_change",
                                                        args=[report.batch.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "report": report, "columns": COLUMNS, "title": "Invite discharged patients",
                   "has_view_permission": self.has_view_permission(request)}
        return TemplateResponse(request, "admin/moderation/invitationbatch/upload.html", context)

    def qr_index_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise Http404
        clinics = scope.locations_for(request.user, Location.objects.filter(is_active=True)).prefetch_related(
            "therapists")
        rows = [(clinic, [t for t in clinic.therapists.all() if t.is_active], form_link(location_slug=clinic.slug))
                for clinic in clinics]
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "rows": rows,
                   "title": "QR codes for the front desk"}
        return TemplateResponse(request, "admin/moderation/invitationbatch/qr.html", context)

    def qr_view(self, request: HttpRequest, location: str, therapist: str = "") -> HttpResponse:
        if not self.has_view_permission(request):
            raise Http404
        clinic = get_object_or_404(scope.locations_for(request.user), slug=location)
        person = get_object_or_404(Therapist, slug=therapist, locations=clinic) if therapist else None
        response = HttpResponse(qr_svg(location=clinic, therapist=person), content_type="image/svg+xml")
        name = f"testimonial-qr-{clinic.slug}" + (f"-{person.slug}" if person else "")
        response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
        return response

    @admin.display(description="progress")
    def progress(self, obj: InvitationBatch) -> str:
        return (f"{obj.n_sent} sent · {obj.n_pending} pending · {obj.n_duplicate} skipped (invited recently) · "
                f"{obj.n_opted_out} opted out · {obj.n_failed} failed · {obj.n_reminded} reminded")

    @admin.display(description="sent", ordering="n_sent")
    def sent(self, obj) -> int:
        return obj.n_sent

    @admin.display(description="pending")
    def pending(self, obj) -> int:
        return obj.n_pending

    @admin.display(description="invited recently")
    def skipped_duplicate(self, obj) -> int:
        return obj.n_duplicate

    @admin.display(description="opted out")
    def opted_out(self, obj) -> int:
        return obj.n_opted_out

    @admin.display(description="failed")
    def failed(self, obj) -> int:
        return obj.n_failed

    @admin.display(description="reminded")
    def reminded(self, obj) -> int:
        return obj.n_reminded


@admin.register(InvitationOptOut)
class InvitationOptOutAdmin(admin.ModelAdmin):
    """The list is kept as keyed hashes: it shows how many and when, never who."""

    list_display = ["__str__", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
