"""The marketing-site webhook in the OpenAPI schema (drf-spectacular's WEBHOOKS setting, OpenAPI 3.1):
what the site receives, its Standard Webhooks headers and the answers it should give. Written as a raw
operation because drf-spectacular's webhook decorator drops header parameters."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiWebhook

from .webhooks import EVENTS


def _header(name: str, schema: dict, description: str) -> dict:
    return {"in": "header", "name": name, "required": True, "schema": schema, "description": description}


testimonial_changed = OpenApiWebhook(name="testimonialChanged", decorator={"post": {
    "operationId": "testimonialChanged",
    "summary": "What the public may see of a testimonial changed",
    "description": "POSTed to MARKETING_WEBHOOK_URL on publication, takedown, withdrawal and redaction, per the "
                   "Standard Webhooks specification. Any answer but 2xx is retried with doubling delays "
                   "(WEBHOOK_RETRY_BASE_SECONDS, at most half an hour apart) until WEBHOOK_MAX_ATTEMPTS attempts "
                   "were made, then logged as failed. The body names the testimonial only: read the API.",
    "parameters": [
        _header("webhook-id", {"type": "string", "pattern": "^msg_[0-9a-f]{32}$"},
                "One per message, the same on every retry: deduplicate on it."),
        _header("webhook-timestamp", {"type": "integer"}, "Unix time of this attempt; refuse old ones (replays)."),
        _header("webhook-signature", {"type": "string", "example": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="},
                'v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>"> under the whsec_ secret '
                "(MARKETING_WEBHOOK_SECRET); verify with a Standard Webhooks library."),
    ],
    "requestBody": {"required": True, "content": {"application/json": {
        "schema": {"type": "object", "required": ["event", "testimonial_id"], "additionalProperties": False,
                   "properties": {"event": {"type": "string", "enum": list(EVENTS)},
                                  "testimonial_id": {"type": "integer"}}},
        "example": {"event": "testimonial.published", "testimonial_id": 123}}}},
    "responses": {"200": {"description": "Accepted (any 2xx)."},
                  "default": {"description": "Not accepted: retried later under the same webhook-id."}},
}})
