"""/admin/api-token/: a staff user gets or rotates their own moderation API token. The key is shown
once, right after it is made; rotating it ends the old one at once."""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from rest_framework.authtoken.models import Token

from .. import scope
from .views import VIEW


@never_cache
def api_token_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.has_perm(VIEW) or user.has_perm(scope.MODERATE)):
        raise PermissionDenied
    new_key = ""
    if request.method == "POST" and request.POST.get("action") == "revoke":
        Token.objects.filter(user=user).delete()
        messages.success(request, "Your API token was revoked.")
        return HttpResponseRedirect(request.path)
    if request.method == "POST":
        with transaction.atomic():  # rotate: the old key ends as the new one is made
            Token.objects.filter(user=user).delete()
            new_key = Token.objects.create(user=user).key
    token = Token.objects.filter(user=user).first()
    context = {**admin.site.each_context(request), "title": "Moderation API token", "token": token,
               "new_key": new_key, "can_moderate": scope.may_moderate(user)}
    return TemplateResponse(request, "admin/moderation/api_token.html", context)
