"""config/renderers.py must write exactly what DRF's JSONRenderer writes, faster."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer

from config.renderers import FastJSONRenderer


@pytest.mark.parametrize("data", [
    {"results": [{"id": 1, "body": "Él me ayudó — “gracias” 😀", "rating": 5, "tags": ["knee"], "x": None}],
     "next": "http://h/api/v1/testimonials/?cursor=bnwy", "average_rating": 4.25, "n": 0},
    {"line": "a\u2028b\u2029c", "nested": {"t": True, "f": False, "list": [1.5, -2, "x"]}},
    {"when": dt.datetime(2026, 12, 5, 10, 30, 15, 123456, tzinfo=dt.UTC), "day": dt.date(2026, 12, 5)},
    {"lazy": gettext_lazy("This field is required."), "error": [ErrorDetail("Unknown tag: x.", code="invalid")]},
    {"money": Decimal("4.50"), "big": 2**70},
    [],
    {},
])
def test_the_bytes_are_drfs(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_nothing_is_an_empty_body():
    assert FastJSONRenderer().render(None) == b""
