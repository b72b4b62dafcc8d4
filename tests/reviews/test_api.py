from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.models import Analysis, Flag, TransitionEvent
from reviews.models import Tag, Testimonial
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.django_db

PRIVATE_VALUES = ("Zimmerman-private", "secret.patient@example.com", "the unredacted words",
                  "moderator note xyz", "in_review", "negative_sentiment", "origin-hash-value")


def publish(testimonial: Testimonial, *, when=None) -> Testimonial:
    Testimonial.objects.filter(pk=testimonial.pk).update(status="approved", published_at=when or timezone.now())
    testimonial.refresh_from_db()
    return testimonial


# The clinics and therapist of tests/reviews/conftest.py, under the names these tests read best with.
@pytest.fixture
def dayton(clinic):
    return clinic


@pytest.fixture
def edison(other_clinic):
    return other_clinic


@pytest.fixture
def bri(therapist):
    return therapist


@pytest.fixture
def feed(dayton, edison, bri):
    """Published testimonials of several kinds, plus ones in every other state."""
    now = timezone.now()
    knee = Tag.objects.get_or_create(slug="knee", defaults={"name": "Knee"})[0]
    foot_drop = Tag.objects.get_or_create(slug="foot-drop", defaults={"name": "Foot drop"})[0]
    a = publish(TestimonialFactory(location=dayton, therapist=bri, rating=5, condition="knee"),
                when=now - timedelta(days=3))
    a.tags.set([knee])
    b = publish(TestimonialFactory(location=edison, rating=3), when=now - timedelta(days=2))
    c = publish(TestimonialFactory(location=dayton, rating=4), when=now - timedelta(days=1))
    c.tags.set([foot_drop, knee])
    for status in ("pending", "in_review", "rejected", "withdrawn"):
        TestimonialFactory(location=dayton, status=status)
    return {"a": a, "b": b, "c": c}


