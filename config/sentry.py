"""Opt-in error reporting (SENTRY_DSN): what is sent says where the code failed, never who was involved.

The SDK is told to send no personal data (no user, IP, cookies or request bodies, no local variables of
stack frames: they hold testimonials), and `scrub_event` removes whatever could still carry some before an
event leaves the process: the request's body, cookies, query string and all but a few harmless headers,
the withdrawal and renewal tokens in URLs, breadcrumbs' data (SQL parameters, log arguments), and email
addresses anywhere in messages and exception texts (a database error can quote the row it refused).
"""
from __future__ import annotations

import re
from typing import Any

SAFE_HEADERS = frozenset({"accept", "accept-language", "content-length", "content-type", "host", "user-agent"})
_TOKEN_PATH = re.compile(r"/(withdraw|renew)/[^/?#]+")
_EMAIL = re.compile(r"[^\s@'\"<>(),;:]+@[^\s@'\"<>(),;:]+\.[A-Za-z]{2,}")
REMOVED = "[removed]"


def _clean_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return _EMAIL.sub(REMOVED, _TOKEN_PATH.sub(lambda m: f"/{m.group(1)}/{REMOVED}", value))


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's before_send: the event without anything that could identify a patient or a moderator."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() in SAFE_HEADERS}
        if "url" in request:
            request["url"] = _clean_text(request["url"])
    event.pop("user", None)
    event.pop("extra", None)
    if "transaction" in event:
        event["transaction"] = _clean_text(event["transaction"])
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        logentry["message"] = _clean_text(logentry.get("message"))
        logentry.pop("params", None)
        logentry.pop("formatted", None)
    if "message" in event:
        event["message"] = _clean_text(event["message"])
    for exception in (event.get("exception") or {}).get("values", []) or []:
        exception["value"] = _clean_text(exception.get("value"))
        for frame in (exception.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values", []) if isinstance(crumbs, dict) else (crumbs or [])
    for crumb in values:
        crumb.pop("data", None)
        crumb["message"] = _clean_text(crumb.get("message"))
    return event


def sentry_init(*, dsn: str, environment: str) -> None:
    """Start reporting unhandled errors of this process (web, worker or beat) to `dsn`."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=scrub_event,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
