from __future__ import annotations

import pytest

from moderation import services
from moderation.models import TransitionEvent
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.django_db

ALLOWED = [("pending", "in_review"), ("pending", "rejected"), ("in_review", "approved"), ("in_review", "rejected"),
           ("approved", "rejected"), ("rejected", "in_review")] + [
    (state, "withdrawn") for state in ("pending", "in_review", "approved", "rejected")]
STATES = ["pending", "in_review", "approved", "rejected", "withdrawn"]
REFUSED = [(a, b) for a in STATES for b in STATES if (a, b) not in ALLOWED]


def in_state(status: str) -> Testimonial:
    testimonial = TestimonialFactory()
    Testimonial.objects.filter(pk=testimonial.pk).update(
        status=status, published_at=testimonial.created_at if status == "approved" else None)
    testimonial.refresh_from_db()
    return testimonial


@pytest.mark.parametrize("start, to", ALLOWED)
def test_each_allowed_move_is_made_and_recorded(start, to, admin_user):
    testimonial = in_state(start)
    services.testimonial_transition(testimonial=testimonial, to=to, actor=admin_user,
                                    reason="spam" if to == "rejected" else "")
    testimonial.refresh_from_db()
    assert testimonial.status == to
    event = TransitionEvent.objects.get(testimonial=testimonial)
    assert (event.from_status, event.to_status, event.actor) == (start, to, admin_user)
    assert (testimonial.published_at is not None) == (to == "approved")


@pytest.mark.parametrize("start, to", REFUSED)
def test_every_other_move_is_refused_with_a_clear_error_and_changes_nothing(start, to, admin_user):
    testimonial = in_state(start)
    with pytest.raises(services.TransitionError, match="cannot become"):
        services.testimonial_transition(testimonial=testimonial, to=to, actor=admin_user, reason="spam")
    assert Testimonial.objects.get(pk=testimonial.pk).status == start
    assert not TransitionEvent.objects.exists()


def test_it_refuses_to_approve_a_withdrawn_testimonial(admin_user):
    with pytest.raises(services.TransitionError):
        services.testimonial_approve(testimonial=in_state("withdrawn"), actor=admin_user)


def test_a_rejection_needs_a_reason_from_the_list(admin_user):
    testimonial = in_state("in_review")
    with pytest.raises(services.TransitionError, match="reason"):
        services.testimonial_reject(testimonial=testimonial, actor=admin_user, reason="too negative")
    assert Testimonial.objects.get(pk=testimonial.pk).status == "in_review"


def test_when_two_moderators_act_at_once_one_wins_and_the_other_is_told(admin_user, django_user_model):
    # given two moderators who loaded the same testimonial
    other = django_user_model.objects.create(username="other")
    first_copy = in_state("in_review")
    second_copy = Testimonial.objects.get(pk=first_copy.pk)
    # when the first approves and the second, from the stale copy, rejects
    services.testimonial_approve(testimonial=first_copy, actor=admin_user)
    with pytest.raises(services.TransitionConflict, match="changed by someone else"):
        services.testimonial_reject(testimonial=second_copy, actor=other, reason="spam")
    # then the first decision stands and only it is recorded
    assert Testimonial.objects.get(pk=first_copy.pk).status == "approved"
    assert TransitionEvent.objects.count() == 1


def test_events_are_append_only():
    event = TransitionEvent.objects.create(testimonial=in_state("in_review"), from_status="a", to_status="b")
    event.note = "rewritten"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_a_redaction_keeps_the_original_privately_and_is_recorded(admin_user):
    testimonial = in_state("in_review")
    original = testimonial.body
    services.testimonial_redact(testimonial=testimonial, body="Redacted words.", actor=admin_user)
    services.testimonial_redact(testimonial=testimonial, body="Redacted again.", actor=admin_user)
    testimonial.refresh_from_db()
    assert (testimonial.body, testimonial.body_original) == ("Redacted again.", original)
    assert TransitionEvent.objects.filter(reason="redacted").count() == 2
