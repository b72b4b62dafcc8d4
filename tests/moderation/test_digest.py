"""The moderators' digest (issue 8, item 5): each moderator hears what waits in their clinics and what
was flagged high, with signed expiring links to the admin page, and nothing a staff mailbox should not hold."""
from __future__ import annotations

import re
from datetime import timedelta
from functools import partial

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing
from django.utils import timezone

from moderation.digest import digest_link_token, digest_send_all
from moderation.models import Flag
from moderation.tasks import send_moderation_digest_task
from reviews.models import Testimonial
from tests.conftest import running_worker
from tests.factories import LocationFactory, TestimonialFactory, staff_user
from tests.moderation.test_worker import wait_for

staff = partial(staff_user, domain="clinic.test")


def waiting(location, days: int = 0, **fields) -> Testimonial:
    testimonial = TestimonialFactory(location=location, **fields)
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review",
                                                         created_at=timezone.now() - timedelta(days=days))
    return Testimonial.objects.get(pk=testimonial.pk)


@pytest.fixture
def practice(db, settings):
    settings.SITE_URL = "http://testserver"
    dayton, edison = LocationFactory(name="Dayton", slug="dayton"), LocationFactory(name="Edison", slug="edison")
    phoned = waiting(dayton, days=3, last_name="Zimmerman", email="dana@example.com", rating=2,
                     body="Call me at 732-555-0142, the front desk lost my file twice.")
    Flag.objects.create(testimonial=phoned, code="pii_phone", severity="high", message="A phone number",
                        start=11, end=23)
    calm = waiting(edison, days=1)
    return {"dayton": dayton, "edison": edison, "phoned": phoned, "calm": calm,
            "moderator": staff("mod", "Moderators"), "manager": staff("edison-mgr", "Clinic managers", edison),
            "viewer": staff("viewer", "Viewers")}


def test_moderators_hear_everything_and_managers_their_clinics(practice):
    assert digest_send_all() == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"mod@clinic.test", "edison-mgr@clinic.test"}  # never the read-only viewer
    moderator, manager = by_recipient["mod@clinic.test"], by_recipient["edison-mgr@clinic.test"]
    assert moderator.subject == "2 testimonials waiting, 1 flagged high"
    assert f"#{practice['phoned'].pk} Stephanie Z., Dayton, 2/5, pii_phone, waiting 3 days" in moderator.body
    assert moderator.body.index("Flagged high") < moderator.body.index("Oldest waiting")
    assert manager.subject == "1 testimonial waiting"
    assert f"#{practice['calm'].pk}" in manager.body and "Dayton" not in manager.body


def test_the_digest_holds_no_text_email_or_surname(practice):
    digest_send_all()
    for message in mail.outbox:
        assert "Zimmerman" not in message.body and "dana@example.com" not in message.body
        assert "732-555" not in message.body and "front desk" not in message.body


def test_nothing_waiting_sends_nothing(practice):
    Testimonial.objects.update(status="approved", published_at=timezone.now())
    assert digest_send_all() == 0 and mail.outbox == []


def test_a_digest_link_opens_the_page_behind_the_login_and_expires(practice, client, settings):
    digest_send_all()
    body = next(m for m in mail.outbox if m.to == ["mod@clinic.test"]).body
    link = re.search(r"http://testserver(/admin/go/\S+/)\n", body).group(1)
    # signed out: the admin's login first, and back to the link after it
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=/admin/go/")
    client.force_login(practice["moderator"])
    response = client.get(link)
    assert response["Location"] == f"/admin/reviews/testimonial/{practice['phoned'].pk}/change/"
    # tampered, or older than MODERATION_DIGEST_LINK_DAYS: the queue, with a word why
    assert client.get(link[:-3] + "x/")["Location"] == "/admin/reviews/testimonial/"
    settings.MODERATION_DIGEST_LINK_DAYS = 0
    response = client.get(link, follow=True)
    assert "expired" in response.content.decode()


def test_a_manager_cannot_follow_a_link_into_another_clinic(practice, client):
    client.force_login(practice["manager"])
    token = digest_link_token(testimonial_id=practice["phoned"].pk)
    assert client.get(f"/admin/go/{token}/")["Location"] == "/admin/reviews/testimonial/"
    assert signing.loads(token, salt="moderation-digest-link") == practice["phoned"].pk


def test_the_digest_is_on_the_beat_schedule_at_the_configured_hours(settings):
    from config.celery import app, beat_schedule

    entry = app.conf.beat_schedule["moderation-digest"]  # what beat runs, built from settings at start-up
    assert entry["task"] == "moderation.tasks.send_moderation_digest_task"
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {0}
    settings.MODERATION_DIGEST_HOURS = [7, 15]
    assert beat_schedule()["moderation-digest"]["schedule"].hour == {7, 15}
    settings.MODERATION_DIGEST_HOURS = []
    assert "moderation-digest" not in beat_schedule()
    assert "sweep-pending-testimonials" in beat_schedule()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_digest(filesystem_broker, settings):
    settings.SITE_URL = "http://testserver"
    waiting(LocationFactory(name="Dayton", slug="dayton"))
    # a transactional test's database was wiped of the roles' groups by the one before: a superuser
    User.objects.create_superuser("mod", "mod@clinic.test", "pw")
    # queued before the worker starts: kombu's filesystem transport can read a message file half-written
    send_moderation_digest_task.delay()
    with running_worker(filesystem_broker):
        assert wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].subject == "1 testimonial waiting" and "/admin/go/" in mail.outbox[0].body
