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


@never_cache
def api_token_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.has_perm(scope.VIEW) or user.has_perm(scope.MODERATE)):
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


class ApiTokenAdmin(admin.ModelAdmin):
    """In place of DRF's token admin, which lists every key: who has a token and since when, never the key.
    The key is the row's primary key, so the list has no links and no actions (both would print it); a
    user's token ends when they rotate or revoke it at /admin/api-token/, or when the user is deactivated."""

    list_display = ["user", "created"]
    list_display_links = None
    list_select_related = ["user"]
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff and (
            request.user.has_perm(scope.VIEW) or request.user.has_perm(scope.MODERATE))

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not request.user.is_superuser:
            return HttpResponseRedirect("/admin/api-token/")
        messages.info(request, "Your own token: /admin/api-token/ (keys are never listed here).")
        return super().changelist_view(request, extra_context)


def token_admin_replace() -> None:
    from rest_framework.authtoken.models import TokenProxy

    if admin.site.is_registered(TokenProxy):
        admin.site.unregister(TokenProxy)
    TokenProxy._meta.verbose_name_plural = "moderation API tokens"
    admin.site.register(TokenProxy, ApiTokenAdmin)
