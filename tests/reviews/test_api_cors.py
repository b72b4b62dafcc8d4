"""CORS: the marketing site's origin may read the public API from the browser; no other origin may."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

SITE = "https://www.example-clinics.test"


@pytest.fixture(autouse=True)
def _marketing_site_allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [SITE]


@pytest.mark.parametrize("path", ["/api/v1/testimonials/", "/api/v1/locations/", "/api/v1/therapists/"])
def test_an_allowed_origin_gets_the_allow_origin_header(client, path):
    # when the marketing site's page fetches the public API
    response = client.get(path, HTTP_ORIGIN=SITE)
    # then the browser is told it may read the answer, and caches know the answer depends on Origin
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == SITE
    assert "origin" in response["Vary"].lower()
    assert "Access-Control-Allow-Credentials" not in response


def test_any_other_origin_gets_no_cors_header(client):
    response = client.get("/api/v1/testimonials/", HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_a_preflight_from_the_allowed_origin_is_answered(client):
    response = client.options("/api/v1/testimonials/", HTTP_ORIGIN=SITE,
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                              HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == SITE
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "POST" not in response["Access-Control-Allow-Methods"]
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_a_preflight_from_another_origin_is_not_allowed(client):
    response = client.options("/api/v1/testimonials/", HTTP_ORIGIN="https://evil.example",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("path", ["/feeds/testimonials.atom", "/embed.js"])
def test_the_feed_and_the_embed_script_are_covered_too(client, path):
    response = client.options(path, HTTP_ORIGIN=SITE, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response["Access-Control-Allow-Origin"] == SITE


@pytest.mark.parametrize("path", ["/admin/login/", "/testimonials/new/", "/api/v1/moderation/testimonials/"])
def test_staff_and_patient_pages_never_get_cors_headers(client, path):
    response = client.get(path, HTTP_ORIGIN=SITE)
    assert "Access-Control-Allow-Origin" not in response
