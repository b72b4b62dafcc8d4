"""The public API turns a filter's slugs into ids, and a page's tag ids into slugs, from a copy each
process keeps (reviews.catalogue_ids): that copy must never show a tag under an old or wrong slug, nor
refuse or misread a clinic's, therapist's or tag's current slug."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reviews import catalogue_ids, feed_cache
from reviews.models import Tag
from tests.factories import LocationFactory, TestimonialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged():
    knee, hip = Tag.objects.create(slug="knee-x", name="Knee"), Tag.objects.create(slug="hip-x", name="Hip")
    row = TestimonialFactory(location=LocationFactory(), status="approved",
                             published_at=timezone.now() - timedelta(hours=1))
    row.tags.set([knee, hip])
    return row


def _tags(client, row) -> tuple[list[str], list[str]]:
    page = client.get("/api/v1/testimonials/").json()["results"]
    detail = client.get(f"/api/v1/testimonials/{row.pk}/").json()
    return page[0]["tags"], detail["tags"]


def test_tags_are_named_by_slug_sorted(client, tagged):
    assert _tags(client, tagged) == (["hip-x", "knee-x"], ["hip-x", "knee-x"])


def test_the_slugs_are_read_once_per_publication_version(client, tagged):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/testimonials/").status_code == 200
        return len(captured)

    first, again = queries(), queries()
    assert first == again + 1  # the tags' slugs, read by the first page only
    feed_cache.feed_cache_bump()  # a publication or catalogue change anywhere
    assert queries() == again + 1
    assert queries() == again


def test_a_tag_renamed_in_this_process_shows_on_the_next_page(client, tagged):
    _tags(client, tagged)
    knee = Tag.objects.get(slug="knee-x")
    knee.slug = "knees"
    knee.save()  # the admin's way: the signal drops this process's copy (the version moves after commit)
    assert _tags(client, tagged) == (["hip-x", "knees"], ["hip-x", "knees"])


def test_a_tag_renamed_by_another_process_shows_once_the_version_moves(client, tagged):
    _tags(client, tagged)
    Tag.objects.filter(slug="knee-x").update(slug="knees")  # no signal here: as seen from another process
    feed_cache.feed_cache_bump()  # what that process's catalogue_changed did after its commit
    assert _tags(client, tagged) == (["hip-x", "knees"], ["hip-x", "knees"])


def test_the_copy_is_never_older_than_its_limit(client, tagged, monkeypatch):
    _tags(client, tagged)
    Tag.objects.filter(slug="knee-x").update(slug="knees")  # and suppose the version's bump was lost
    monkeypatch.setattr(catalogue_ids, "MAX_AGE_SECONDS", 0)
    assert _tags(client, tagged) == (["hip-x", "knees"], ["hip-x", "knees"])


def test_a_new_tag_is_read_when_a_row_names_it(client, tagged):
    _tags(client, tagged)
    Tag.objects.bulk_create([Tag(slug="ankle-x", name="Ankle")])  # no save signal
    tagged.tags.add(Tag.objects.get(slug="ankle-x"))
    assert _tags(client, tagged)[0] == ["ankle-x", "hip-x", "knee-x"]


def test_without_a_cache_the_slugs_are_read_every_time(client, tagged, monkeypatch):
    monkeypatch.setattr(feed_cache, "feed_cache_version", lambda: 0)  # the cache is down: no version to trust
    _tags(client, tagged)
    Tag.objects.filter(slug="knee-x").update(slug="knees")
    assert _tags(client, tagged) == (["hip-x", "knees"], ["hip-x", "knees"])


def test_a_new_clinic_filters_at_once_and_a_renamed_one_by_its_new_slug_only(client, tagged):
    client.get("/api/v1/testimonials/")
    other = LocationFactory(slug="brand-new")  # its own save drops this process's copy; a slug not known
    assert client.get("/api/v1/testimonials/?location=brand-new").status_code == 200  # …would be read again too
    type(other).objects.filter(pk=other.pk).update(slug="renamed")  # as another process, whose bump we see:
    feed_cache.feed_cache_bump()
    assert client.get("/api/v1/testimonials/?location=renamed").status_code == 200
    gone = client.get("/api/v1/stats/?location=brand-new")
    assert gone.status_code == 400 and "brand-new" in gone.json()["location"][0]


def test_an_unknown_slug_is_looked_up_again_before_it_is_refused(client, tagged):
    client.get("/api/v1/stats/?tag=knee-x")
    Tag.objects.bulk_create([Tag(slug="wrist-x", name="Wrist")])  # no signal, no version bump
    assert client.get("/api/v1/stats/?tag=wrist-x").json()["received_count"] == 0
    assert client.get("/api/v1/stats/?tag=nope-x").status_code == 400
