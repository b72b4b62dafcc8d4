"""The patient's withdrawal link: GET asks to confirm, POST withdraws."""
from __future__ import annotations

import logging

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
    already = testimonial.status == Testimonial.Status.WITHDRAWN
    if request.method == "POST" and not already:
        try:
            testimonial_withdraw(testimonial=testimonial)
        except TransitionError:
            testimonial.refresh_from_db()  # withdrawn meanwhile by another click: same outcome
        logger.info("testimonial %s withdrawn by the patient", testimonial.pk)
        return render(request, "moderation/withdraw_done.html", {"testimonial": testimonial})
    template = "moderation/withdraw_done.html" if already else "moderation/withdraw_confirm.html"
    return render(request, template, {"testimonial": testimonial})
