"""Retention (issue 10): withdrawn testimonials lose their personal data after RETENTION_WITHDRAWN_DAYS, spam
and honeypot catches after RETENTION_SPAM_DAYS, imports and everything else never; the audit trail is kept,
with only the notes people wrote erased, and only on a purged testimonial."""
from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from moderation import analysis_store, intake, retention, services
from moderation.models import Analysis, Flag, TransitionEvent
from moderation.retention import NOTE_ERASED, SPAM, WITHDRAWN, retention_apply
from moderation.tasks import purge_expired_personal_data_task
from reviews import services as reviews_services
from reviews.models import Authorization, Testimonial
from tests.conftest import running_worker
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

PRIVATE = ("Zebulon", "Quackenbush", "zebulon.q@example.com")
WORDS = "Zebulon here: my frozen shoulder moves again, call me at 732-555-0142 and ask for me."
CONDITION = "frozen shoulder after the Quackenbush accident"
MODERATOR_NOTE = "spoke to Zebulon Quackenbush's daughter on the phone"


@pytest.fixture(autouse=True)
def periods(settings):
    settings.RETENTION_WITHDRAWN_DAYS = 30
    settings.RETENTION_SPAM_DAYS = 14


def later(days: float):
    return timezone.now() + timedelta(days=days)


def submit(*, source: str = Testimonial.Source.FORM, body: str = WORDS, **extra) -> Testimonial:
    first, last, email = PRIVATE
    testimonial, created = reviews_services.testimonial_submit(
        location=LocationFactory(slug="dayton", name="Dayton"), therapist=None, rating=4, body=body,
        condition=CONDITION, first_name=first, last_name=last, email=email, ip="203.0.113.9", source=source,
        enqueue=False, **extra)
    assert created
    return testimonial


def reviewed(testimonial: Testimonial) -> Testimonial:
    analysis_store.testimonial_analyze(testimonial=testimonial)
    testimonial.refresh_from_db()
    assert testimonial.status == "in_review" and Analysis.objects.filter(testimonial=testimonial).exists()
    return testimonial


def everything_stored_about(testimonial: Testimonial) -> str:
    """Every text column of the row, its authorizations, analysis, flags, history and admin log, as one string."""
    row = Testimonial.objects.filter(pk=testimonial.pk).values().get()
    parts = [str(v) for v in row.values()]
    parts += Authorization.objects.filter(testimonial=testimonial).values_list("text", flat=True)
    parts += [str(a) for a in Analysis.objects.filter(testimonial=testimonial).values()]
    parts += [str(f) for f in Flag.objects.filter(testimonial=testimonial).values()]
    parts += TransitionEvent.objects.filter(testimonial=testimonial).values_list("note", flat=True)
    parts += LogEntry.objects.filter(object_id=str(testimonial.pk)).values_list("object_repr", flat=True)
    return "\n".join(parts)


def assert_no_personal_data(testimonial: Testimonial) -> None:
    stored = everything_stored_about(testimonial)
    for private in (*PRIVATE, "Zebulon", "Quackenbush", "732-555", "frozen shoulder", "daughter"):
        assert private not in stored, private


def history(testimonial: Testimonial) -> list[tuple]:
    return list(TransitionEvent.objects.filter(testimonial=testimonial).order_by("id")
                .values_list("id", "from_status", "to_status", "actor_id", "reason", "created_at"))


# --- withdrawn ----------------------------------------------------------------------------------------------

