"""A database outage answered kindly: a 503 instead of a 500, and nothing a patient typed is lost.

The patient form's POST comes back as a page holding every field the patient sent (re-rendered from
the POST body, the text in an editable box) with a button to send it again; the API answers JSON; any
other page a short 503. `Retry-After` tells clients when to try again. Views' database errors are
caught by the middleware (one log line, no traceback); errors raised before a view (a session or user
lookup) reach `server_error`, the 500 handler, which gives the same answers."""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
FORM_VIEW = "testimonial-new"
# Fields of the form never shown back (a new CSRF token is issued with the page).
NOT_KEPT = {"csrfmiddlewaretoken"}


def outage_response(request: HttpRequest) -> HttpResponse:
    """The 503 for `request` while the database cannot be reached."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": _("The service is briefly unavailable. Please try again in a minute.")},
                                status=503)
    else:
        match = getattr(request, "resolver_match", None)
        is_form = match is not None and match.url_name == FORM_VIEW
        kept = []
        if is_form and request.method == "POST":
            kept = [(name, value) for name, values in request.POST.lists() if name not in NOT_KEPT
                    for value in values]
        response = render(request, "outage.html", {
            "is_form": is_form, "kept": [(n, v) for n, v in kept if n != "body"],
            "body": request.POST.get("body", "") if kept else "", "posted": bool(kept),
        }, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Last in MIDDLEWARE, so its `process_exception` is asked first about a view's error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.warning("database unavailable (%s: %s): 503 for %s", type(exception).__name__,
                       str(exception).strip().splitlines()[0][:160] if str(exception).strip() else "", request.method)
        return outage_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database error raised outside a view still gets the outage answer."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return outage_response(request)
    return defaults.server_error(request)
