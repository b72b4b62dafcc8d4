"""The OpenAPI schema documents what the marketing site's developer needs: filters with examples, every
response the API can give, caching, CORS and the webhook."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("path", ["/api/v1/testimonials/", "/api/v1/stats/"])
def test_every_filter_is_documented_with_an_example(schema, path):
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
    for name in ("location", "therapist", "min_rating", "tag", "published_after"):
        assert parameters[name]["description"] and parameters[name]["examples"], name
    assert parameters["If-None-Match"]["in"] == "header"


@pytest.mark.parametrize("path, codes", [
    ("/api/v1/testimonials/", {"200", "304", "400"}),
    ("/api/v1/testimonials/{id}/", {"200", "304", "404"}),
    ("/api/v1/stats/", {"200", "304", "400"}),
    ("/api/v1/tags/", {"200", "304", "400"}),
    ("/api/v1/locations/{slug}/", {"200", "304", "404"}),
])
def test_each_response_the_api_gives_is_declared_with_its_cache_headers(schema, path, codes):
    responses = schema["paths"][path]["get"]["responses"]
    assert set(responses) == codes
    assert {"ETag", "Last-Modified", "Cache-Control"} <= set(responses["200"]["headers"])


def test_the_description_covers_caching_cors_and_the_webhook(schema):
    text = schema["info"]["description"]
    for words in ("If-None-Match", "stale-while-revalidate", "CORS_ALLOWED_ORIGINS", "webhook-signature",
                  "received_count"):
        assert words in text


def test_stats_and_tags_shapes_are_declared(schema):
    components = schema["components"]["schemas"]
    assert set(components["Stats"]["properties"]) == {"received_count", "published_count", "average_rating",
                                                      "published_average_rating"}
    assert set(components["Tag"]["properties"]) == {"slug", "name", "published_count"}
    assert "language" in components["Testimonial"]["properties"]
