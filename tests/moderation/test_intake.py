"""Submissions the system refuses on arrival: kept for the record, rejected, reopenable by a moderator."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from moderation import intake, services
from reviews.models import Testimonial
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def submission(**overrides) -> dict:
    fields = dict(location=LocationFactory(slug="dayton", name="Dayton"), therapist=None, rating=5,
                  body="Cheap watches at www.example.com, best prices!", condition="", first_name="Bot",
                  last_name="Smith", email="bot@example.com")
    return {**fields, **overrides}


def test_a_quarantined_submission_is_rejected_as_spam_by_the_system_in_one_go(django_capture_on_commit_callbacks):
    fields = submission()  # the clinic is made first: its own cache bump is not the submission's
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        testimonial = intake.testimonial_quarantine(note="honeypot filled in", **fields)
    testimonial.refresh_from_db()
    assert testimonial.status == "rejected"
    assert list(testimonial.events.values_list("from_status", "to_status", "reason", "actor", "note")) == [
        ("pending", "rejected", "spam", None, "honeypot filled in")]
    # only the feed bump of the transition runs after commit: no analysis, no confirmation email
    assert [c.__qualname__ for c in callbacks] == ["testimonial_transition.<locals>.<lambda>"]


def test_it_is_listed_under_the_rejected_filter_and_a_moderator_can_reopen_it(client):
    testimonial = intake.testimonial_quarantine(note="honeypot filled in", **submission())
    moderator = get_user_model().objects.create_superuser("mod", "mod@example.com", "pw")
    client.force_login(moderator)
    # the queue (in review) does not show it; the rejected filter does
    assert f"/admin/reviews/testimonial/{testimonial.pk}/change/" not in \
        client.get("/admin/reviews/testimonial/").content.decode()
    assert f"/admin/reviews/testimonial/{testimonial.pk}/change/" in \
        client.get("/admin/reviews/testimonial/?status__exact=rejected").content.decode()
    # and a moderator who finds a real patient there puts it back in the queue
    services.testimonial_reopen(testimonial=testimonial, actor=moderator)
    testimonial.refresh_from_db()
    assert testimonial.status == "in_review"


def test_quarantining_words_already_on_file_leaves_that_testimonial_alone():
    # a bot that resends a real patient's email and words does not reject the patient's row
    from reviews import services as reviews_services

    words = "Real words of a real patient, thank you!"
    real, _ = reviews_services.testimonial_submit(enqueue=False, **submission(body=words))
    result = intake.testimonial_quarantine(note="honeypot filled in", **submission(body=words))
    real.refresh_from_db()
    assert result.pk == real.pk and real.status == "pending"
    assert Testimonial.objects.count() == 1


def test_a_bots_post_is_not_counted_as_received_in_the_public_feed(client):
    # given one patient's testimonial and one honeypot post
    from reviews import services as reviews_services

    reviews_services.testimonial_submit(enqueue=False, **submission(body="Real words of a real patient, thank you!",
                                                                    email="real@example.com"))
    intake.testimonial_quarantine(note="honeypot filled in", **submission())
    # then the feed's honest count says one was received
    assert client.get("/api/v1/testimonials/").json()["received_count"] == 1


def test_a_catch_a_moderator_reopens_counts_as_received_from_then_on(client):
    testimonial = intake.testimonial_quarantine(note="honeypot filled in", **submission())
    assert client.get("/api/v1/stats/").json()["received_count"] == 0
    moderator = get_user_model().objects.create_superuser("mod", "mod@example.com", "pw")
    services.testimonial_reopen(testimonial=testimonial, actor=moderator)
    testimonial.refresh_from_db()
    assert testimonial.source == "form"
    assert client.get("/api/v1/stats/").json()["received_count"] == 1
