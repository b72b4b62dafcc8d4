"""/embed.js as served, and the schema.org Review JSON-LD on a testimonial's detail."""
from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

from moderation import services
from reviews.models import Testimonial
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def test_the_widget_script_is_javascript_cached_for_a_day_and_revalidated_by_etag(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    script = response.content.decode()
    # it points at this site's stylesheet, which exists, and evaluates no strings
    assert '"/static/embed/testimonials.css"' in script and "__EMBED_CSS_PATH__" not in script
    assert finders.find("embed/testimonials.css")
    for unsafe in ("eval(", "new Function", "innerHTML", ".style.", "setAttribute(\"style\"", "document.write"):
        assert unsafe not in script
    again = client.get("/embed.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content


def test_the_widget_script_refuses_a_post(client):
    assert client.post("/embed.js").status_code == 405


def test_a_testimonials_detail_offers_a_review_in_json_ld_without_aggregate_rating(client, admin_user,
                                                                                 django_capture_on_commit_callbacks):
    # given a published testimonial about a therapist
    clinic = LocationFactory(slug="dayton", name="Dayton")
    bri = TherapistFactory(slug="bri", first_name="Brianna", last_name="Kowalski", locations=[clinic])
    testimonial = TestimonialFactory(location=clinic, therapist=bri, rating=4, first_name="Stephanie",
                                     last_name="Marino", email="steph@private.example", language="en",
                                     body="Bri got me walking again.")
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    testimonial.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
    # when its detail is read
    data = client.get(f"/api/v1/testimonials/{testimonial.pk}/").json()
    # then it carries a schema.org Review of the public fields only
    review = data["jsonld"]
    assert review["@context"] == "https://schema.org" and review["@type"] == "Review"
    assert review["reviewBody"] == "Bri got me walking again."
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 4, "bestRating": 5, "worstRating": 1}
    assert review["author"] == {"@type": "Person", "name": "Stephanie M."}
    assert review["itemReviewed"] == {"@type": "MedicalClinic", "name": "Dayton"}
    assert review["datePublished"] == data["published_at"][:10]
    assert "AggregateRating" not in str(data) and "aggregateRating" not in str(data)
    assert "Marino" not in str(review) and "private.example" not in str(review)
    # and the list stays as it was (no JSON-LD per item)
    assert "jsonld" not in client.get("/api/v1/testimonials/").json()["results"][0]


def test_the_schema_documents_jsonld_on_the_detail_only(client):
    schema = client.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    assert "jsonld" in schema["TestimonialDetail"]["properties"]
    assert "jsonld" not in schema["Testimonial"]["properties"]


@pytest.mark.parametrize("path", ["/embed.js", "/feeds/testimonials.atom"])
def test_the_widget_and_the_feed_do_not_vary_on_the_browsers_language(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert "accept-language" not in response.get("Vary", "").lower() and "Content-Language" not in response
