"""HTTP caching of the public API: rendered bytes stored under the publication version, strong ETags,
304s, and headers a browser or CDN can act on.

Every change the public may see bumps the version (moderation.publication.publication_changed →
reviews.feed_cache), so the next request renders afresh: a withdrawn testimonial is never served from
here again. A hit is answered from the stored bytes without entering DRF at all."""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from rest_framework.settings import api_settings

from reviews import feed_cache

logger = logging.getLogger(__name__)

CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
# (body, etag, last_modified as a Unix time, content type): plain values, nothing class-bound pickled.
Stored = tuple[bytes, str, float, str]


def request_key(request: HttpRequest) -> str:
    """The request as the cache sees it: path and query in a canonical order (same answer, same key)."""
    query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)))
    key = f"{request.path}?{query}"
    if len(api_settings.DEFAULT_RENDERER_CLASSES) > 1:  # DEBUG's browsable API: the answer depends on Accept
        key += "|" + request.META.get("HTTP_ACCEPT", "")
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _respond(request: HttpRequest, stored: Stored) -> HttpResponse:
    body, etag, last_modified, content_type = stored
    if _not_modified(request, etag=etag, last_modified=last_modified):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = CACHE_CONTROL
    if len(api_settings.DEFAULT_RENDERER_CLASSES) > 1:
        patch_vary_headers(response, ["Accept"])
    return response


def _not_modified(request: HttpRequest, *, etag: str, last_modified: float) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:  # takes precedence over If-Modified-Since (RFC 9110 13.2.2); weak comparison
        tags = parse_etags(if_none_match)
        return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(last_modified) <= since


def _version_and_stored(key: str) -> tuple[int, Stored | None]:
    """The publication version and what is stored for `key`, in one round-trip to the cache."""
    try:
        found = cache.get_many([feed_cache.FEED_VERSION_KEY, key])
    except Exception:
        logger.warning("cache unavailable; API served uncached")
        return 0, None
    version = found.get(feed_cache.FEED_VERSION_KEY) or feed_cache.feed_cache_version()
    entry = found.get(key)
    # Stored with the version it was rendered under: anything older is never served again.
    if entry is not None and entry[0] == version:
        return version, entry[1:]
    return version, None


def cached_get(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    """Answer a public GET from the stored bytes of this version, or render, store and answer."""
    key = f"api:{request_key(request)}"
    seconds = settings.FEED_CACHE_SECONDS
    if seconds:
        version, stored = _version_and_stored(key)
        if stored is not None:
            return _respond(request, stored)
    else:
        version = feed_cache.feed_cache_version()
    response = render()
    if response.status_code != 200:
        return response  # errors are not cached: a 400 is cheap, a 404 may be published tomorrow
    if hasattr(response, "render"):
        response.render()
    body = response.content
    # Strong: one version, one request → these exact bytes. The version part changes with every
    # publication change, the digest with anything else that shows.
    etag = f'"{version}.{hashlib.sha256(body).hexdigest()[:20]}"'
    stored = (body, etag, time.time(), response["Content-Type"])
    if seconds and version:
        try:
            # The version read before rendering: if a publication changed meanwhile, this is stale
            # on arrival and the next request renders again.
            cache.set(key, (version, *stored), seconds)
        except Exception:
            logger.warning("cache unavailable; API response not stored")
    return _respond(request, stored)


class CachedGetMixin:
    """For a DRF view: GET and HEAD go through `cached_get`; a hit never builds a DRF Request."""

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        return cached_get(request, lambda: super(CachedGetMixin, self).dispatch(request, *args, **kwargs))


class PublicApiVaryMiddleware:
    """The public API speaks one language: drop LocaleMiddleware's `Vary: Accept-Language` (and its
    Content-Language) there, so caches keep one copy per URL instead of one per browser language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        public = request.path.startswith(("/api/v1/", "/feeds/")) or request.path == "/embed.js"  # 9b: feed, widget
        if public and not request.path.startswith("/api/v1/moderation/"):
            if response.has_header("Vary"):
                kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "accept-language"]
                if kept:
                    response["Vary"] = ", ".join(kept)
                else:
                    del response["Vary"]
            if response.has_header("Content-Language"):
                del response["Content-Language"]
        return response
