"""Honest counts per filter (/stats/ and the list's two counts), the tags, and queries per request."""
from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reviews.models import Tag, Testimonial
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinics():
    """North: 5★ and 3★ published, a 1★ in review, a 2★ rejected, a 4★ withdrawn. South: one 4★ published."""
    north, south = LocationFactory(slug="north", name="North"), LocationFactory(slug="south", name="South")
    ann = TherapistFactory(slug="ann", locations=[north])
    knee = Tag.objects.get_or_create(slug="knee", defaults={"name": "Knee"})[0]
    Tag.objects.get_or_create(slug="hip", defaults={"name": "Hip"})
    now = timezone.now()

    def make(location, rating, status, *, therapist=None, tags=(), days_ago=1):
        row = TestimonialFactory(location=location, rating=rating, status=status, therapist=therapist,
                                 published_at=now - timedelta(days=days_ago) if status == "approved" else None)
        row.tags.set(tags)
        return row

    make(north, 5, "approved", therapist=ann, tags=[knee], days_ago=40)
    make(north, 3, "approved", days_ago=2)
    make(north, 1, "in_review", therapist=ann, tags=[knee])
    make(north, 2, "rejected")
    make(north, 4, "withdrawn", tags=[knee])
    make(south, 4, "approved", tags=[knee], days_ago=3)
    return {"now": now}


@pytest.mark.parametrize("query, expected", [
    ("", (5, 3, 3.0, 4.0)),
    ("?location=north", (4, 2, 2.75, 4.0)),
    ("?location=north,south", (5, 3, 3.0, 4.0)),
    ("?therapist=ann", (2, 1, 3.0, 5.0)),
    ("?min_rating=3", (3, 3, 4.0, 4.0)),
    ("?tag=knee", (3, 2, 3.33, 4.5)),
    ("?tag=hip", (0, 0, None, None)),
    ("?location=north&min_rating=2&tag=knee", (1, 1, 5.0, 5.0)),
    ("?location=&tag=&min_rating=&published_after=", (5, 3, 3.0, 4.0)),  # empty = no filter
])
def test_stats_count_each_filter_honestly(client, clinics, query, expected):
    response = client.get(f"/api/v1/stats/{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["received_count"], body["published_count"], body["average_rating"],
            body["published_average_rating"]) == expected
    assert set(body) == {"received_count", "published_count", "average_rating", "published_average_rating"}


def test_published_after_narrows_the_published_figures(client, clinics):
    since = (clinics["now"] - timedelta(days=10)).isoformat()
    body = client.get("/api/v1/stats/", {"published_after": since}).json()
    assert (body["published_count"], body["published_average_rating"]) == (2, 3.5)
    assert body["received_count"] == 5  # what was received is not narrowed by a publication date


@pytest.mark.parametrize("query", ["", "?location=north", "?tag=knee&min_rating=4", "?therapist=ann",
                                   "?published_after=2020-01-01", "?location=north&min_rating=4&tag=hip"])
def test_the_lists_counts_are_the_stats_for_the_same_filters(client, clinics, query):
    page = client.get(f"/api/v1/testimonials/{query}").json()
    stats = client.get(f"/api/v1/stats/{query}").json()
    assert (page["received_count"], page["published_count"]) == (stats["received_count"], stats["published_count"])
    assert page["published_count"] == len(page["results"])


def test_an_empty_page_still_counts_what_was_received(client, clinics):
    east = LocationFactory(slug="east", name="East")
    TestimonialFactory(location=east, rating=4, status="in_review", published_at=None)
    for query in ("?location=east", "?location=east&published_after=2020-01-01"):  # joined to the page, or apart
        empty = client.get(f"/api/v1/testimonials/{query}").json()
        assert empty["results"] == [] and empty["next"] is None
        assert (empty["received_count"], empty["published_count"]) == (1, 0)


def test_locations_and_therapists_count_from_the_same_source(client, clinics):
    locations = {item["slug"]: item for item in client.get("/api/v1/locations/").json()["results"]}
    assert (locations["north"]["published_count"], locations["north"]["average_rating"]) == (2, 4.0)
    assert (locations["south"]["published_count"], locations["south"]["average_rating"]) == (1, 4.0)
    assert client.get("/api/v1/locations/south/").json()["published_count"] == 1
    ann = client.get("/api/v1/therapists/ann/").json()
    assert (ann["published_count"], ann["average_rating"]) == (1, 5.0)


def test_tags_list_every_tag_with_its_published_count(client, clinics):
    response = client.get("/api/v1/tags/")
    assert response.status_code == 200
    listed = {item["slug"]: item for item in response.json()["results"]}
    assert set(listed) == set(Tag.objects.values_list("slug", flat=True))  # the whole vocabulary, one page
    assert listed["knee"]["published_count"] == 2 and listed["hip"]["published_count"] == 0
    assert set(listed["knee"]) == {"slug", "name", "published_count"}