def test_a_withdrawn_testimonial_keeps_its_data_for_the_period_then_loses_every_personal_part(admin_user):
    # given a reviewed testimonial a moderator rejected and reopened with notes, logged in the admin, then withdrawn
    testimonial = reviewed(submit())
    assert Flag.objects.filter(testimonial=testimonial, code="pii_phone").exists()
    services.testimonial_reject(testimonial=testimonial, actor=admin_user, reason="personal_info", note=MODERATOR_NOTE)
    services.testimonial_reopen(testimonial=testimonial, actor=admin_user, note="Quackenbush asked again")
    LogEntry.objects.log_actions(user_id=admin_user.pk, queryset=[testimonial], action_flag=CHANGE, change_message="")
    services.testimonial_withdraw(testimonial=testimonial)
    before = history(testimonial)
    assert "Quackenbush" in everything_stored_about(testimonial)

    # when retention runs within the period, nothing changes
    assert retention_apply(now=later(29)).total == 0
    assert Testimonial.objects.get(pk=testimonial.pk).email == PRIVATE[2]

    # when it runs after the period
    report = retention_apply(now=later(31))

    # then the personal data is gone, everywhere it was stored
    assert (report.withdrawn, report.spam) == (1, 0)
    assert_no_personal_data(testimonial)
    row = Testimonial.objects.get(pk=testimonial.pk)
    assert (row.first_name, row.last_name, row.email, row.body, row.body_original, row.condition) == ("",) * 6
    assert (row.origin_hash, row.fingerprint, row.submission_key) == ("", "", f"purged-{row.pk}")
    assert row.display_name == "A patient at Dayton" and row.personal_data_purged_at is not None
    assert not Analysis.objects.filter(testimonial=row).exists() and not Flag.objects.filter(testimonial=row).exists()
    # and what the counts and the audit need stays
    assert (row.status, row.rating, row.location.slug, row.source, row.consent_version) == \
        ("withdrawn", 4, "dayton", "form", 2)
    assert history(testimonial)[:-1] == before  # who, when, from, to and why: unchanged
    purge = TransitionEvent.objects.filter(testimonial=testimonial).latest("id")
    assert (purge.from_status, purge.to_status, purge.actor, purge.reason) == \
        ("withdrawn", "withdrawn", None, "personal_data_purged")
    notes = list(TransitionEvent.objects.filter(testimonial=testimonial).order_by("id")
                 .values_list("to_status", "note"))
    # the moderator's free text is erased; the system's notes stay as written
    assert notes[1:4] == [("rejected", NOTE_ERASED), ("in_review", NOTE_ERASED), ("withdrawn", "")]
    assert notes[0][0] == "in_review" and notes[0][1].startswith("analysed by")


def test_the_authorization_keeps_its_words_with_the_typed_condition_removed():
    testimonial = submit(language="es")
    services.testimonial_withdraw(testimonial=testimonial)
    original = Authorization.objects.get(testimonial=testimonial).text
    assert CONDITION in original

    retention_apply(now=later(31))

    kept = Testimonial.objects.get(pk=testimonial.pk).consent_text
    assert kept == original.replace(CONDITION, "[removed]")
    assert Authorization.objects.get(testimonial=testimonial).text == kept
    assert Authorization.objects.get(testimonial=testimonial).version == 2


def test_a_purged_testimonial_can_never_move_or_be_redacted_again(admin_user):
    testimonial = quarantined()
    retention_apply(now=later(15))
    purged = Testimonial.objects.get(pk=testimonial.pk)
    with pytest.raises(services.TransitionError, match="personal data removed"):
        services.testimonial_reopen(testimonial=purged, actor=admin_user)
    with pytest.raises(services.TransitionError, match="personal data removed"):
        services.testimonial_redact(testimonial=purged, body="anything", actor=admin_user)
    assert Testimonial.objects.get(pk=testimonial.pk).status == "rejected"


def test_the_same_patient_can_submit_the_same_words_again_after_the_purge():
    testimonial = submit()
    services.testimonial_withdraw(testimonial=testimonial)
    retention_apply(now=later(31))
    again = submit()
    assert again.pk != testimonial.pk and again.status == "pending"


# --- spam and honeypot --------------------------------------------------------------------------------------

def quarantined() -> Testimonial:
    first, last, email = PRIVATE
    return intake.testimonial_quarantine(
        note="The hidden honeypot field was filled in: rejected on arrival.",
        location=LocationFactory(slug="dayton", name="Dayton"), therapist=None, rating=5, body=WORDS,
        condition=CONDITION, first_name=first, last_name=last, email=email, ip="203.0.113.9")


def test_a_honeypot_catch_loses_its_personal_data_after_the_spam_period():
    testimonial = quarantined()
    assert retention_apply(now=later(13)).total == 0
    assert (retention_apply(now=later(15)).spam, Testimonial.objects.get(pk=testimonial.pk).source) == (1, "honeypot")
    assert_no_personal_data(testimonial)
    # the system's own note says why it was rejected, and stays
    assert TransitionEvent.objects.filter(testimonial=testimonial, reason="spam").get().note.startswith("The hidden")


def test_spam_goes_sooner_than_a_withdrawal(admin_user):
    spam = reviewed(submit())
    services.testimonial_reject(testimonial=spam, actor=admin_user, reason="spam", note=MODERATOR_NOTE)
    withdrawn = submit(body="Another text entirely, about my knee.")
    services.testimonial_withdraw(testimonial=withdrawn)

    report = retention_apply(now=later(20))

    assert (report.withdrawn, report.spam) == (0, 1)
    assert Testimonial.objects.get(pk=spam.pk).personal_data_purged_at is not None
    assert Testimonial.objects.get(pk=withdrawn.pk).email == PRIVATE[2]


