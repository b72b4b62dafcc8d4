"""Background steps stop for good after their tries, say why in the admin, and are never sent twice."""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from moderation.pipeline import pending_sweep
from moderation.tasks import analyze_testimonial_task, send_confirmation_email_task
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.django_db


def queued(app) -> list[tuple[str, list]]:
    """(task name, args) of every message waiting in the filesystem broker."""
    folder = Path(app.conf.broker_transport_options["data_folder_in"])
    messages = [json.loads(path.read_text()) for path in folder.glob("*.msg")]
    return sorted((m["headers"]["task"], json.loads(__import__("base64").b64decode(m["body"]))[0])
                  for m in messages)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_sweep_sends_each_waiting_step_once_however_often_it_runs(filesystem_broker, settings):
    # given a form testimonial whose messages never reached the broker
    testimonial = TestimonialFactory(source="form")
    # when beat's sweep runs three times
    sent = [pending_sweep() for _ in range(3)]
    # then the analysis and the confirmation were sent once, by the first sweep, and are marked as queued
    assert [(s["analysis"], s["confirmation"]) for s in sent] == [(1, 1), (0, 0), (0, 0)]
    assert queued(filesystem_broker) == [("moderation.tasks.analyze_testimonial_task", [testimonial.pk]),
                                         ("moderation.tasks.send_confirmation_email_task", [testimonial.pk])]
    testimonial.refresh_from_db()
    assert testimonial.analysis_queued_at and testimonial.confirmation_queued_at


def test_a_message_lost_long_ago_is_sent_again(filesystem_broker, settings):
    # given an analysis handed to the broker longer ago than the sweep's patience (the message was lost)
    settings.TESTIMONIAL_PENDING_SWEEP_MINUTES = 0
    testimonial = TestimonialFactory(source="import")
    Testimonial.objects.filter(pk=testimonial.pk).update(analysis_queued_at="2026-01-01T00:00:00Z")
    # when the sweep runs, then it is sent again
    assert pending_sweep()["analysis"] == 1


def test_an_analysis_that_keeps_killing_its_worker_is_marked_failed_and_no_longer_sent(filesystem_broker,
                                                                                     settings, admin_client):
    # given a testimonial whose analysis already started as many times as allowed (each run died)
    testimonial = TestimonialFactory(source="import")
    Testimonial.objects.filter(pk=testimonial.pk).update(analysis_attempts=settings.TASK_MAX_ATTEMPTS)
    # when its message is delivered once more
    analyze_testimonial_task.apply(args=[testimonial.pk])
    # then it is marked failed with the reason, left pending for a person, and the sweep leaves it alone
    testimonial.refresh_from_db()
    assert testimonial.status == "pending" and testimonial.analysis_failed_at is not None
    assert testimonial.analysis_error == f"gave up after {settings.TASK_MAX_ATTEMPTS} attempts"
    assert pending_sweep()["analysis"] == 0 and queued(filesystem_broker) == []
    # and the admin shows it, under its own filter
    listing = admin_client.get("/admin/reviews/testimonial/?status__exact=all&background=failed").content.decode()
    assert f"/admin/reviews/testimonial/{testimonial.pk}/change/" in listing
    page = admin_client.get(f"/admin/reviews/testimonial/{testimonial.pk}/change/").content.decode()
    assert "<strong>failed</strong>" in page and "gave up after" in page


def test_an_email_the_mail_server_refuses_stops_after_its_retries_and_says_why(settings, filesystem_broker):
    # given a mail server that refuses connections
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    testimonial = TestimonialFactory(source="form")
    # when the confirmation task runs with its retries
    result = send_confirmation_email_task.apply(args=[testimonial.pk])
    # then it failed for good after its tries, with the error on the row, and is not re-sent by the sweep
    assert result.failed()
    testimonial.refresh_from_db()
    assert testimonial.confirmation_failed_at is not None and testimonial.confirmation_sent_at is None
    assert "ConnectionRefusedError" in testimonial.confirmation_error
    assert testimonial.confirmation_attempts == send_confirmation_email_task.max_retries + 1
    assert pending_sweep()["confirmation"] == 0


def test_try_again_clears_the_failure_and_the_next_sweep_sends_it(filesystem_broker, admin_client):
    testimonial = TestimonialFactory(source="import")
    Testimonial.objects.filter(pk=testimonial.pk).update(
        analysis_failed_at="2026-01-01T00:00:00Z", analysis_error="boom", analysis_attempts=5,
        analysis_queued_at="2026-01-01T00:00:00Z")
    response = admin_client.post("/admin/reviews/testimonial/?status__exact=all",
                                 {"action": "retry_background_tasks", "_selected_action": [testimonial.pk]})
    assert response.status_code == 302
    testimonial.refresh_from_db()
    assert (testimonial.analysis_failed_at, testimonial.analysis_error, testimonial.analysis_attempts) == (None, "", 0)
    assert pending_sweep()["analysis"] == 1


def test_a_publication_email_that_never_reached_the_broker_is_sent_by_the_sweep_once(filesystem_broker):
    from datetime import timedelta

    from django.utils import timezone

    # given approvals whose "now published" email never left (the broker was away at that moment)
    now = timezone.now()
    fresh = TestimonialFactory(source="form", status="approved", published_at=now)
    old = TestimonialFactory(source="form", status="approved", published_at=now - timedelta(days=8))
    imported = TestimonialFactory(source="import", status="approved", published_at=now)
    # when beat's sweep runs three times
    sent = [pending_sweep()["notice"] for _ in range(3)]
    # then the fresh one is sent once; a week-old publication is no longer news, an import gets no email
    assert sent == [1, 0, 0]
    notices = [args for task, args in queued(filesystem_broker) if task.endswith("send_publication_notice_task")]
    assert notices == [[fresh.pk]]
    assert not Testimonial.objects.filter(pk__in=[old.pk, imported.pk], notice_queued_at__isnull=False).exists()


def test_approving_claims_the_publication_email_so_the_sweep_does_not_send_it_again(filesystem_broker, admin_user,
                                                                                    django_capture_on_commit_callbacks):
    from moderation import services

    testimonial = TestimonialFactory(source="form", status="in_review")
    with django_capture_on_commit_callbacks(execute=True):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
    assert queued(filesystem_broker).count(("moderation.tasks.send_publication_notice_task", [testimonial.pk])) == 1
    assert pending_sweep()["notice"] == 0
