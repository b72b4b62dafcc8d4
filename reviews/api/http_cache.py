"""HTTP caching of the public API: rendered bytes stored under the publication version, strong ETags,
304s, and headers a browser or CDN can act on.

Every change the public may see bumps the version (moderation.publication.publication_changed →
reviews.feed_cache), so the next request renders afresh: a withdrawn testimonial is never served from
here again. A hit is answered by PublicApiCacheMiddleware from the stored bytes and headers, without
entering the URL resolver, DRF or the database."""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from rest_framework.settings import api_settings

from reviews import feed_cache

logger = logging.getLogger(__name__)

CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
# Stored: (version, body, etag, last_modified as a Unix time, [(header, value)…]): plain values only.
# ENTRY_FORMAT is in the key: a deploy that changes the shape never reads the old shape.
ENTRY_FORMAT = 2


def request_key(request: HttpRequest) -> str:
    """The request as the cache sees it: path and query in a canonical order (same answer, same key)."""
    query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)))
    key = f"{request.path}?{query}"
    if len(api_settings.DEFAULT_RENDERER_CLASSES) > 1:  # DEBUG's browsable API: the answer depends on Accept
        key += "|" + request.META.get("HTTP_ACCEPT", "")
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _not_modified(request: HttpRequest, *, etag: str, last_modified: float) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:  # takes precedence over If-Modified-Since (RFC 9110 13.2.2); weak comparison
        tags = parse_etags(if_none_match)
        return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(last_modified) <= since


def _version_and_stored(key: str) -> tuple[int, tuple | None]:
    """The publication version and what is stored for `key`, in one round-trip to the cache."""
    try:
        found = cache.get_many([feed_cache.FEED_VERSION_KEY, key])
    except Exception:
        logger.warning("cache unavailable; API served uncached")
        return 0, None
    version = found.get(feed_cache.FEED_VERSION_KEY) or feed_cache.feed_cache_version()
    entry = found.get(key)
    # Stored with the version it was rendered under: anything older is never served again.
    if entry is not None and len(entry) == 5 and entry[0] == version:
        return version, entry
    return version, None


def _validators(response: HttpResponse, *, etag: str, last_modified: float) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _replay(request: HttpRequest, entry: tuple) -> HttpResponse:
    """The stored answer, with the very headers the full stack gave it (or a 304)."""
    _version, body, etag, last_modified, headers = entry
    if _not_modified(request, etag=etag, last_modified=last_modified):
        response: HttpResponse = HttpResponseNotModified()
        headers = [(name, value) for name, value in headers if name.lower() not in ("content-type", "content-length")]
    else:
        response = HttpResponse(body)
    for name, value in headers:
        response[name] = value
    return response


class CachedGetMixin:
    """For a DRF view: a 200 to GET/HEAD gets a strong ETag (from the publication version and these
    exact bytes), Last-Modified and Cache-Control, and becomes a 304 when If-None-Match names it.
    The rendered bytes are left on the request for PublicApiCacheMiddleware to store."""

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        version = getattr(request, "feed_version", None)
        if version is None:  # the middleware did not look (cache off): still a version for the ETag
            version = request.feed_version = feed_cache.feed_cache_version()
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code != 200:
            return response  # errors are not cached: a 400 is cheap, a 404 may be published tomorrow
        if hasattr(response, "render"):  # DRF's Response; a plain HttpResponse (the Atom feed) has its bytes
            response.render()
        # Strong: one version, one request → these exact bytes. The version part changes with every
        # publication change, the digest with anything else that shows.
        etag = f'"{version}.{hashlib.sha256(response.content).hexdigest()[:20]}"'
        last_modified = time.time()
        request.feed_entry = (version, response.content, etag, last_modified)
        if _not_modified(request, etag=etag, last_modified=last_modified):
            response = HttpResponseNotModified()
        return _validators(response, etag=etag, last_modified=last_modified)


def _public(path: str) -> bool:
    # 9b: the Atom feed (/feeds/) is stored and replayed like the API.
    return path.startswith(("/api/v1/", "/feeds/")) and not path.startswith("/api/v1/moderation/")


class PublicApiCacheMiddleware:
    """Serves the public API's stored answers before the rest of the stack runs, and stores new ones
    with the headers the stack gave them, so a hit is the same response at a fraction of the cost.

    Placed after CorsMiddleware (whose headers depend on each request's Origin) and before everything
    that only the first rendering needs. Also: the public API speaks one language, so LocaleMiddleware's
    `Vary: Accept-Language` and Content-Language are dropped there (one CDN copy per URL)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _public(request.path):
            response = self.get_response(request)
            if request.path == "/embed.js":  # 9b: the widget script is one file for every language too
                self._one_language(response)
            return response
        seconds = settings.FEED_CACHE_SECONDS if request.method in ("GET", "HEAD") else 0
        if seconds:
            key = f"api:{ENTRY_FORMAT}:{request_key(request)}"
            version, entry = _version_and_stored(key)
            if entry is not None:
                return _replay(request, entry)
            request.feed_version = version
        response = self.get_response(request)
        self._one_language(response)
        found = getattr(request, "feed_entry", None)
        if seconds and found and found[0] and response.status_code == 200:
            headers = list(response.items())
            try:
                # Under the version read before rendering: if a publication changed meanwhile,
                # this is stale on arrival and the next request renders again.
                cache.set(key, (*found, headers), seconds)
            except Exception:
                logger.warning("cache unavailable; API response not stored")
        return response

    @staticmethod
    def _one_language(response: HttpResponse) -> None:
        if response.has_header("Vary"):
            kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "accept-language"]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        if response.has_header("Content-Language"):
            del response["Content-Language"]
