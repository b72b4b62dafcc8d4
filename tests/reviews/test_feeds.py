"""The Atom feed: valid Atom 1.0, the list's filters, one entry per published testimonial, nothing private."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from moderation import services
from reviews.models import Tag, Testimonial
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
URL = "/feeds/testimonials.atom"


@pytest.fixture
def cached(settings):
    settings.FEED_CACHE_SECONDS = 300  # the local-memory cache of the test process stands in for Redis


def publish(actor, captured, **kwargs) -> Testimonial:
    tags = kwargs.pop("tags", [])
    testimonial = TestimonialFactory(**kwargs)
    testimonial.tags.set(tags)
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    testimonial.refresh_from_db()
    with captured(execute=True):
        services.testimonial_approve(testimonial=testimonial, actor=actor)
    testimonial.refresh_from_db()
    return testimonial


@pytest.fixture
def chain(admin_user, django_capture_on_commit_callbacks):
    """Two clinics; published testimonials with and without a tag, and some the public must not see."""
    north, south = LocationFactory(slug="north", name="North Clinic"), LocationFactory(slug="south", name="South")
    bri = TherapistFactory(slug="bri", first_name="Brianna", last_name="K", locations=[north])
    foot, _ = Tag.objects.get_or_create(slug="foot-drop", defaults={"name": "Foot drop"})
    made = {
        "north_foot": publish(admin_user, django_capture_on_commit_callbacks, location=north, therapist=bri,
                              tags=[foot], rating=5, body="Walking again without tripping.",
                              first_name="Stephanie", last_name="Marino", email="steph@private.example"),
        "north_plain": publish(admin_user, django_capture_on_commit_callbacks, location=north, rating=2,
                               body="Good care, slow progress.", last_name="Quenneville"),
        "south": publish(admin_user, django_capture_on_commit_callbacks, location=south, rating=4, tags=[foot],
                         body="Ankle strong again."),
    }
    TestimonialFactory(location=north, body="Still waiting for review PENDINGWORDS", status="pending")
    redacted = made["north_plain"]
    services.testimonial_redact(testimonial=redacted, body="Good care, slow progress.", actor=admin_user)
    return made


def entries(response) -> dict[str, ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return {e.findtext(f"{ATOM}title"): e for e in root.findall(f"{ATOM}entry")}


def test_it_serves_one_atom_entry_per_published_testimonial_with_text_content(client, chain):
    found = entries(client.get(URL))
    assert set(found) == {"Stephanie M. — North Clinic", "Stephanie Q. — North Clinic", "Stephanie M. — South"}
    entry = found["Stephanie M. — North Clinic"]
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "text" and content.text == "Walking again without tripping."
    published_at = chain["north_foot"].published_at
    assert entry.findtext(f"{ATOM}updated").startswith(published_at.strftime("%Y-%m-%dT%H:%M:%S"))
    received = chain["north_foot"].created_at
    assert entry.findtext(f"{ATOM}id") == f"tag:127.0.0.1,{received:%Y-%m-%d}:testimonial/{chain['north_foot'].pk}"
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/api/v1/testimonials/{chain['north_foot'].pk}/")
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["foot-drop"]


def test_each_entry_states_the_language_of_its_words(client, chain):
    Testimonial.objects.filter(pk=chain["south"].pk).update(language="es")
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    langs = {title: e.get(xml_lang) for title, e in entries(client.get(URL)).items()}
    assert langs["Stephanie M. — South"] == "es" and langs["Stephanie M. — North Clinic"] == "en"


def test_an_entry_id_does_not_change_when_the_testimonial_is_published_again(client, chain, admin_user,
                                                                              django_capture_on_commit_callbacks):
    testimonial = chain["south"]
    before = entries(client.get(URL))["Stephanie M. — South"].findtext(f"{ATOM}id")
    with django_capture_on_commit_callbacks(execute=True):
        services.testimonial_reject(testimonial=testimonial, actor=admin_user, reason="unrelated")
    testimonial.refresh_from_db()
    services.testimonial_reopen(testimonial=testimonial, actor=admin_user)
    testimonial.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
    assert entries(client.get(URL))["Stephanie M. — South"].findtext(f"{ATOM}id") == before


@pytest.mark.parametrize("query, expected", [
    ("location=north", {"Stephanie M. — North Clinic", "Stephanie Q. — North Clinic"}),
    ("location=north,south&tag=foot-drop", {"Stephanie M. — North Clinic", "Stephanie M. — South"}),
    ("tag=foot-drop&min_rating=5", {"Stephanie M. — North Clinic"}),
    ("therapist=bri", {"Stephanie M. — North Clinic"}),
    ("min_rating=3", {"Stephanie M. — North Clinic", "Stephanie M. — South"}),
    ("published_after=2999-01-01T00:00:00Z", set()),
])
def test_it_applies_the_lists_filters(client, chain, query, expected):
    assert set(entries(client.get(f"{URL}?{query}"))) == expected


def test_the_feed_and_the_api_list_select_the_same_testimonials(client, chain):
    for query in ("", "location=north", "tag=foot-drop", "min_rating=4"):
        api = client.get(f"/api/v1/testimonials/?{query}").json()["results"]
        atom = entries(client.get(f"{URL}?{query}"))
        assert sorted(f"{r['display_name']} — {r['location']['name']}" for r in api) == sorted(atom)


@pytest.mark.parametrize("query, field", [
    ("location=nowhere", "location"), ("tag=no-such-tag", "tag"), ("min_rating=9", "min_rating"),
    ("min_rating=abc", "min_rating"), ("published_after=yesterday", "published_after"),
    ("location=%00", "location"), ("therapist=a,b", "therapist"),
])
def test_a_bad_filter_is_a_400_with_a_message(client, chain, query, field):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert field in response.json() and response.json()[field][0]


def test_nothing_private_is_in_the_feed(client, chain):
    body = client.get(URL).content.decode()
    for private in ("steph@private.example", "Marino", "Quenneville", "PENDINGWORDS", "in_review", "approved",
                    "sentiment", "consent"):
        assert private not in body


def test_it_is_cached_like_the_api_with_validators_and_304(client, chain, cached, admin_user,
                                                          django_capture_on_commit_callbacks):
    first = client.get(f"{URL}?location=north")
    assert first["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")
    assert client.get(f"{URL}?location=north", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        services.testimonial_withdraw(testimonial=chain["north_foot"])
    after = client.get(f"{URL}?location=north", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert set(entries(after)) == {"Stephanie Q. — North Clinic"}


def test_a_cached_feed_is_replayed_without_touching_the_database(client, chain, cached, django_assert_num_queries):
    first = client.get(f"{URL}?location=north")
    with django_assert_num_queries(0):
        again = client.get(f"{URL}?location=north")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"].startswith("application/atom+xml")