BAD_VALUES = [
    ("?page_size=null", "page_size"),
    ("?page_size=2.5", "page_size"),
    ("?page_size=0", "page_size"),
    ("?page_size=-3", "page_size"),
    ("?published_after=2026-01-01T00:00:00%2B20:00", None),  # Python reads it; PostgreSQL would refuse it
    ("?published_after=9999-12-31T23:00:00-15:00", "published_after"),
    ("?published_after=2026-02-30", "published_after"),
    ("?published_after=not-a-date", "published_after"),
    ("?min_rating=NaN", "min_rating"),
    ("?min_rating=1e999", "min_rating"),
    ("?tag=knee,hip", "tag"),
    ("?location=,", "location"),
    ("?cursor=" + base64.b64encode(b"n|0001-01-01T00:00:00+20:00|1").decode(), "cursor"),
    ("?cursor=" + base64.b64encode(b"n|2026-01-01T00:00:00+00:00|99999999999999999999").decode(), "cursor"),
    ("?cursor=" + base64.b64encode(b"x|2026-01-01T00:00:00|1").decode(), "cursor"),
]


@pytest.mark.parametrize("path, query, field", [
    *[("/api/v1/testimonials/", query, field) for query, field in BAD_VALUES],
    *[("/api/v1/stats/", query, field) for query, field in BAD_VALUES if field not in ("page_size", "cursor")],
])  # stats has no pages: no page_size or cursor there
def test_bad_values_give_400_with_a_message_never_500(client, clinics, path, query, field):
    response = client.get(f"{path}{query}")
    if field is None:  # a valid moment with a far offset: answered, and correctly
        assert response.status_code == 200
        return
    assert response.status_code == 400, response.content
    assert response.json()[field] and isinstance(response.json()[field][0], str)


def test_a_far_utc_offset_is_read_correctly(client, clinics):
    # 2 days ago at +14:00 is still within the last 3 days: the 3★ (2 days) qualifies, the 4★ (3 days) not
    since = (clinics["now"] - timedelta(days=2, hours=1)).astimezone(timezone.get_fixed_timezone(14 * 60 + 30))
    body = client.get("/api/v1/stats/", {"published_after": since.isoformat()}).json()
    assert body["published_count"] == 1


@pytest.mark.parametrize("path, expected", [
    ("/api/v1/testimonials/", 1),  # the page with its tags and, joined to it, the counters
    # a filter's slugs: from the process's catalogue (reviews.catalogue_ids), read once per version
    ("/api/v1/testimonials/?location=north&min_rating=2&tag=knee", 1),
    ("/api/v1/testimonials/?published_after=2020-01-01", 3),  # a date: the counters' months asked apart
    ("/api/v1/stats/?location=north&tag=knee", 1),
    ("/api/v1/locations/", 1),  # each list: its rows with their counts and (therapists) clinics, one query
    ("/api/v1/locations/north/", 1),
    ("/api/v1/therapists/", 1),
    ("/api/v1/therapists/?location=north", 1),
    ("/api/v1/therapists/ann/", 1),
    ("/api/v1/tags/", 1),
    ("/api/v1/testimonials/{id}/", 1),
])
def test_queries_per_request_are_pinned_and_do_not_grow_with_rows(client, clinics, path, expected):
    north = Testimonial.objects.filter(location__slug="north").first().location
    knee = Tag.objects.get(slug="knee")
    first_id = Testimonial.objects.filter(status="approved").values_list("id", flat=True).first()
    client.get(path.format(id=first_id))  # once per publication version, a process reads the slugs and ids
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path.format(id=first_id))
        assert response.status_code == 200
        assert len(queries) == expected, [q["sql"] for q in queries]
        for i in range(30):  # many more rows: the same number of queries
            TestimonialFactory(location=north, rating=5, status="approved",
                               published_at=timezone.now() - timedelta(hours=i)).tags.set([knee])


@pytest.mark.parametrize("path", ["/api/v1/locations/", "/api/v1/therapists/", "/api/v1/tags/"])
def test_the_lists_page_by_slug_without_gaps_or_repeats(client, clinics, path):
    for n in range(7):
        LocationFactory(slug=f"x-{n}", name=f"X {n}")
        TherapistFactory(slug=f"t-{n}", locations=[])
        Tag.objects.create(slug=f"tag-{n}", name=f"Tag {n}")
    everything = [row["slug"] for row in client.get(path).json()["results"]]
    assert everything == sorted(everything) and len(everything) >= 8
    seen, url, pages = [], f"{path}?page_size=3", []
    while url:
        page = client.get(url).json()
        pages.append(page)
        seen += [row["slug"] for row in page["results"]]
        url = page["next"]
    assert seen == everything and len(pages) == -(-len(everything) // 3)
    back = client.get(pages[-1]["previous"]).json()  # and back again from the last page
    assert [row["slug"] for row in back["results"]] == [row["slug"] for row in pages[-2]["results"]]
    assert client.get(f"{path}?cursor=bm9wZQ==").status_code == 400  # "nope": a cursor that is not one


@pytest.mark.parametrize("path", ["/api/v1/testimonials/", "/api/v1/stats/"])
def test_every_bad_filter_is_named_in_one_answer(client, clinics, path):
    response = client.get(f"{path}?location=north,atlantis&tag=nope&therapist=ann&min_rating=9")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"location", "tag", "min_rating"}
    assert body["location"] == ["Unknown clinic: atlantis."] and body["tag"] == ["Unknown tag: nope."]


@pytest.mark.parametrize("path, what", [("/api/v1/locations/atlantis/", "location"),
                                        ("/api/v1/therapists/nobody/", "therapist")])
def test_an_unknown_clinic_or_therapist_is_a_404_naming_what_was_looked_for(client, clinics, path, what):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": f"No {what} with this slug."}
