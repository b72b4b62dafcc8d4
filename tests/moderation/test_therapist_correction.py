"""A moderator corrects the therapist a testimonial names (issue 11: from the mentions the analysis
found), through one recorded service; the public feed follows."""
from __future__ import annotations

import pytest
from django.utils import timezone

from moderation import services
from moderation.models import TransitionEvent
from reviews.feed_cache import feed_cache_version
from reviews.models import Testimonial
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory, staff_user

pytestmark = pytest.mark.django_db


def change_form(testimonial: Testimonial, **fields) -> dict:
    return {"body": testimonial.body, "condition": testimonial.condition, "therapist": "",
            "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0", **fields}


def test_a_moderator_sets_the_therapist_the_analysis_found_and_the_feed_shows_it(
        client, django_capture_on_commit_callbacks):
    clinic = LocationFactory()
    bri = TherapistFactory(first_name="Brianna", last_name="Cole", locations=[clinic])
    testimonial = TestimonialFactory(location=clinic, body="Bri fixed my shoulder in six weeks, thank you!")
    Testimonial.objects.filter(pk=testimonial.pk).update(status="approved", published_at=timezone.now())
    client.force_login(staff_user("mod", "Moderators"))
    version = feed_cache_version()
    # the change page offers the clinic's therapists; the moderator picks the one the text names
    page = client.get(f"/admin/reviews/testimonial/{testimonial.pk}/change/").content.decode()
    assert f'<option value="{bri.pk}">' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/reviews/testimonial/{testimonial.pk}/change/",
                               change_form(testimonial, therapist=str(bri.pk)))
    assert response.status_code == 302
    testimonial.refresh_from_db()
    assert (testimonial.therapist_id, testimonial.status) == (bri.pk, "approved")
    event = TransitionEvent.objects.get(testimonial=testimonial, reason="therapist_corrected")
    assert event.note == "therapist: none → Brianna Cole" and event.actor.username == "mod"
    assert feed_cache_version() > version
    assert client.get(f"/api/v1/testimonials/{testimonial.pk}/").json()["therapist"]["slug"] == bri.slug


def test_a_therapist_of_another_clinic_is_refused():
    clinic, elsewhere = LocationFactory(), LocationFactory()
    other = TherapistFactory(first_name="Sean", last_name="Walsh", locations=[elsewhere])
    testimonial = TestimonialFactory(location=clinic)
    with pytest.raises(services.TransitionError, match="does not work at"):
        services.testimonial_therapist_set(testimonial=testimonial, therapist=other, actor=None)
    assert Testimonial.objects.get(pk=testimonial.pk).therapist_id is None


def test_a_viewer_cannot_change_the_therapist(client):
    clinic = LocationFactory()
    bri = TherapistFactory(first_name="Brianna", last_name="Cole", locations=[clinic])
    testimonial = TestimonialFactory(location=clinic)
    viewer = staff_user("viewer", "Viewers")
    with pytest.raises(services.TransitionError, match="Only moderators"):
        services.testimonial_therapist_set(testimonial=testimonial, therapist=bri, actor=viewer)
    client.force_login(viewer)
    client.post(f"/admin/reviews/testimonial/{testimonial.pk}/change/", change_form(testimonial, therapist=str(bri.pk)))
    assert Testimonial.objects.get(pk=testimonial.pk).therapist_id is None
    assert not TransitionEvent.objects.filter(reason="therapist_corrected").exists()
