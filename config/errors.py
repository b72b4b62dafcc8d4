"""Error pages: under /api/ an error is JSON like every other API answer (the schema declares it), not
Django's HTML page."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: `{"detail": …}` for a path under /api/ that no route matches (`/api/v1/testimonials/abc/`)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
