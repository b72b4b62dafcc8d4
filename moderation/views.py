"""The patient's withdrawal link: GET asks to confirm, POST withdraws."""
from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from reviews.models import Testimonial

from .services import TransitionError, testimonial_withdraw
from .tokens import withdrawal_token_parse

logger = logging.getLogger(__name__)


@never_cache
def testimonial_withdraw_view(request: HttpRequest, token: str) -> HttpResponse:
    testimonial_id = withdrawal_token_parse(token)
    testimonial = (
        Testimonial.objects.select_related("location").filter(pk=testimonial_id).first()
        if testimonial_id is not None else None
    )
    if testimonial is None:
        return render(request, "moderation/withdraw_invalid.html", status=404)
    if request.method == "POST" and testimonial.status != Testimonial.Status.WITHDRAWN:
        try:
            testimonial_withdraw(testimonial=testimonial)
            logger.info("testimonial %s withdrawn by the patient", testimonial.pk)
        except TransitionError:
            logger.warning("withdrawal of testimonial %s was not recorded at once", testimonial.pk, exc_info=True)
        testimonial.refresh_from_db()
    if testimonial.status == Testimonial.Status.WITHDRAWN:
        # Only the row's real state says "withdrawn": never a page that claims more than happened.
        return render(request, "moderation/withdraw_done.html", {"testimonial": testimonial})
    context = {"testimonial": testimonial, "privacy_contact": settings.PRIVACY_CONTACT,
               "failed": request.method == "POST"}
    return render(request, "moderation/withdraw_confirm.html", context, status=409 if context["failed"] else 200)
