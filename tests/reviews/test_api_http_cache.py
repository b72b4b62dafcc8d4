"""HTTP caching of the public API: validators, 304s, and a new ETag on every change the public sees."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation import services
from moderation.models import RejectionReason
from reviews.models import Testimonial
from tests.factories import LocationFactory, TestimonialFactory

pytestmark = pytest.mark.django_db

PUBLIC_GETS = ["/api/v1/testimonials/", "/api/v1/testimonials/?location=north&min_rating=2",
               "/api/v1/locations/", "/api/v1/locations/north/", "/api/v1/therapists/", "/api/v1/tags/",
               "/api/v1/stats/", "/api/v1/stats/?location=north"]


@pytest.fixture
def cached(settings):
    settings.FEED_CACHE_SECONDS = 300  # the local-memory cache of the test process stands in for Redis


@pytest.fixture
def north():
    return LocationFactory(slug="north", name="North")


def in_review(**kwargs) -> Testimonial:
    testimonial = TestimonialFactory(**kwargs)
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    testimonial.refresh_from_db()
    return testimonial


@pytest.fixture
def published(north, admin_user, django_capture_on_commit_callbacks):
    testimonial = in_review(location=north, rating=4)
    with django_capture_on_commit_callbacks(execute=True):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
    return testimonial


@pytest.mark.parametrize("path", PUBLIC_GETS)
def test_every_public_get_carries_validators_and_cache_control(client, published, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
    assert response["Last-Modified"].endswith("GMT")
    # one copy per URL for a CDN: the API does not vary on the browser's language
    assert "accept-language" not in response.get("Vary", "").lower()
    assert "Content-Language" not in response


@pytest.mark.parametrize("path", PUBLIC_GETS)
@pytest.mark.parametrize("cache_on", [False, True])
def test_if_none_match_with_the_current_etag_gets_a_304_without_body(client, published, settings, path, cache_on):
    settings.FEED_CACHE_SECONDS = 300 if cache_on else 0
    etag = client.get(path)["ETag"]
    response = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and response["Cache-Control"].startswith("public")
    assert client.get(path, HTTP_IF_NONE_MATCH='"1.someoldcopy"').status_code == 200
    assert client.get(path, HTTP_IF_NONE_MATCH=f'"x", W/{etag}').status_code == 304  # weak comparison


def test_the_same_request_in_another_order_is_the_same_resource(client, published, cached):
    one = client.get("/api/v1/testimonials/?location=north&min_rating=2")
    other = client.get("/api/v1/testimonials/?min_rating=2&location=north")
    assert one["ETag"] == other["ETag"] and one.content == other.content


def test_a_cache_hit_runs_no_database_query(client, published, cached):
    client.get("/api/v1/testimonials/?location=north")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/testimonials/?location=north")
    assert response.status_code == 200 and response.json()["results"][0]["id"] == published.pk
    assert len(queries) == 0


def etag_and_ids(client, path="/api/v1/testimonials/") -> tuple[str, list[int]]:
    response = client.get(path)
    return response["ETag"], [item["id"] for item in response.json()["results"]]


def test_publishing_changes_the_etag_and_shows_at_once(client, published, cached, north, admin_user,
                                                       django_capture_on_commit_callbacks):
    before, ids = etag_and_ids(client)
    newcomer = in_review(location=north)
    with django_capture_on_commit_callbacks(execute=True):
        services.testimonial_approve(testimonial=newcomer, actor=admin_user)
    after, ids_after = etag_and_ids(client)
    assert after != before and ids_after == [newcomer.pk, *ids]
    assert client.get("/api/v1/testimonials/", HTTP_IF_NONE_MATCH=before).status_code == 200


def test_withdrawal_changes_the_etag_and_the_item_is_gone_at_once(client, published, cached,
                                                                  django_capture_on_commit_callbacks):
    before, _ = etag_and_ids(client)
    detail = client.get(f"/api/v1/testimonials/{published.pk}/")
    assert detail.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.testimonial_withdraw(testimonial=published)
    after, ids = etag_and_ids(client)
    assert after != before and ids == []
    gone = client.get(f"/api/v1/testimonials/{published.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"])
    assert gone.status_code == 404


def test_redaction_changes_the_etag_and_the_text_at_once(client, published, cached, admin_user,
                                                         django_capture_on_commit_callbacks):
    path = f"/api/v1/testimonials/{published.pk}/"
    before = client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        services.testimonial_redact(testimonial=published, body="Great care from [name removed].", actor=admin_user)
    after = client.get(path, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert after.json()["body"] == "Great care from [name removed]."


def test_an_expired_authorization_changes_the_etag_and_leaves_the_feed_at_once(
        client, published, cached, django_capture_on_commit_callbacks):
    # given a cached page showing a testimonial whose authorization then runs out
    before, ids = etag_and_ids(client)
    assert ids == [published.pk]
    Testimonial.objects.filter(pk=published.pk).update(consent_expires_at=timezone.now() - timedelta(minutes=1))
    # when the expiry is recorded through the state machine (the system takes it down: no consent)
    with django_capture_on_commit_callbacks(execute=True):
        services.testimonial_transition(testimonial=published, to="rejected", actor=None,
                                        reason=RejectionReason.NO_CONSENT)
    # then the next request renders afresh, without it
    after, ids_after = etag_and_ids(client)
    assert after != before and ids_after == []
    assert client.get("/api/v1/stats/").json()["published_count"] == 0


def test_a_post_is_refused_and_never_cached(client, published, cached):
    assert client.post("/api/v1/testimonials/", {}).status_code == 405
    assert client.get("/api/v1/testimonials/").status_code == 200


def test_if_modified_since_gets_a_304_when_nothing_changed(client, published, cached):
    first = client.get("/api/v1/locations/")
    again = client.get("/api/v1/locations/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_new_submission_shows_in_the_received_count_at_once(client, published, cached, north,
                                                               django_capture_on_commit_callbacks):
    from reviews.services import testimonial_submit

    before = client.get("/api/v1/stats/")
    assert before.json()["received_count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        testimonial_submit(location=north, therapist=None, rating=2, body="It was fine, I guess, not much better.",
                           condition="", first_name="Lee", last_name="Park", email="lee@example.com",
                           enqueue=False)
    after = client.get("/api/v1/stats/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after.json()["received_count"] == 2


def test_a_stored_answer_carries_the_same_headers_and_bytes_as_the_first(client, published, cached, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.com"]
    first = client.get("/api/v1/testimonials/?location=north", HTTP_ORIGIN="https://www.example.com")
    again = client.get("/api/v1/testimonials/?location=north", HTTP_ORIGIN="https://www.example.com")
    other = client.get("/api/v1/testimonials/?location=north", HTTP_ORIGIN="https://evil.example")
    assert again.content == first.content
    assert dict(again.items()) == dict(first.items())  # security headers, CSP, CORS, validators alike
    assert "Access-Control-Allow-Origin" not in other and other["ETag"] == first["ETag"]


@pytest.mark.parametrize("change", ["rename clinic", "rename therapist", "rename tag", "move therapist"])
def test_a_change_to_a_clinic_therapist_or_tag_is_served_at_once_from_a_warm_cache(
        client, published, cached, django_capture_on_commit_callbacks, change):
    from reviews.models import Tag
    from tests.factories import TherapistFactory

    ann = TherapistFactory(slug="ann", first_name="Ann", locations=[published.location])
    knee = Tag.objects.get_or_create(slug="knee", defaults={"name": "Knee"})[0]
    published.tags.set([knee])
    Testimonial.objects.filter(pk=published.pk).update(therapist=ann)
    south = LocationFactory(slug="south", name="South")
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_changed(testimonial_id=published.pk)  # the fixtures' writes, made public
    paths = ["/api/v1/testimonials/", "/api/v1/therapists/", "/api/v1/locations/", "/api/v1/tags/"]
    before = {path: client.get(path) for path in paths}
    assert all(client.get(path)["ETag"] == before[path]["ETag"] for path in paths)  # warm: served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        if change == "rename clinic":
            published.location.name = "North Side"
            published.location.save()
        elif change == "rename therapist":
            ann.first_name = "Annie"
            ann.save()
        elif change == "rename tag":
            knee.name = "Knees"
            knee.save()
        else:
            ann.locations.add(south)
    after = {path: client.get(path) for path in paths}
    changed = {"rename clinic": (b"North Side", "/api/v1/locations/"),
               "rename therapist": (b"Annie", "/api/v1/therapists/"),
               "rename tag": (b"Knees", "/api/v1/tags/"),
               "move therapist": (b'"south"', "/api/v1/therapists/")}[change]
    assert changed[0] in after[changed[1]].content
    assert all(after[path]["ETag"] != before[path]["ETag"] for path in paths)  # every stored page is stale


def test_a_client_asking_for_another_type_gets_the_json(client):
    """One renderer in production: nothing to negotiate, so no 406 (config/negotiation.py)."""
    response = client.get("/api/v1/stats/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["published_count"] == 0
