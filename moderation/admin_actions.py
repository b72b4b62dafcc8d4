"""The moderation queue's bulk actions: each moves rows from one fixed state, through the workflow."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from reviews.models import Testimonial

from . import services
from .models import RejectionReason

if TYPE_CHECKING:
    from .admin import TestimonialAdmin

S = Testimonial.Status


def _transition_action(name: str, description: str, move: Callable[..., Testimonial], *, from_status: str):
    """An admin action that moves each selected testimonial from `from_status` through the workflow: a row
    found in another state is reported per row ("changed by someone else"), never moved another way."""

    @admin.action(description=description, permissions=["moderate"])
    def action(modeladmin: TestimonialAdmin, request: HttpRequest, queryset: QuerySet[Testimonial]) -> None:
        done, refused = 0, []
        for testimonial in queryset:
            try:
                move(testimonial=testimonial, actor=request.user, expected_status=from_status)
                done += 1
            except services.TransitionError as error:
                refused.append(str(error))
        modeladmin.report(request, description, done, refused)

    action.__name__ = name
    return action


@admin.action(description="Approve and publish (from in review)", permissions=["moderate"])
def approve_selected(modeladmin: TestimonialAdmin, request: HttpRequest,
                     queryset: QuerySet[Testimonial]) -> TemplateResponse | None:
    """Approve the selection; rows with unresolved high-severity flags need a confirmation with a note."""
    confirm, note = request.POST.get("confirm_flags") == "yes", request.POST.get("approve_note", "").strip()
    only_clean = request.POST.get("confirm_flags") == "clean_only"
    rows = list(queryset.order_by("pk"))
    flagged = {t.pk: services.unresolved_high_flags(testimonial=t) for t in rows}
    flagged = {pk: codes for pk, codes in flagged.items() if codes}
    if flagged and not only_clean and not (confirm and note):
        context = {**modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta,
                   "title": "Approve testimonials with personal data flagged?", "rows": rows, "flagged": flagged,
                   "clean_count": len(rows) - len(flagged), "note_missing": confirm and not note,
                   "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME}
        return TemplateResponse(request, "admin/reviews/testimonial/approve_confirmation.html", context)
    done, refused = 0, []
    for testimonial in rows:
        if only_clean and testimonial.pk in flagged:
            continue
        try:
            services.testimonial_approve(testimonial=testimonial, actor=request.user, expected_status=S.IN_REVIEW,
                                         confirm_flags=confirm, note=note)
            done += 1
        except services.TransitionError as error:
            refused.append(str(error))
    modeladmin.report(request, "Approve and publish", done, refused)
    return None


reopen_selected = _transition_action("reopen_selected", "Reopen for review (from rejected)",
                                     services.testimonial_reopen, from_status=S.REJECTED)


def _reject_action(reason: RejectionReason, *, takedown: bool):
    def move(*, testimonial: Testimonial, actor, expected_status: str) -> Testimonial:
        return services.testimonial_reject(testimonial=testimonial, actor=actor, reason=reason.value,
                                           expected_status=expected_status)

    if takedown:
        return _transition_action(f"take_down_{reason.value}", f"Take down (published): {reason.label.lower()}",
                                  move, from_status=S.APPROVED)
    return _transition_action(f"reject_{reason.value}", f"Reject (in review): {reason.label.lower()}",
                              move, from_status=S.IN_REVIEW)


REJECT_ACTIONS = [_reject_action(reason, takedown=False) for reason in RejectionReason]
TAKE_DOWN_ACTIONS = [_reject_action(reason, takedown=True) for reason in RejectionReason]


@admin.action(description="Try failed background tasks again", permissions=["change"])
def retry_background_tasks(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    """Clear the "failed" markers of the selected testimonials; the next sweep sends their tasks."""
    from .pipeline import steps_retry

    changed = steps_retry(testimonial_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(request, f"{changed} failed task(s) will be sent again by the next sweep.")
