"""Emails to patients carry no free text from the form (issue 7, item 8), and a patient hears once when
their testimonial is published, with the withdrawal link again."""
from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from moderation import services
from moderation.notifications import greeting_name
from moderation.tasks import send_confirmation_email_task, send_publication_notice_task
from reviews.models import Testimonial
from tests.conftest import running_worker
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory
from tests.moderation.test_worker import wait_for

RELAY = "http://evil.example/claim-your-prize"


@pytest.mark.django_db
def test_the_confirmation_email_is_no_relay_for_text_typed_by_a_stranger(settings):
    # given a "testimonial" typed by someone who put a victim's address in the form
    settings.PRIVACY_CONTACT = "Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854"
    testimonial = TestimonialFactory(
        location=LocationFactory(name="Dayton", slug="dayton"), email="victim@example.com", first_name=RELAY,
        body=f"You won a prize! Claim it now at {RELAY} before midnight.", condition=f"prize at {RELAY}")
    # when the confirmation is sent
    send_confirmation_email_task.apply(args=[testimonial.pk]).get()
    # then none of their words reach the inbox: only the clinic, what was authorised and the patient's links
    message = mail.outbox[0]
    assert "evil.example" not in message.subject + message.body
    assert "prize" not in message.body.lower()
    assert message.body.startswith("Hello,")
    assert "Thank you for your testimonial about Dayton." in message.body
    assert "your words (after we remove any personal details), your first name and last initial, the clinic, " \
           "and what you told us you were treated for" in message.body
    assert "/testimonials/withdraw/" in message.body
    assert "Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854" in message.body


@pytest.mark.django_db
def test_the_confirmation_greets_a_real_first_name_and_names_a_chosen_therapist():
    location = LocationFactory()
    testimonial = TestimonialFactory(location=location, first_name="Zoë",
                                     therapist=TherapistFactory(locations=[location]))
    send_confirmation_email_task.apply(args=[testimonial.pk]).get()
    assert mail.outbox[0].body.startswith("Dear Zoë,")
    assert "the therapist you chose" in mail.outbox[0].body


@pytest.mark.parametrize("typed, greeted", [
    ("Stephanie", "Stephanie"), ("Mary Ann", "Mary Ann"), ("O'Brien", "O'Brien"), ("Jean-Luc", "Jean-Luc"),
    ("José", "José"), ("evil.example", ""), ("http://x.y", ""), ("Win $1000", ""), ("a" * 41, ""),
])
def test_only_a_name_that_looks_like_one_is_used_in_a_greeting(typed, greeted):
    assert greeting_name(typed) == greeted


@pytest.mark.django_db(transaction=True)
def test_the_patient_hears_once_when_their_testimonial_is_published(filesystem_broker, admin_user, settings):
    settings.SITE_URL = "http://testserver"
    testimonial = TestimonialFactory(email="dana@example.com", body=f"Great knee care, see {RELAY}")
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    testimonial.refresh_from_db()
    # when a moderator approves it, with a real worker behind the queue
    with running_worker(filesystem_broker):
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
        assert wait_for(lambda: len(mail.outbox) == 1)
        # and it is taken down and published again later
        services.testimonial_reject(testimonial=testimonial, actor=admin_user, reason="spam")
        services.testimonial_reopen(testimonial=testimonial, actor=admin_user)
        services.testimonial_approve(testimonial=testimonial, actor=admin_user)
        send_publication_notice_task.apply(args=[testimonial.pk]).get()
    # then one short email went out, with the withdrawal link and none of the text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.com"] and "is now published" in message.body
    assert "http://testserver/testimonials/withdraw/" in message.body and "evil.example" not in message.body
    assert Testimonial.objects.get(pk=testimonial.pk).publication_notice_sent_at is not None


@pytest.mark.django_db
def test_imported_and_demo_testimonials_send_no_publication_email():
    for source in ("import", "demo"):
        testimonial = TestimonialFactory(source=source)
        Testimonial.objects.filter(pk=testimonial.pk).update(status="approved", published_at=timezone.now())
        send_publication_notice_task.apply(args=[testimonial.pk]).get()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_spanish_patient_gets_the_summary_and_the_contact_in_spanish(settings):
    settings.PRIVACY_CONTACT = "Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854"
    testimonial = TestimonialFactory(locale="es", condition="rodilla")
    send_confirmation_email_task.apply(args=[testimonial.pk]).get()
    body = mail.outbox[0].body
    assert "Lo que usted autorizó (autorización versión 2" in body
    assert "y aquello por lo que nos dijo que lo trataron" in body and "rodilla" not in body
    assert "También puede revocarla por escrito: Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854." in body
    assert "/es/testimonials/withdraw/" in body
