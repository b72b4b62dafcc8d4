"""The patient's links: withdrawal (GET asks to confirm, POST withdraws) and renewal of the authorization."""
from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from reviews.consent import CURRENT_VERSION, consent_text
from reviews.models import Testimonial

from .authorization import authorization_renew
from .services import TransitionError, testimonial_withdraw
from .tokens import renewal_token_parse, withdrawal_token, withdrawal_token_parse

logger = logging.getLogger(__name__)


@never_cache
def testimonial_withdraw_view(request: HttpRequest, token: str) -> HttpResponse:
    testimonial_id = withdrawal_token_parse(token)
    testimonial = (
        Testimonial.objects.select_related("location").filter(pk=testimonial_id).first()
        if testimonial_id is not None else None
    )
    if testimonial is None:
        return render(request, "moderation/withdraw_invalid.html", {"privacy_contact": settings.PRIVACY_CONTACT},
                      status=404)
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


@never_cache
def testimonial_renew_view(request: HttpRequest, token: str) -> HttpResponse:
    """The renewal link from the reminder: GET shows the authorization to renew, POST renews it."""
    parsed = renewal_token_parse(token)
    testimonial = (
        Testimonial.objects.select_related("location").filter(pk=parsed[0]).first() if parsed is not None else None
    )
    if testimonial is None:
        return render(request, "moderation/withdraw_invalid.html", {"privacy_contact": settings.PRIVACY_CONTACT},
                      status=404)
    if testimonial.status == Testimonial.Status.WITHDRAWN:
        return render(request, "moderation/withdraw_done.html", {"testimonial": testimonial})
    context = {"testimonial": testimonial, "privacy_contact": settings.PRIVACY_CONTACT,
               "withdraw_token": withdrawal_token(testimonial_id=testimonial.pk)}
    if int(testimonial.consent_expires_at.timestamp()) != parsed[1]:
        # Renewed already (this link was for the authorization before): say until when it runs now.
        return render(request, "moderation/renew_done.html", context)
    if request.method == "POST":
        try:
            authorization_renew(testimonial=testimonial, language=get_language())
        except TransitionError:
            testimonial.refresh_from_db()
            return render(request, "moderation/withdraw_done.html", {"testimonial": testimonial})
        logger.info("testimonial %s: authorization renewed by the patient", testimonial.pk)
        return render(request, "moderation/renew_done.html", context)
    language = (get_language() or testimonial.locale or "en")[:2]
    context["consent_text"] = consent_text(version=CURRENT_VERSION, language=language, condition=testimonial.condition)
    return render(request, "moderation/renew_confirm.html", context)
