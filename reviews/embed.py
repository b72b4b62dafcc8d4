"""GET /embed.js: the testimonials widget for the marketing site's pages (source in reviews/assets/)."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

SOURCE = Path(__file__).resolve().parent / "assets" / "embed.js"
# Host pages link /embed.js itself (no hash in the URL), so a day, then revalidated by ETag.
MAX_AGE = 86400


@lru_cache(maxsize=4)
def _script(css_path: str) -> tuple[bytes, str]:
    body = SOURCE.read_text(encoding="utf-8").replace("__EMBED_CSS_PATH__", css_path).encode()
    return body, f'"{hashlib.sha256(body).hexdigest()[:20]}"'


@require_safe
def embed_js(request: HttpRequest) -> HttpResponse:
    """The widget script, pointing at this site's (hashed, long-cached) stylesheet."""
    body, etag = _script(static("embed/testimonials.css"))
    if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE, stale_while_revalidate=7 * MAX_AGE)
    return response
