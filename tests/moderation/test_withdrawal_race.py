"""Withdrawal always wins (issue 7, item 2): whatever a moderator does at the same moment, a confirmed
withdrawal ends withdrawn and unpublished, and the patient is never told "withdrawn" otherwise."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from moderation import services
from moderation.tokens import withdrawal_token
from reviews.models import Testimonial
from tests.conftest import missing
from tests.factories import TestimonialFactory


def published() -> Testimonial:
    testimonial = TestimonialFactory()
    Testimonial.objects.filter(pk=testimonial.pk).update(status="approved", published_at=timezone.now())
    testimonial.refresh_from_db()
    return testimonial


@contextmanager
def moderator_acts_right_after_the_row_is_read(testimonial_id: int, *, to: str):
    """Right after the testimonial is first read (by the view or the service), a moderator's move lands,
    so the withdrawal's compare-and-swap meets a state it did not see."""
    fired = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not fired and sql.lstrip().upper().startswith("SELECT") and '"reviews_testimonial"' in sql:
            fired.append(True)
            with connection.cursor() as other:  # the same cursor would lose the rows just selected
                other.execute('UPDATE "reviews_testimonial" SET "status" = %s, "published_at" = NULL WHERE "id" = %s',
                              (to, testimonial_id))
        return result

    with connection.execute_wrapper(wrapper):
        yield fired


@pytest.mark.django_db
def test_a_withdrawal_retries_from_the_fresh_state_when_a_moderator_moved_it_first():
    # given a published testimonial that a moderator takes down as the patient withdraws
    testimonial = published()
    stale = Testimonial.objects.get(pk=testimonial.pk)
    services.testimonial_reject(testimonial=testimonial, actor=None, reason="spam")
    # when the patient's withdrawal runs from the copy loaded before, and a reopen lands mid-way
    with moderator_acts_right_after_the_row_is_read(testimonial.pk, to="in_review") as fired:
        services.testimonial_withdraw(testimonial=stale)
    # then the withdrawal still wins, recorded from the state the row really was in
    assert fired
    testimonial.refresh_from_db()
    assert testimonial.status == "withdrawn" and testimonial.published_at is None
    event = testimonial.events.get(to_status="withdrawn")
    assert (event.from_status, event.to_status) == ("in_review", "withdrawn")


@pytest.mark.django_db
def test_the_withdrawal_page_says_withdrawn_only_when_it_is(client):
    # given a moderator acting at the same moment as the patient's click
    testimonial = published()
    link = f"/testimonials/withdraw/{withdrawal_token(testimonial_id=testimonial.pk)}/"
    with moderator_acts_right_after_the_row_is_read(testimonial.pk, to="rejected"):
        response = client.post(link)
    # then the page and the row agree
    assert Testimonial.objects.get(pk=testimonial.pk).status == "withdrawn"
    assert "Your authorization has been withdrawn" in response.content.decode()


@pytest.mark.django_db
def test_the_withdrawal_page_admits_a_failure_instead_of_claiming_success(client, settings, monkeypatch):
    # given a withdrawal that cannot be recorded (the row keeps changing under it)
    settings.PRIVACY_CONTACT = "Privacy Officer, 1 Main St, Edison NJ"
    testimonial = published()
    monkeypatch.setattr("moderation.workflow.WITHDRAW_ATTEMPTS", 0)
    response = client.post(f"/testimonials/withdraw/{withdrawal_token(testimonial_id=testimonial.pk)}/")
    # then the patient is told it did not happen, and how to withdraw in writing
    page = response.content.decode()
    assert response.status_code == 409
    assert "has not been withdrawn yet" in page and "Privacy Officer, 1 Main St, Edison NJ" in page
    assert "Your authorization has been withdrawn" not in page
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_withdrawal_blocked_by_a_moderators_open_takedown_still_wins(client):
    """Real threads: the moderator's transaction holds the row while the patient's POST waits on it."""
    if connection.vendor != "postgresql":
        missing("the row-lock race needs PostgreSQL")
    testimonial = published()
    link = f"/testimonials/withdraw/{withdrawal_token(testimonial_id=testimonial.pk)}/"
    locked, release, outcome = threading.Event(), threading.Event(), {}

    def moderator() -> None:
        try:
            with transaction.atomic():
                row = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
                services.testimonial_reject(testimonial=row, actor=None, reason="spam", expected_status="approved")
                locked.set()
                release.wait(10)  # commit only once the patient's UPDATE is waiting on our lock
        finally:
            connections.close_all()

    def patient() -> None:
        try:
            outcome["response"] = client.post(link)
        finally:
            connections.close_all()

    takedown = threading.Thread(target=moderator)
    takedown.start()
    assert locked.wait(10)
    withdrawal = threading.Thread(target=patient)
    withdrawal.start()
    withdrawal.join(0.5)  # the patient's CAS is now blocked on the moderator's row lock
    assert withdrawal.is_alive(), "the withdrawal did not wait for the moderator's lock"
    release.set()
    takedown.join(10)
    withdrawal.join(10)
    testimonial.refresh_from_db()
    assert testimonial.status == "withdrawn" and testimonial.published_at is None
    assert "Your authorization has been withdrawn" in outcome["response"].content.decode()
    assert list(testimonial.events.values_list("from_status", "to_status")) == [
        ("approved", "rejected"), ("rejected", "withdrawn")]
