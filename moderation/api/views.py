"""The moderation API: the queue, one testimonial with its analysis, approve and reject.

Staff only (a token from /admin/api-token/ or the admin's session), each user within their clinics
(moderation.scope: a testimonial outside them is a 404, as if it did not exist). Every decision goes
through moderation.services from the state the caller saw (`expected_status`): a stale state is a 409
naming the current one. Nothing here is cacheable (`Cache-Control: no-store`); the public API's cache
and CORS exclude /api/v1/moderation/ (reviews.api.http_cache, CORS_URLS_REGEX)."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework import status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from reviews.api.views import StrictPagination
from reviews.models import Testimonial

from .. import scope, services
from ..models import Flag
from . import schema
from .filters import queue_filter
from .serializers import ApproveSerializer, QueueItemSerializer, RejectSerializer, TestimonialAnalysisSerializer

VIEW = scope.VIEW


class StaffScopePermission(BasePermission):
    """Active staff; reading needs the view (or moderate) permission, deciding needs moderate."""

    message = "You need the permission to moderate testimonials."

    def has_permission(self, request: Request, view) -> bool:
        user = request.user
        if user is None or not (user.is_authenticated and user.is_active and user.is_staff):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return user.has_perm(VIEW) or user.has_perm(scope.MODERATE)
        return scope.may_moderate(user)


class QueuePagination(StrictPagination):
    """Oldest waiting first, by keyset on (created_at, id): no COUNT, page 200 costs what page 1 does."""

    page_size = 25
    ordering = ("created_at", "id")


@schema.document_viewset
class ModerationTestimonialViewSet(viewsets.ReadOnlyModelViewSet):
    """Testimonials in the caller's clinics, with their analysis; approve and reject them."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [StaffScopePermission]
    pagination_class = QueuePagination
    filter_backends: list = []  # the queue's own filters (filters.queue_filter), validated by hand

    def get_queryset(self) -> QuerySet[Testimonial]:
        queryset = scope.testimonials_for(self.request.user).select_related("location", "therapist", "analysis")
        if self.action == "list":
            return queue_filter(queryset, self.request.query_params).prefetch_related(
                Prefetch("flags", queryset=Flag.objects.only("testimonial_id", "code", "severity")))
        return queryset.prefetch_related("flags", "tags")

    def get_serializer_class(self):
        return QueueItemSerializer if self.action == "list" else TestimonialAnalysisSerializer

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Private, per user and changing by the minute: never stored by a browser, proxy or CDN.
        patch_cache_control(response, no_store=True, private=True)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Publish it (needs `confirm_flags` and a note while high-severity flags remain)."""
        testimonial = self.get_object()
        data = self._valid(ApproveSerializer, request)
        return self._decide(lambda: services.testimonial_approve(
            testimonial=testimonial, actor=request.user, expected_status=data["expected_status"],
            confirm_flags=data["confirm_flags"], note=data["note"].strip()), testimonial)

    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Refuse it (or take a published one down) on a content ground, with an optional note."""
        testimonial = self.get_object()
        data = self._valid(RejectSerializer, request)
        return self._decide(lambda: services.testimonial_reject(
            testimonial=testimonial, actor=request.user, expected_status=data["expected_status"],
            reason=data["reason"], note=data["note"].strip()), testimonial)

    @staticmethod
    def _valid(serializer_class, request: Request) -> dict:
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": ["Send a JSON object."]})
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @staticmethod
    def _decide(decision, testimonial: Testimonial) -> Response:
        try:
            decision()
        except services.TransitionError as error:
            current = Testimonial.objects.filter(pk=testimonial.pk).values_list("status", flat=True).first()
            return Response({"detail": str(error), "code": _code(error), "status": current},
                            status=status.HTTP_409_CONFLICT)
        return Response({"id": testimonial.pk, "status": testimonial.status,
                         "published_at": testimonial.published_at})


def _code(error: Exception) -> str:
    """A stable machine-readable name for each refusal."""
    if isinstance(error, services.TransitionConflict):
        return "stale_status"
    if isinstance(error, services.AuthorizationExpired):
        return "authorization_expired"
    if isinstance(error, services.UnresolvedFlags):
        return "unresolved_high_flags"
    return "transition_not_allowed"
