"""The invitation's one-click opt-out: GET asks to confirm, POST (the button, or a mail program's
List-Unsubscribe-Post) records it. The signed token is the only credential, so no CSRF token is needed:
the worst a forged POST can do is stop invitations to the address it names."""
from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .models import Invitation
from .opt_out import invitation_opt_out, is_opted_out
from .tokens import opt_out_token_parse

logger = logging.getLogger(__name__)


@csrf_exempt
@never_cache
def invitation_opt_out_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation_id = opt_out_token_parse(token)
    invitation = None
    if invitation_id:
        invitation = Invitation.objects.select_related("location").filter(pk=invitation_id).first()
    if invitation is None:
        return render(request, "moderation/invitation_opt_out.html", {"invalid": True}, status=404)
    if request.method == "POST":
        invitation_opt_out(invitation=invitation)
        logger.info("invitation %s: the patient opted out", invitation.pk)
    return render(request, "moderation/invitation_opt_out.html",
                  {"done": is_opted_out(invitation.email), "clinic": invitation.location.name})
