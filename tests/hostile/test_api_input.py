"""Hostile query strings on the public API and the Atom feed: a 400 with a message naming the parameter,
never a 500; an empty value is no filter; whatever is accepted matches the schema the API publishes;
every 404 under /api/ is JSON, as declared. Runs on the suite's database (PostgreSQL in CI: it is
PostgreSQL that refuses offsets beyond ±15:59 and years outside 1–9999)."""
from __future__ import annotations

import re
from datetime import timedelta

import jsonschema
import pytest
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from reviews.models import Tag
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory

pytestmark = pytest.mark.django_db

FILTERS = ("location", "therapist", "min_rating", "tag", "published_after")


@pytest.fixture
def feed(db):
    """Dayton: a 5★ published 2 days ago (knee, Ann), a 3★ published 10 days ago; one in review."""
    dayton = LocationFactory(slug="dayton", name="Dayton")
    ann = TherapistFactory(slug="ann", locations=[dayton])
    knee = Tag.objects.get_or_create(slug="knee", defaults={"name": "Knee"})[0]
    now = timezone.now()
    recent = TestimonialFactory(location=dayton, therapist=ann, rating=5, status="approved",
                                published_at=now - timedelta(days=2))
    recent.tags.set([knee])
    TestimonialFactory(location=dayton, rating=3, status="approved", published_at=now - timedelta(days=10))
    TestimonialFactory(location=dayton, rating=1, status="in_review")
    return {"now": now, "recent": recent}


def ids(client, query: str) -> list[int]:
    response = client.get(f"/api/v1/testimonials/{query}")
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


@pytest.mark.parametrize("offset", ["+23:59", "-23:59", "+16:00", "-15:59", "+00:00"])
def test_any_utc_offset_python_and_rfc_3339_allow_is_answered_and_read_correctly(client, feed, offset):
    # given the moment 5 days ago, written with a far offset (PostgreSQL itself refuses beyond ±15:59)
    sign, hours, minutes = offset[0], int(offset[1:3]), int(offset[4:])
    zone = timezone.get_fixed_timezone((1 if sign == "+" else -1) * (hours * 60 + minutes))
    since = (feed["now"] - timedelta(days=5)).astimezone(zone).replace(microsecond=0).isoformat()
    # when the list, the counts and the Atom feed are asked for what was published after it
    # then only the testimonial published 2 days ago qualifies, everywhere
    assert ids(client, f"?published_after={since.replace('+', '%2B')}") == [feed["recent"].pk]
    assert client.get("/api/v1/stats/", {"published_after": since}).json()["published_count"] == 1
    atom = client.get("/feeds/testimonials.atom", {"published_after": since})
    assert atom.status_code == 200 and atom.content.count(b"<entry") == 1


@pytest.mark.parametrize("value", [
    "0001-01-01T00:00:00+01:00",  # before year 1 in UTC
    "9999-12-31T23:59:59-01:00",  # after year 9999 in UTC
    "2026-01-01T00:00:00+24:00",  # no such offset
    "2026-02-30T00:00:00Z",  # no such day
    "2026-01-01T25:00:00Z",
    "2026-01-01T00:00:00 05:00",  # a + that the URL turned into a space
    "2026-W01-1",  # ISO 8601 week date: not a form we take
    "20260101T000000Z",
    "２０２６-01-01",  # full-width digits
    "2026-01-01\n",
    "2026-01-01T00:00:00\x00",
    "yesterday",
])
@pytest.mark.parametrize("path", ["/api/v1/testimonials/", "/api/v1/stats/", "/feeds/testimonials.atom"])
def test_an_unusable_published_after_is_a_400_with_a_message(client, feed, path, value):
    response = client.get(path, {"published_after": value})
    assert response.status_code == 400, response.content
    message = response.json()["published_after"][0]
    assert "published_after" in message or "ISO 8601" in message or "Null" in message


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "0001-01-01T23:00:00-05:00"])
def test_the_first_and_last_days_are_still_answered(client, feed, value):
    # midnight in New York is 04:56 (LMT) or 05:00 UTC on the same day: representable, so answered
    assert client.get("/api/v1/testimonials/", {"published_after": value}).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/testimonials/", "/api/v1/stats/", "/feeds/testimonials.atom"])
