from __future__ import annotations

import html
import re

import pytest
from django.core import mail
from django.utils import timezone

from moderation.notifications import confirmation_send
from moderation.tasks import send_confirmation_email_task
from moderation.tokens import withdrawal_token, withdrawal_token_parse
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.django_db


def published(**kwargs) -> Testimonial:
    testimonial = TestimonialFactory(**kwargs)
    Testimonial.objects.filter(pk=testimonial.pk).update(status="approved", published_at=timezone.now())
    testimonial.refresh_from_db()
    return testimonial


def test_the_confirmation_email_carries_the_authorization_and_a_working_withdrawal_link(client, settings):
    settings.SITE_URL = "http://testserver"
    testimonial = published(email="dana@example.com")
    send_confirmation_email_task.apply(args=[testimonial.pk]).get()
    # one email, to the patient, with a copy of exactly what they agreed to
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.com"]
    assert "What you authorised (authorization version 2" in message.body
    link = re.search(r"http://testserver(/testimonials/withdraw/[^/\s]+/)", message.body).group(1)
    # the link shows a copy of exactly what they agreed to and asks first (GET changes nothing)
    page = client.get(link)
    assert page.status_code == 200 and testimonial.consent_text in html.unescape(page.content.decode())
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"
    assert client.post(link).status_code == 200
    testimonial.refresh_from_db()
    assert testimonial.status == "withdrawn" and testimonial.published_at is None
    event = testimonial.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("approved", "withdrawn", None)
    # unpublished at once
    assert client.get(f"/api/v1/testimonials/{testimonial.pk}/").status_code == 404


def test_the_confirmation_is_sent_once_even_if_the_task_is_delivered_twice():
    testimonial = TestimonialFactory()
    send_confirmation_email_task.apply(args=[testimonial.pk]).get()
    send_confirmation_email_task.apply(args=[testimonial.pk]).get()
    assert len(mail.outbox) == 1
    assert confirmation_send(testimonial=testimonial) is False


def test_a_spanish_patient_gets_the_email_in_spanish():
    testimonial = TestimonialFactory(locale="es")
    send_confirmation_email_task.apply(args=[testimonial.pk]).get()
    assert "Gracias" in mail.outbox[0].subject or "Gracias" in mail.outbox[0].body


@pytest.mark.parametrize("state", ["pending", "in_review", "rejected"])
def test_a_patient_can_withdraw_from_any_state(client, state):
    testimonial = TestimonialFactory()
    Testimonial.objects.filter(pk=testimonial.pk).update(status=state)
    client.post(f"/testimonials/withdraw/{withdrawal_token(testimonial_id=testimonial.pk)}/")
    assert Testimonial.objects.get(pk=testimonial.pk).status == "withdrawn"


def test_withdrawing_twice_is_harmless(client):
    testimonial = published()
    link = f"/testimonials/withdraw/{withdrawal_token(testimonial_id=testimonial.pk)}/"
    client.post(link)
    response = client.post(link)
    assert response.status_code == 200
    assert testimonial.events.count() == 1


@pytest.mark.parametrize("token", ["garbage", "MQ:1abcdE:forgedsignatureXXXXXXXXXXXXXXXXXXXXXXXXXX"])
def test_a_forged_or_malformed_link_is_refused_and_changes_nothing(client, token):
    testimonial = published()
    response = client.post(f"/testimonials/withdraw/{token}/")
    assert response.status_code == 404
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"


def test_a_link_for_one_testimonial_cannot_be_turned_into_another():
    token = withdrawal_token(testimonial_id=41)
    value, signature = token.split(":", 1)
    assert withdrawal_token_parse(token) == 41
    tampered = withdrawal_token(testimonial_id=42).split(":", 1)[0] + ":" + signature
    assert withdrawal_token_parse(tampered) is None
