from __future__ import annotations

import datetime as dt

import pytest

from moderation import services
from moderation.models import Flag, TransitionEvent
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


# --- acting from the state the caller saw (issue 7, item 3) --------------------------------------------

def test_a_reject_from_a_stale_page_after_a_colleagues_approval_is_refused_not_a_takedown(admin_user):
    # given a testimonial a colleague approved after our page showed "in review"
    testimonial = in_state("in_review")
    services.testimonial_approve(testimonial=Testimonial.objects.get(pk=testimonial.pk), actor=admin_user)
    fresh = Testimonial.objects.get(pk=testimonial.pk)  # the admin reloads the row on every POST
    # when we reject from what our page showed
    with pytest.raises(services.TransitionConflict, match=r"changed by someone else meanwhile \(now approved\)"):
        services.testimonial_reject(testimonial=fresh, actor=admin_user, reason="spam", expected_status="in_review")
    # then it stays published and only the approval is recorded
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"
    assert list(TransitionEvent.objects.values_list("to_status", flat=True)) == ["approved"]


@pytest.mark.parametrize("move, kwargs, seen, now", [
    ("testimonial_approve", {}, "in_review", "rejected"),
    ("testimonial_reopen", {}, "rejected", "approved"),
    ("testimonial_reject", {"reason": "spam"}, "approved", "in_review"),
])
def test_every_named_action_takes_the_state_the_caller_saw(admin_user, move, kwargs, seen, now):
    testimonial = in_state(now)
    with pytest.raises(services.TransitionConflict, match=f"now {Testimonial.Status(now).label.lower()}"):
        getattr(services, move)(testimonial=testimonial, actor=admin_user, expected_status=seen, **kwargs)
    assert Testimonial.objects.get(pk=testimonial.pk).status == now
    assert not TransitionEvent.objects.exists()


def test_the_system_may_reject_a_bot_on_arrival():
    testimonial = in_state("pending")
    services.testimonial_reject(testimonial=testimonial, actor=None, reason="spam", expected_status="pending")
    assert Testimonial.objects.get(pk=testimonial.pk).status == "rejected"


# --- the publish gates: an unexpired authorization (item 4), confirmed personal data (item 6) ----------

def test_it_refuses_to_approve_an_expired_authorization_and_names_the_date(admin_user):
    # given a testimonial whose authorization expired on 2026-03-01 (New York time)
    testimonial = in_state("in_review")
    expired = dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC)
    Testimonial.objects.filter(pk=testimonial.pk).update(consent_expires_at=expired)
    # when a moderator approves it
    with pytest.raises(services.AuthorizationExpired, match="expired on 2026-03-01"):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
    # then nothing is published and nothing recorded
    assert Testimonial.objects.get(pk=testimonial.pk).status == "in_review"
    assert not TransitionEvent.objects.exists()
    assert issubclass(services.AuthorizationExpired, services.TransitionError)


def test_it_refuses_to_approve_unresolved_personal_data_without_confirmation(admin_user):
    # given a testimonial with a full name and an email address flagged
    testimonial = in_state("in_review")
    Flag.objects.create(testimonial=testimonial, code="pii_email", severity="high", message="Email", start=0, end=5)
    Flag.objects.create(testimonial=testimonial, code="pii_name", severity="high", message="Name", start=8, end=12)
    Flag.objects.create(testimonial=testimonial, code="too_short", severity="low", message="Short")
    # when approved with one click, it is refused, naming the flags
    with pytest.raises(services.UnresolvedFlags, match="pii_email, pii_name"):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
    assert Testimonial.objects.get(pk=testimonial.pk).status == "in_review"
    # when confirmed with a note, it is published and the note says what was overridden and why
    services.testimonial_approve(testimonial=testimonial, actor=admin_user, confirm_flags=True,
                                 note="the patient asked to be named")
    event = TransitionEvent.objects.get()
    assert event.to_status == "approved"
    assert event.note == "approved despite pii_email, pii_name: the patient asked to be named"


def test_low_severity_flags_need_no_confirmation(admin_user):
    testimonial = in_state("in_review")
    Flag.objects.create(testimonial=testimonial, code="too_short", severity="low", message="Short")
    services.testimonial_approve(testimonial=testimonial, actor=admin_user)
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_two_moderators_deciding_at_once_make_one_move_and_no_takedown(admin_user, django_user_model):
    """Real threads: approve and reject from the same "in review" page at the same moment."""
    import threading

    from django.db import connection, connections

    from tests.conftest import missing

    if connection.vendor != "postgresql":
        missing("the concurrent compare-and-swap needs PostgreSQL")
    colleague = django_user_model.objects.create(username="colleague")
    testimonial = in_state("in_review")
    barrier, outcomes = threading.Barrier(2), {}

    def decide(name: str, move) -> None:
        try:
            row = Testimonial.objects.get(pk=testimonial.pk)
            barrier.wait()
            move(row)
            outcomes[name] = "done"
        except services.TransitionConflict as error:
            outcomes[name] = str(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=("approve", lambda row: services.testimonial_approve(
            testimonial=row, actor=admin_user, expected_status="in_review"))),
        threading.Thread(target=decide, args=("reject", lambda row: services.testimonial_reject(
            testimonial=row, actor=colleague, reason="spam", expected_status="in_review"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winner = [name for name, outcome in outcomes.items() if outcome == "done"]
    assert len(winner) == 1
    loser = "reject" if winner == ["approve"] else "approve"
    assert "changed by someone else meanwhile" in outcomes[loser]
    final = Testimonial.objects.get(pk=testimonial.pk).status
    assert final == {"approve": "approved", "reject": "rejected"}[winner[0]]
    assert list(TransitionEvent.objects.values_list("from_status", flat=True)) == ["in_review"]
