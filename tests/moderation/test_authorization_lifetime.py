"""An authorization over time (issue 7, item 4 and beyond): a renewal reminder 60 days before expiry with
a signed link, renewal as a new authorization record, and unpublishing at expiry through the workflow."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from moderation.authorization import authorization_reminders_send, authorizations_expire
from moderation.models import TransitionEvent
from moderation.tasks import expire_authorizations_task, remind_expiring_authorizations_task
from reviews.feed_cache import feed_cache_version
from reviews.models import Authorization, Testimonial
from tests.conftest import running_worker
from tests.factories import TestimonialFactory
from tests.moderation.test_webhooks import marketing_site, verify  # noqa: F401 (fixture)
from tests.moderation.test_worker import wait_for


def published(expires_in: dt.timedelta, **kwargs) -> Testimonial:
    testimonial = TestimonialFactory(**kwargs)
    Testimonial.objects.filter(pk=testimonial.pk).update(
        status="approved", published_at=timezone.now(), consent_expires_at=timezone.now() + expires_in)
    return Testimonial.objects.select_related("location").get(pk=testimonial.pk)


def renew_link(message) -> str:
    return re.search(r"http://testserver(/testimonials/renew/[^/\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_the_patient_is_reminded_once_sixty_days_before_expiry_with_a_link_to_renew(settings):
    settings.SITE_URL = "http://testserver"
    # given three published testimonials: expiring in 30 days, in 90 days, and already expired
    soon = published(dt.timedelta(days=30), email="soon@example.com", condition="foot drop http://evil.example")
    published(dt.timedelta(days=90), email="later@example.com")
    published(dt.timedelta(days=-1), email="gone@example.com")
    # when the beat task runs twice
    assert remind_expiring_authorizations_task.apply().get() == 1
    assert remind_expiring_authorizations_task.apply().get() == 0
    # then only the one expiring within 60 days is reminded, once, with no text typed into the form
    assert [m.to for m in mail.outbox] == [["soon@example.com"]]
    message = mail.outbox[0]
    expires = timezone.localtime(soon.consent_expires_at).date().isoformat()
    assert expires in message.subject and renew_link(message)
    assert soon.body not in message.body and "evil.example" not in message.body


@pytest.mark.django_db
def test_renewing_makes_a_new_authorization_record_and_updates_the_testimonial(client, settings):
    settings.SITE_URL = "http://testserver"
    testimonial = published(dt.timedelta(days=30), condition="foot drop")
    authorization_reminders_send()
    link = renew_link(mail.outbox[0])
    # the link shows the text to be renewed, naming the condition, before anything changes
    page = client.get(link).content.decode()
    assert "what I was treated for, as I typed it: \u201cfoot drop\u201d" in page
    assert not Authorization.objects.filter(source="renewal").exists()
    # when the patient confirms
    assert "Your authorization is renewed" in client.post(link).content.decode()
    # then a new authorization row holds the text, and the testimonial's current consent is the new one
    renewal = Authorization.objects.get(source="renewal")
    testimonial.refresh_from_db()
    assert renewal.testimonial_id == testimonial.pk and renewal.text == testimonial.consent_text
    assert testimonial.consent_expires_at.date() > (timezone.now() + dt.timedelta(days=365 * 2)).date()
    assert testimonial.consent_reminder_sent_at is None and testimonial.status == "approved"
    assert TransitionEvent.objects.filter(testimonial=testimonial, reason="renewed").count() == 1
    # and the same link again renews nothing more
    client.post(link)
    assert Authorization.objects.filter(source="renewal").count() == 1


@pytest.mark.django_db
def test_a_withdrawn_testimonial_cannot_be_renewed(client, settings):
    settings.SITE_URL = "http://testserver"
    testimonial = published(dt.timedelta(days=30))
    authorization_reminders_send()
    Testimonial.objects.filter(pk=testimonial.pk).update(status="withdrawn", published_at=None)
    assert "has been withdrawn" in client.post(renew_link(mail.outbox[0])).content.decode()
    assert not Authorization.objects.filter(source="renewal").exists()


@pytest.mark.django_db(transaction=True)
def test_at_expiry_the_beat_task_unpublishes_through_the_workflow(marketing_site, filesystem_broker):  # noqa: F811
    # given a published testimonial whose authorization expired an hour ago, and one still valid
    expired = published(dt.timedelta(hours=-1))
    valid = published(dt.timedelta(days=400))
    version = feed_cache_version()
    # when the beat task runs, with a real worker delivering the webhook
    with running_worker(filesystem_broker):
        assert expire_authorizations_task.apply().get() == 1
        assert wait_for(lambda: len(marketing_site["received"]) == 1)
    # then it is taken down with the reason and the date on record, the cache bumped and the site told
    expired.refresh_from_db()
    assert (expired.status, expired.published_at) == ("rejected", None)
    event = TransitionEvent.objects.get(testimonial=expired)
    assert (event.from_status, event.reason, event.actor) == ("approved", "no_consent", None)
    assert event.note == f"authorization expired on {timezone.localtime(expired.consent_expires_at).date()}"
    assert feed_cache_version() > version
    delivered = verify(marketing_site["received"][0])
    assert (delivered["event"], delivered["testimonial_id"]) == (
        "testimonial.unpublished", expired.pk)
    assert Testimonial.objects.get(pk=valid.pk).status == "approved"


@pytest.mark.django_db
def test_renewing_after_an_expiry_takedown_puts_it_back_in_the_queue(client, settings):
    settings.SITE_URL = "http://testserver"
    testimonial = published(dt.timedelta(days=30))
    authorization_reminders_send()
    link = renew_link(mail.outbox[0])
    # the patient did nothing and, 31 days on, the authorization expired and it was taken down
    assert authorizations_expire(now=timezone.now() + dt.timedelta(days=31)) == 1
    # when they use the reminder's link after all
    client.post(link)
    testimonial.refresh_from_db()
    assert testimonial.status == "in_review"
    assert list(testimonial.events.values_list("to_status", "reason")) == [
        ("rejected", "no_consent"), ("rejected", "renewed"), ("in_review", "")]
