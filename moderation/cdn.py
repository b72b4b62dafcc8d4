"""Purging a CDN in front of the public API and feed when what the public may see changes.

The origin's own cache is already invalidated by the version bump; a CDN keeps its copies for up to
max-age (+ stale-while-revalidate) unless told. One POST to CDN_PURGE_URL (the CDN's "purge
everything" endpoint for this site, e.g. Cloudflare's purge_cache), with CDN_PURGE_TOKEN as a bearer
token when set. Nothing about the testimonial is sent."""
from __future__ import annotations

import json
import urllib.request

from django.conf import settings

# What the CDN may hold for us: the public API, the Atom feed and the embed script.
PURGED_PREFIXES = ("/api/v1/", "/feeds/", "/embed.js")


def cdn_purge() -> int:
    """POST the purge request; returns the HTTP status (raises OSError on network or HTTP errors)."""
    body = json.dumps({"purge_everything": True,
                       "prefixes": [settings.SITE_URL + prefix for prefix in PURGED_PREFIXES]}).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "testimonials-cdn-purge/1"}
    if settings.CDN_PURGE_TOKEN:
        headers["Authorization"] = f"Bearer {settings.CDN_PURGE_TOKEN}"
    request = urllib.request.Request(settings.CDN_PURGE_URL, data=body, method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status
