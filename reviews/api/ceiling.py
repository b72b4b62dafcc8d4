"""The benchmark's ceiling: a constant JSON body of a given size from a plain Django view, served by the
same server as the API (bench/feed.py compares every endpoint with it). Routed only when the
BENCH_CEILING setting is on, never in production."""
from __future__ import annotations

from functools import lru_cache

from django.http import HttpRequest, HttpResponse


@lru_cache(maxsize=8)
def _body(size: int) -> bytes:
    filler = max(size - len(b'{"x":""}'), 0)
    return b'{"x":"' + b"a" * filler + b'"}'


def ceiling_view(request: HttpRequest, size: int) -> HttpResponse:
    return HttpResponse(_body(min(size, 1_000_000)), content_type="application/json")
