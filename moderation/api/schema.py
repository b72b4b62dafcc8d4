"""The moderation API in the OpenAPI schema: its own tag, its filters and every status it answers."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

TAG = "moderation"
Q = OpenApiParameter.QUERY

FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, Q, enum=["pending", "in_review", "approved", "rejected",
                                                           "withdrawn", "all"],
                     description="Default `in_review` (the work to do); with `search` and no status: `all`."),
    OpenApiParameter("location", OpenApiTypes.STR, Q, description="Clinic slug."),
    OpenApiParameter("therapist", OpenApiTypes.STR, Q, description="Therapist slug."),
    OpenApiParameter("flag", OpenApiTypes.STR, Q, description="A flag code (e.g. `pii_email`), or `none`."),
    OpenApiParameter("sentiment", OpenApiTypes.STR, Q, enum=["positive", "neutral", "negative"]),
    OpenApiParameter("language", OpenApiTypes.STR, Q, description="Detected language of the text (`en`, `es`…)."),
    OpenApiParameter("received_after", OpenApiTypes.DATE, Q, description="Received on or after this day."),
    OpenApiParameter("received_before", OpenApiTypes.DATE, Q, description="Received before this day."),
    OpenApiParameter("search", OpenApiTypes.STR, Q,
                     description="Words of the text, first name, surname or condition; an email address is "
                                 "matched exactly."),
    OpenApiParameter("page_size", OpenApiTypes.INT, Q, description="1 to 100 (default 25)."),
    OpenApiParameter("cursor", OpenApiTypes.STR, Q, description="Opaque: follow `next` / `previous`."),
]

_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}}
_PROBLEM = {"type": "object", "properties": {
    "detail": {"type": "string"},
    "code": {"type": "string", "enum": ["stale_status", "transition_not_allowed", "authorization_expired",
                                       "unresolved_high_flags"]},
    "status": {"type": "string", "description": "The testimonial's state now."}}}
COMMON = {
    401: OpenApiResponse(_DETAIL, description="No valid token or session."),
    403: OpenApiResponse(_DETAIL, description="Not staff, or without the permission needed."),
}
NOT_FOUND = {404: OpenApiResponse(_DETAIL, description="No such testimonial in your clinics.")}
BAD = {400: OpenApiResponse({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                            description="Bad input: each parameter or field with its messages.")}
CONFLICT = {409: OpenApiResponse(_PROBLEM, description=(
    "Nothing was done: the testimonial is no longer in `expected_status` (someone else acted: `stale_status`), "
    "the move is not allowed from it, its authorization expired, or high-severity flags are unresolved."),
    examples=[OpenApiExample("someone else acted first", response_only=True, value={
        "detail": "Testimonial #12 was changed by someone else meanwhile (now approved); nothing was done. "
                  "Reload the page to see its current state.", "code": "stale_status", "status": "approved"})])}
DECISION = {"type": "object", "properties": {"id": {"type": "integer"}, "status": {"type": "string"},
                                             "published_at": {"type": "string", "format": "date-time",
                                                              "nullable": True}}}


ID = [OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The testimonial's id.")]


def document_viewset(view: type) -> type:
    from .serializers import ApproveSerializer, QueueItemSerializer, RejectSerializer, TestimonialAnalysisSerializer

    return extend_schema_view(
        list=extend_schema(tags=[TAG], summary="The moderation queue, oldest first", parameters=FILTERS,
                           responses={200: QueueItemSerializer(many=True), **BAD, **COMMON}),
        retrieve=extend_schema(tags=[TAG], summary="One testimonial with its analysis", parameters=ID,
                               responses={200: TestimonialAnalysisSerializer, **COMMON, **NOT_FOUND}),
        approve=extend_schema(tags=[TAG], summary="Approve (publish) from the state you saw", parameters=ID,
                              request=ApproveSerializer,
                              responses={200: OpenApiResponse(DECISION), **BAD, **COMMON, **NOT_FOUND, **CONFLICT}),
        reject=extend_schema(tags=[TAG], summary="Reject on a content ground, from the state you saw", parameters=ID,
                             request=RejectSerializer,
                             responses={200: OpenApiResponse(DECISION), **BAD, **COMMON, **NOT_FOUND, **CONFLICT}),
    )(view)
