"""What the OpenAPI schema says about the public API beyond what the code shows: every filter with an
example, the responses besides 200 (304, 400, 404), the caching headers, CORS and the webhook."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from .filters import DATETIME_PATTERN, SLUG_LIST_PATTERN, SLUG_PATTERN
from .serializers import StatsSerializer

Q = OpenApiParameter.QUERY
# Each filter's schema is the grammar the API parses (filters.py), so what the schema allows and what the
# API accepts agree; an empty value means "no filter" and is allowed by every one of them.
EMPTY = {"type": "string", "maxLength": 0}


def _text(pattern: str) -> dict:
    return {"type": "string", "pattern": pattern}


def _whole(low: int, high: int) -> dict:
    return {"anyOf": [{"type": "integer", "minimum": low, "maximum": high}, EMPTY]}


FILTERS = [
    OpenApiParameter("location", _text(SLUG_LIST_PATTERN), Q, examples=[
        OpenApiExample("one clinic", value="dayton"), OpenApiExample("several", value="dayton,edison")],
        description="Clinic slug (see /api/v1/locations/); several separated by commas. Empty: every clinic. "
                    "An unknown slug is a 400."),
    OpenApiParameter("therapist", _text(SLUG_LIST_PATTERN), Q,
                     examples=[OpenApiExample("a therapist", value="brianna-kowalski")],
                     description="Therapist slug (see /api/v1/therapists/); several separated by commas. "
                                 "Empty: any. An unknown slug is a 400."),
    OpenApiParameter("min_rating", _whole(1, 5), Q, examples=[OpenApiExample("4 stars and up", value=4)],
                     description="Whole number from 1 to 5. Empty: any rating."),
    OpenApiParameter("tag", _text(SLUG_PATTERN), Q,
                     examples=[OpenApiExample("a condition", value="foot-drop")],
                     description="One tag slug (see /api/v1/tags/). Empty: any. An unknown slug is a 400."),
    OpenApiParameter("published_after", {"anyOf": [_text(DATETIME_PATTERN), EMPTY]}, Q,
                     examples=[OpenApiExample("since a date", value="2026-01-31T00:00:00Z"),
                               OpenApiExample("with an offset", value="2026-01-31T09:00:00-05:00")],
                     description="ISO 8601: a date, or a date-time with an optional UTC offset (any offset up to "
                                 "±23:59; in a URL write `+` as `%2B`); without an offset it is read in the "
                                 "practice's time zone. A moment that cannot be stored (before 0001-01-02 or "
                                 "after 9999-12-30) or does not exist (2026-02-30) is a 400. Empty: no limit."),
]
PAGE = [
    OpenApiParameter("page_size", _whole(1, 999_999_999), Q, examples=[OpenApiExample("three cards", value=3)],
                     description="Whole number from 1; more than 100 is capped at 100. `null`, a fraction or "
                                 "anything else is a 400. Empty: the default."),
    OpenApiParameter("cursor", OpenApiTypes.STR, Q,
                     description="Opaque: use the `next` / `previous` links as given. A cursor that was not "
                                 "made by the API is a 400."),
]
CONDITIONAL = [
    OpenApiParameter("If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
                     description="The ETag of the copy you hold: 304 without a body if it is still current."),
]
CACHE_HEADERS = [
    OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304],
                     description="Strong validator of these exact bytes; changes with every publication change."),
    OpenApiParameter("Last-Modified", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304]),
    OpenApiParameter("Cache-Control", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304],
                     description="`public, max-age=60, stale-while-revalidate=300`."),
]
ERRORS = {
    304: OpenApiResponse(description="Not modified: the copy named by If-None-Match is current."),
    400: OpenApiResponse(
        response={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        description="A bad parameter: its name with the messages.",
        examples=[OpenApiExample("bad rating", value={"min_rating": ["min_rating must be a whole number from 1 to 5."]},
                                 response_only=True)]),
}
NOT_FOUND = {404: OpenApiResponse(response={"type": "object", "properties": {"detail": {"type": "string"}}},
                                  description="No such published item (also once withdrawn or taken down).")}


def _get(summary: str, serializer, *, parameters: list, missing: bool = False, bad_input: bool = True):
    responses = {200: serializer, 304: ERRORS[304]}
    if bad_input:
        responses[400] = ERRORS[400]
    if missing:
        responses.update(NOT_FOUND)
    return extend_schema(summary=summary, parameters=parameters + CONDITIONAL + CACHE_HEADERS, responses=responses)


def document(view: type, *, name: str) -> type:
    """Decorate a view class of views.py with its schema (imported there, so kept next to the words)."""
    from . import serializers as s

    item = {"testimonials": s.TestimonialSerializer, "locations": s.LocationSerializer,
            "therapists": s.TherapistSerializer, "tags": s.TagSerializer}.get(name)
    if name == "stats":
        return extend_schema_view(get=_get("Counts and averages for the list's filters", StatsSerializer,
                                           parameters=FILTERS))(view)
    actions = {"list": _get(LIST_SUMMARY[name], item, parameters=(FILTERS if name == "testimonials" else
                                                                  FILTERS[:1] if name == "therapists" else []) + PAGE)}
    if name != "tags":
        one = s.TestimonialDetailSerializer if name == "testimonials" else item
        actions["retrieve"] = _get(ONE_SUMMARY[name], one, parameters=[], missing=True, bad_input=False)
    return extend_schema_view(**actions)(view)


LIST_SUMMARY = {"testimonials": "Approved testimonials, newest first", "locations": "The clinics",
                "therapists": "The therapists", "tags": "Tags to filter the feed by"}
ONE_SUMMARY = {"testimonials": "One approved testimonial", "locations": "One clinic", "therapists": "One therapist"}


DESCRIPTION = """Approved patient testimonials for the practice's website. Read-only, JSON, no authentication.