def results(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/v1/testimonials/{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_feed_shows_approved_testimonials_only_newest_first(client, feed):
    ids = [item["id"] for item in results(client)]
    assert ids == [feed["c"].pk, feed["b"].pk, feed["a"].pk]


def test_each_item_has_exactly_the_contract_fields(client, feed):
    item = next(i for i in results(client) if i["id"] == feed["a"].pk)
    assert set(item) == {"id", "display_name", "body", "rating", "location", "therapist", "condition", "tags",
                         "language", "published_at"}
    assert item["language"] == "en"
    assert item["display_name"] == "Stephanie M."
    assert item["location"] == {"slug": "dayton", "name": "Dayton"}
    assert item["therapist"] == {"slug": "brianna-kowalski", "name": "Brianna Kowalski"}
    assert item["tags"] == ["knee"]
    assert next(i for i in results(client) if i["id"] == feed["b"].pk)["therapist"] is None


def test_the_page_has_cursor_links_and_honest_counts(client, feed):
    payload = client.get("/api/v1/testimonials/?page_size=2").json()
    assert len(payload["results"]) == 2 and payload["next"] and payload["previous"] is None
    assert payload["published_count"] == 3 and payload["received_count"] == 6  # withdrawn not counted
    second = client.get(payload["next"]).json()
    assert [i["id"] for i in second["results"]] == [feed["a"].pk]


def test_page_size_is_capped_at_100(client, dayton):
    for _ in range(105):
        publish(TestimonialFactory(location=dayton))
    assert len(results(client, "?page_size=500")) == 100


@pytest.mark.parametrize("query, expected", [
    ("?location=dayton", {"a", "c"}),
    ("?location=dayton,edison", {"a", "b", "c"}),
    ("?therapist=brianna-kowalski", {"a"}),
    ("?min_rating=4", {"a", "c"}),
    ("?tag=foot-drop", {"c"}),
    ("?tag=knee", {"a", "c"}),
    ("?location=dayton&min_rating=5", {"a"}),
])
def test_filters_select_the_right_testimonials(client, feed, query, expected):
    assert {i["id"] for i in results(client, query)} == {feed[k].pk for k in expected}


def test_published_after_filters_by_publication_time(client, feed):
    since = (feed["b"].published_at + timedelta(seconds=1)).isoformat()
    response = client.get("/api/v1/testimonials/", {"published_after": since})
    assert [i["id"] for i in response.json()["results"]] == [feed["c"].pk]


@pytest.mark.parametrize("query, field", [
    ("?location=atlantis", "location"),
    ("?location=dayton,atlantis", "location"),
    ("?therapist=nobody", "therapist"),
    ("?min_rating=0", "min_rating"),
    ("?min_rating=6", "min_rating"),
    ("?min_rating=abc", "min_rating"),
    ("?min_rating=2.5", "min_rating"),
    ("?tag=no-such-tag", "tag"),
    ("?published_after=yesterday", "published_after"),
    ("?cursor=not-a-cursor", "cursor"),
    ("?location=%00", "location"),
    ("?tag=" + "x" * 500, "tag"),
])
def test_unknown_filter_values_give_400_with_a_message(client, feed, query, field):
    response = client.get(f"/api/v1/testimonials/{query}")
    assert response.status_code == 400
    assert field in response.json() and response.json()[field]


def test_a_testimonial_in_any_other_state_is_404(client, dayton):
    for status in ("pending", "in_review", "rejected", "withdrawn"):
        testimonial = TestimonialFactory(location=dayton, status=status)
        assert client.get(f"/api/v1/testimonials/{testimonial.pk}/").status_code == 404
    published = publish(TestimonialFactory(location=dayton))
    assert client.get(f"/api/v1/testimonials/{published.pk}/").json()["id"] == published.pk


def test_an_expired_authorization_is_not_served(client, dayton):
    testimonial = publish(TestimonialFactory(location=dayton))
    Testimonial.objects.filter(pk=testimonial.pk).update(consent_expires_at=timezone.now() - timedelta(days=1))
    assert results(client) == []


def test_no_private_field_can_appear_in_any_api_response(client, dayton, bri, django_user_model):
    # given a published testimonial whose private fields all carry recognisable values
    moderator = django_user_model.objects.create(username="mod")
    testimonial = publish(TestimonialFactory(
        location=dayton, therapist=bri, last_name="Zimmerman-private", email="secret.patient@example.com",
        body="Public words", body_original="the unredacted words", origin_hash="origin-hash-value"))
    Analysis.objects.create(testimonial=testimonial, analyzer_version="t", compound=-0.9, pos=0, neu=0.1, neg=0.9,
                            label="negative")
    Flag.objects.create(testimonial=testimonial, code="negative_sentiment", severity="low", message="m")
    TransitionEvent.objects.create(testimonial=testimonial, from_status="in_review", to_status="approved",
                                   actor=moderator, note="moderator note xyz")
    TestimonialFactory(location=dayton, status="in_review", last_name="Zimmerman-private")
    # when every public endpoint is read
    pages = [client.get(path) for path in (
        "/api/v1/testimonials/", f"/api/v1/testimonials/{testimonial.pk}/", "/api/v1/locations/",
        "/api/v1/locations/dayton/", "/api/v1/therapists/", "/api/v1/therapists/?location=dayton",
        "/api/v1/stats/", "/api/v1/stats/?location=dayton", "/api/v1/tags/", "/api/v1/schema/")]
    # then none of the private values, nor the names of private fields, is in any of them
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        schema = "schema" in page.request["PATH_INFO"]
        for value in PRIVATE_VALUES:
            # the schema documents the staff's moderation API too, whose status filter names the states
            if not (schema and value == "in_review"):
                assert value not in text
        if not schema:
            for key in ('"email"', '"last_name"', '"status"', '"origin_hash"', '"sentiment"', '"flags"',
                        '"body_original"', '"consent_text"'):
                assert key not in text


def test_the_feed_uses_a_constant_number_of_queries(client, dayton, bri):
    knee = Tag.objects.get_or_create(slug="knee", defaults={"name": "Knee"})[0]
    for _ in range(3):
        publish(TestimonialFactory(location=dayton, therapist=bri)).tags.set([knee])
    client.get("/api/v1/testimonials/")  # once per publication version, a process reads the slugs and ids
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/testimonials/")
    for _ in range(20):
        publish(TestimonialFactory(location=dayton, therapist=bri)).tags.set([knee])
    with CaptureQueriesContext(connection) as large:
        client.get("/api/v1/testimonials/")
    assert len(large) == len(small) <= 6


def test_locations_and_therapists_carry_published_count_and_average(client, feed):
    locations = {loc["slug"]: loc for loc in client.get("/api/v1/locations/").json()["results"]}
    assert locations["dayton"]["published_count"] == 2 and locations["dayton"]["average_rating"] == 4.5
    therapists = client.get("/api/v1/therapists/?location=dayton").json()["results"]
    assert [(t["slug"], t["published_count"], t["average_rating"]) for t in therapists] == [
        ("brianna-kowalski", 1, 5.0)]
    assert client.get("/api/v1/therapists/?location=atlantis").status_code == 400


def test_the_api_is_read_only(client, feed):
    response = client.post("/api/v1/testimonials/", data=json.dumps({"body": "x"}), content_type="application/json")
    assert response.status_code == 405


def test_the_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/testimonials/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_cached_feed_pages_are_invalidated_by_any_change_of_publication(client, dayton, settings, admin_user,
                                                                           django_capture_on_commit_callbacks):
    from moderation.services import testimonial_approve, testimonial_withdraw

    settings.FEED_CACHE_SECONDS = 300
    first = publish(TestimonialFactory(location=dayton))
    assert [i["id"] for i in results(client)] == [first.pk]
    # a row changed behind the service's back is not seen: the page really is served from the cache
    Testimonial.objects.filter(pk=first.pk).update(body="changed behind the cache's back")
    assert results(client)[0]["body"] != "changed behind the cache's back"
    # approving through the workflow shows the new one at once
    second = TestimonialFactory(location=dayton)
    Testimonial.objects.filter(pk=second.pk).update(status="in_review")
    second.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        testimonial_approve(testimonial=second, actor=admin_user)
    assert [i["id"] for i in results(client)] == [second.pk, first.pk]
    # and a withdrawal takes it out at once
    with django_capture_on_commit_callbacks(execute=True):
        testimonial_withdraw(testimonial=second)
    assert [i["id"] for i in results(client)] == [first.pk]


def test_every_tag_of_the_vocabulary_can_be_filtered_on_before_any_testimonial_has_it(client):
    response = client.get("/api/v1/testimonials/?tag=foot-drop")
    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize("path", ["/api/v1/locations/%00/", "/api/v1/therapists/a%00b/", "/api/v1/locations/no such/",
                                  "/api/v1/testimonials/99999999999999999999999/", "/api/v1/testimonials/abc/"])
def test_malformed_ids_and_slugs_are_404_not_500(client, path):
    assert client.get(path).status_code == 404


def test_a_nul_byte_in_the_therapists_filter_is_a_400(client):
    assert client.get("/api/v1/therapists/?location=%00").status_code == 400


def test_paging_forward_and_back_visits_every_testimonial_once_even_with_equal_times(client, dayton):
    # given seven published testimonials, three of them at the very same moment
    moment = timezone.now() - timedelta(hours=1)
    made = [publish(TestimonialFactory(location=dayton), when=moment if i < 3 else moment + timedelta(minutes=i))
            for i in range(7)]
    expected = sorted(made, key=lambda t: (t.published_at, t.pk), reverse=True)
    # when a site follows `next` to the end, then `previous` back to the start
    pages, url = [], "/api/v1/testimonials/?page_size=2"
    while url:
        payload = client.get(url).json()
        pages.append([item["id"] for item in payload["results"]])
        url = payload["next"]
    back, url = [], payload["previous"]
    while url:
        payload = client.get(url).json()
        back.append([item["id"] for item in payload["results"]])
        url = payload["previous"]
    # then every testimonial shows once, newest first, and the way back shows the same pages
    assert [pk for page in pages for pk in page] == [t.pk for t in expected]
    assert back == pages[-2::-1]


def test_the_benchmarks_ceiling_view_is_not_served_unless_the_bench_asks(client):
    assert client.get("/api/v1/bench-ceiling/100/").status_code == 404


def test_published_at_is_written_as_drf_writes_date_times(client, dayton, settings):
    from rest_framework.fields import DateTimeField

    testimonial = publish(TestimonialFactory(location=dayton))
    for zone in ("America/New_York", "UTC"):
        settings.TIME_ZONE = zone
        item = client.get(f"/api/v1/testimonials/{testimonial.pk}/").json()
        assert item["published_at"] == DateTimeField().to_representation(testimonial.published_at)
        assert results(client)[0]["published_at"] == item["published_at"]
