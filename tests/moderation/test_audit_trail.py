"""The audit trail is append-only at the database (issue 7, item 7): bulk update(), bulk delete(), raw SQL
and the cascade from deleting a testimonial all leave history as it was."""
from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from moderation import services
from moderation.models import TransitionEvent
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(admin_user) -> Testimonial:
    testimonial = TestimonialFactory()
    services.testimonial_transition(testimonial=testimonial, to="in_review", actor=None)
    services.testimonial_reject(testimonial=testimonial, actor=admin_user, reason="spam")
    return testimonial


def recorded() -> list[tuple]:
    return list(TransitionEvent.objects.order_by("id").values_list("from_status", "to_status", "reason", "note"))


def test_a_bulk_update_of_the_history_is_refused_by_the_database(history):
    before = recorded()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TransitionEvent.objects.update(reason="", note="rewritten")
    assert recorded() == before


def test_a_bulk_delete_of_the_history_is_refused_by_the_database(history):
    before = recorded()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TransitionEvent.objects.all().delete()
    assert recorded() == before


@pytest.mark.parametrize("sql", ['UPDATE "moderation_transitionevent" SET "to_status" = \'approved\'',
                                 'DELETE FROM "moderation_transitionevent"'])
def test_raw_sql_cannot_change_the_history_either(history, sql):
    before = recorded()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert recorded() == before


def test_deleting_a_testimonial_with_history_is_refused_and_nothing_cascades(history):
    with pytest.raises(ProtectedError), transaction.atomic():
        Testimonial.objects.filter(pk=history.pk).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        history.delete()
    assert Testimonial.objects.filter(pk=history.pk).exists()
    assert len(recorded()) == 2


def test_new_events_are_still_appended(history, admin_user):
    services.testimonial_reopen(testimonial=history, actor=admin_user)
    assert [row[1] for row in recorded()] == ["in_review", "rejected", "in_review"]