**Filters.** The list (`/testimonials/`), the counts (`/stats/`) and the Atom feed take the same filters:
`location` (clinic slugs, comma-separated), `therapist`, `min_rating` (1–5), `tag` (one slug from
`/tags/`) and `published_after` (ISO 8601). An empty value means no filter; an unknown or malformed
value is a `400` naming the parameter, e.g. `{"min_rating": ["min_rating must be a whole number from 1 to 5."]}`.

**Honest counts.** Each list page carries `received_count` and `published_count` for its filters;
`/stats/` adds the average ratings. Received = every testimonial submitted and not withdrawn.

**Caching.** Every public GET answers with a strong `ETag`, `Last-Modified` and
`Cache-Control: public, max-age=60, stale-while-revalidate=300`; send `If-None-Match` to get a `304`
without a body. Any publication change (publish, take-down, withdrawal, redaction, expiry) changes every
ETag at once, and a CDN configured with `CDN_PURGE_URL` is purged by the worker.

**CORS.** Pages on the origins listed in `CORS_ALLOWED_ORIGINS` may call this API (and `/feeds/`,
`/embed.js`) with `fetch()`; `ETag` and `Last-Modified` are exposed. No credentials; other origins get no
CORS headers.

**Webhook.** With `MARKETING_WEBHOOK_URL` set, the worker POSTs
`{"event": "testimonial.published" | "testimonial.unpublished" | "testimonial.updated", "testimonial_id": 123}`
to the marketing site on each change, signed per the Standard Webhooks specification (`webhook-id`,
`webhook-timestamp`, `webhook-signature` headers; verify with the `standardwebhooks` library and
`MARKETING_WEBHOOK_SECRET`). The body names the testimonial only: read it from this API.

**Moderation (staff only).** The endpoints tagged `moderation` (`/api/v1/moderation/…`) are not public:
they need a staff token (`Authorization: Token …`, from `/admin/api-token/`) or the admin's session, see
only the caller's clinics, are never cached (`Cache-Control: no-store`) and have no CORS. Decisions carry
`expected_status`, the state the caller saw; if it changed meanwhile the answer is `409` and nothing is done."""


def describe_public_api(result: dict, generator, request, public) -> dict:
    """drf-spectacular post-processing hook: the API's description (filters, counts, caching, CORS, webhook)."""
    result.setdefault("info", {})["description"] = DESCRIPTION
    return result
