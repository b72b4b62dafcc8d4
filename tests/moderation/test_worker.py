"""The whole path through a real Celery worker: the form enqueues on commit, the worker analyses."""
from __future__ import annotations

import time

import pytest

from moderation.models import Analysis, Flag
from moderation.tasks import analyze_testimonial_task, sweep_pending_testimonials_task
from reviews.models import Testimonial
from tests.conftest import running_worker
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory
from tests.reviews.conftest import form_token

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def submit_through_the_form(client, settings) -> None:
    settings.TESTIMONIAL_MIN_FILL_SECONDS = 0
    clinic = LocationFactory(name="Dayton", slug="dayton")
    TherapistFactory(first_name="Brianna", last_name="Kowalski", slug="brianna-kowalski", nicknames=["Bri"],
                     locations=[clinic])
    page = client.get("/testimonials/new/").content.decode()
    response = client.post("/testimonials/new/", {
        "location": "dayton", "therapist": "brianna-kowalski", "rating": "5", "consent": "on",
        "body": "I could barely walk after my knee surgery. Bri got me back to hiking in eight weeks! "
                "Call me at 732-555-0142 if you want to know more.",
        "first_name": "Dana", "last_name": "Zimmerman", "email": "dana@example.com", "form_token": form_token(page)})
    assert response.status_code == 302


@pytest.mark.parametrize("broker", ["filesystem_broker", "redis_broker"])
def test_a_submission_is_analysed_by_a_real_worker_into_the_queue(broker, request, client, settings):
    app = request.getfixturevalue(broker)
    with running_worker(app):
        # when a patient submits through the form (the task is enqueued after the commit)
        submit_through_the_form(client, settings)
        testimonial = Testimonial.objects.get()
        # then the worker analyses it into the moderators' queue, with its flags
        assert wait_for(lambda: Testimonial.objects.get(pk=testimonial.pk).status == "in_review")
    analysis = Analysis.objects.get(testimonial=testimonial)
    assert analysis.label == "positive"
    assert "brianna-kowalski" in analysis.therapists_mentioned
    assert set(Flag.objects.filter(testimonial=testimonial).values_list("code", flat=True)) >= {"pii_phone"}
    assert testimonial.tags.filter(slug="knee").exists()


def test_a_redelivered_analysis_changes_nothing(filesystem_broker):
    testimonial = TestimonialFactory(body="Great care for my back, but call 732-555-0142 and ask for me, seriously.")
    with running_worker(filesystem_broker):
        analyze_testimonial_task.delay(testimonial.pk)
        assert wait_for(lambda: Testimonial.objects.get(pk=testimonial.pk).status == "in_review")
    first = list(Flag.objects.filter(testimonial=testimonial).values_list("code", "start", "end"))
    first_at = Analysis.objects.get(testimonial=testimonial).analyzed_at
    # when the same message is delivered again (a worker lost before its acknowledgement)
    analyze_testimonial_task.apply(args=[testimonial.pk]).get()
    # then the testimonial, already past the step, is left as it was: analysed once
    assert sorted(Flag.objects.filter(testimonial=testimonial).values_list("code", "start", "end")) == sorted(first)
    assert Analysis.objects.get(testimonial=testimonial).analyzed_at == first_at
    assert testimonial.events.count() == 1
    assert Testimonial.objects.get(pk=testimonial.pk).analysis_attempts == 1


def test_the_sweep_reenqueues_what_was_left_pending(filesystem_broker, settings):
    # given a testimonial left pending (its message was lost while the broker was down)
    settings.TESTIMONIAL_PENDING_SWEEP_MINUTES = 0
    testimonial = TestimonialFactory()
    with running_worker(filesystem_broker):
        # when beat's sweep runs
        sweep_pending_testimonials_task.delay()
        # then the worker analyses it
        assert wait_for(lambda: Testimonial.objects.get(pk=testimonial.pk).status == "in_review")


def test_a_withdrawn_or_missing_testimonial_is_skipped_quietly():
    testimonial = TestimonialFactory(status="withdrawn")
    analyze_testimonial_task.apply(args=[testimonial.pk]).get()
    analyze_testimonial_task.apply(args=[987654]).get()
    assert not Analysis.objects.exists()