def test_rows_outside_the_rules_are_never_purged_however_old(admin_user):
    # an import rejected as spam, an import pending, a form post rejected on another ground, one rejected as
    # spam and then reopened, a reopened honeypot catch, a published one, and withdrawn demo data
    kept = []
    spam_import = reviewed(submit(source="import", body="Imported text one."))
    services.testimonial_reject(testimonial=spam_import, actor=admin_user, reason="spam")
    kept.append(spam_import)
    kept.append(submit(source="import", body="Imported text two, never reviewed."))
    abusive = reviewed(submit(body="A rude text."))
    services.testimonial_reject(testimonial=abusive, actor=admin_user, reason="abusive")
    kept.append(abusive)
    reopened = reviewed(submit(body="Looked like spam, was not."))
    services.testimonial_reject(testimonial=reopened, actor=admin_user, reason="spam")
    services.testimonial_reopen(testimonial=reopened, actor=admin_user)
    kept.append(reopened)
    caught = quarantined()
    services.testimonial_reopen(testimonial=caught, actor=admin_user)
    kept.append(caught)
    published = reviewed(submit(body="Wonderful therapists, my knee is fine."))
    services.testimonial_approve(testimonial=published, actor=admin_user, confirm_flags=True, note="ok")
    kept.append(published)
    demo = submit(source="demo", body="Fictional demo words.")
    services.testimonial_withdraw(testimonial=demo)
    kept.append(demo)

    assert retention_apply(now=later(3650)).total == 0
    assert list(Testimonial.objects.filter(pk__in=[t.pk for t in kept], email=PRIVATE[2],
                                           personal_data_purged_at__isnull=True).order_by("pk")) == kept


# --- the audit trail's one exception ------------------------------------------------------------------------

def test_the_history_refuses_note_changes_except_the_erasure_on_a_purged_testimonial(admin_user):
    alive = reviewed(submit(body="Still in review."))
    services.testimonial_reject(testimonial=alive, actor=admin_user, reason="spam", note=MODERATOR_NOTE)
    event = TransitionEvent.objects.filter(testimonial=alive, reason="spam")
    # not purged: even the erasure is refused
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.update(note=NOTE_ERASED)
    retention_apply(now=later(15))
    assert event.get().note == NOTE_ERASED
    # purged: any other note, any other column, or a delete are still refused
    for change in ({"note": "rewritten"}, {"note": NOTE_ERASED, "reason": "abusive"},
                   {"note": NOTE_ERASED, "to_status": "approved"}):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            event.update(**change)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute('DELETE FROM "moderation_transitionevent" WHERE "id" = %s', [event.get().pk])
    assert (event.get().note, event.get().reason, event.get().to_status) == (NOTE_ERASED, "spam", "rejected")


def test_the_marker_is_the_one_the_migration_lets_through():
    from importlib import import_module

    migration = import_module("moderation.migrations.0008_audit_notes_erasable_after_purge")
    assert migration.NOTE_ERASED == NOTE_ERASED


# --- how it runs --------------------------------------------------------------------------------------------

def test_the_command_says_what_is_due_and_purges_it(settings):
    settings.RETENTION_SPAM_DAYS = 0
    testimonial = quarantined()
    time.sleep(0.01)  # "more than 0 days": strictly before now
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Due: 0 withdrawn, 1 spam" in out.getvalue()
    assert Testimonial.objects.get(pk=testimonial.pk).personal_data_purged_at is None
    call_command("apply_retention", stdout=out)
    assert "Personal data removed: 0 withdrawn, 1 spam" in out.getvalue()
    assert_no_personal_data(testimonial)
    assert retention.testimonials_due(rule=SPAM).count() == retention.testimonials_due(rule=WITHDRAWN).count() == 0


def test_beat_runs_the_retention_task_every_hour():
    entry = next(e for e in django_settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("personal_data_task"))
    assert entry["task"] == purge_expired_personal_data_task.name and entry["schedule"] == 3600.0


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_real_worker_runs_the_retention_task(filesystem_broker, settings):
    settings.RETENTION_WITHDRAWN_DAYS = 0
    testimonial = submit()
    services.testimonial_withdraw(testimonial=testimonial)
    time.sleep(0.01)
    with running_worker(filesystem_broker):
        purge_expired_personal_data_task.delay()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Testimonial.objects.get(pk=testimonial.pk).email:
            time.sleep(0.2)
    assert_no_personal_data(testimonial)


@pytest.mark.parametrize("value", ["-1", "soon"])
def test_a_malformed_period_fails_loudly(value):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], capture_output=True, text=True,
                            env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings",
                                 "RETENTION_SPAM_DAYS": value})
    assert result.returncode != 0 and "RETENTION_SPAM_DAYS" in result.stderr