def test_empty_filter_values_mean_no_filter(client, feed, path):
    everything = client.get(path)
    empty = client.get(path + "?" + "&".join(f"{name}=" for name in FILTERS))
    assert empty.status_code == 200
    assert empty.content == everything.content


@pytest.mark.parametrize("query, field", [
    ("page_size=null", "page_size"), ("page_size=2.5", "page_size"), ("page_size=1e2", "page_size"),
    ("page_size=0", "page_size"), ("page_size=-1", "page_size"), ("page_size=03", "page_size"),
    ("page_size=%20", "page_size"), ("page_size=true", "page_size"), ("page_size=1000000000", "page_size"),
    ("min_rating=null", "min_rating"), ("min_rating=4.0", "min_rating"), ("min_rating=6", "min_rating"),
    ("min_rating=%EF%BC%94", "min_rating"),  # a full-width 4
    ("location=dayton%0A", "location"), ("location=%00", "location"), ("tag=knee,", "tag"),
    ("location=" + ",".join(["dayton"] * 31), None),  # the same slug 31 times is one clinic
    ("location=" + ",".join(f"c{n}" for n in range(31)), "location"),
])
def test_malformed_values_are_a_400_naming_the_parameter(client, feed, query, field):
    response = client.get(f"/api/v1/testimonials/?{query}")
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400, response.content
    assert isinstance(response.json()[field][0], str)


def test_a_large_page_size_is_capped_not_refused(client, feed):
    response = client.get("/api/v1/testimonials/?page_size=999999999")
    assert response.status_code == 200 and len(response.json()["results"]) == 2


def test_slugs_with_spaces_around_them_are_read_as_the_slugs(client, feed):
    assert ids(client, "?location=%20dayton%20,%20&therapist=ann") == [feed["recent"].pk]


@pytest.mark.parametrize("path", ["/api/v1/testimonials/%C2%84/", "/api/v1/testimonials/99999999999999999999/",
                                  "/api/v1/locations/no%20such/", "/api/v1/therapists/%00/", "/api/v1/nothing-here/"])
def test_every_404_under_the_api_is_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and response.json() == {"detail": "Not found."}


def test_a_404_outside_the_api_stays_a_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


# --- whatever the API accepts matches its published schema (the property schemathesis checks over HTTP)

def _parameters(client) -> dict[str, dict]:
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    return {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/testimonials/"]["get"]["parameters"]}


def _conforms(value: str, schema: dict) -> bool:
    candidates = [value] + ([int(value)] if re.fullmatch(r"-?[0-9]+", value) else [])
    return any(jsonschema.Draft202012Validator(schema).is_valid(c) for c in candidates)


NEAR_MISSES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789-:TZ+ .,", max_size=30),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([+-][0-9]{2}:[0-9]{2}|Z)?", fullmatch=True),
    st.text(alphabet="dayton,kne -_ann\t\n", max_size=30),
    st.sampled_from(["5", "05", "5.0", " 5", "1e0", "0", "-1", "null", "", "dayton,,", ",", "knee,",
                     "9999-12-31", "9999-12-15T00:00:00Z", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00-00:01"]),
)


@given(name=st.sampled_from(FILTERS + ("page_size",)), value=NEAR_MISSES)
@example(name="published_after", value="")
@example(name="tag", value="knee")
def test_whatever_the_api_accepts_its_schema_allows(client, feed, name, value):
    response = client.get("/api/v1/testimonials/", {name: value})
    assert response.status_code in (200, 400), (name, value, response.status_code)
    if response.status_code == 200:
        assert _conforms(value, _parameters(client)[name]), (name, value)
    else:
        assert isinstance(response.json()[name][0], str)
