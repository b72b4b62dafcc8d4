"""Redaction re-runs the analysis on the new words, keeps the originals privately and is recorded
(issue 7, item 5)."""
from __future__ import annotations

import pytest

from moderation import services
from moderation.models import Flag, TransitionEvent
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.django_db

WITH_PHONE = "Bri fixed my knee after surgery. Call me at 732-555-0142 if you want to know more."
WITHOUT_PHONE = "Bri fixed my knee after surgery. Ask the clinic if you want to know more."


def analysed(body: str, **kwargs) -> Testimonial:
    testimonial = TestimonialFactory(body=body, **kwargs)
    testimonial = Testimonial.objects.select_related("location").get(pk=testimonial.pk)
    services.testimonial_analyze(testimonial=testimonial)
    return Testimonial.objects.select_related("location").get(pk=testimonial.pk)


def test_redacting_a_phone_number_removes_its_flag_and_its_highlight(admin_user):
    # given an analysed testimonial with a phone number flagged at its span
    testimonial = analysed(WITH_PHONE)
    phone = Flag.objects.get(testimonial=testimonial, code="pii_phone")
    assert WITH_PHONE[phone.start:phone.end] == "732-555-0142"
    # when a moderator edits it out
    services.testimonial_redact(testimonial=testimonial, body=WITHOUT_PHONE, actor=admin_user)
    # then the flag is gone, every remaining span points into the new text, and the sentences are the new ones
    assert not Flag.objects.filter(testimonial=testimonial, code="pii_phone").exists()
    for flag in Flag.objects.filter(testimonial=testimonial, start__isnull=False):
        assert flag.end <= len(WITHOUT_PHONE)
    sentences = Testimonial.objects.get(pk=testimonial.pk).analysis.sentences
    assert [WITHOUT_PHONE[s["start"]:s["end"]] for s in sentences] == [
        "Bri fixed my knee after surgery.", "Ask the clinic if you want to know more."]
    # and approving needs no confirmation any more
    services.testimonial_approve(testimonial=testimonial, actor=admin_user)


def test_redaction_recomputes_the_tags(admin_user):
    testimonial = analysed("After my knee replacement the team got me walking again, thank you all.")
    assert "knee" in set(testimonial.tags.values_list("slug", flat=True))
    services.testimonial_redact(testimonial=testimonial, body="The team got me walking again, thank you all.",
                                actor=admin_user)
    assert "knee" not in set(Testimonial.objects.get(pk=testimonial.pk).tags.values_list("slug", flat=True))


def test_editing_body_and_condition_together_keeps_both_and_both_originals(admin_user):
    testimonial = analysed(WITH_PHONE, condition="ACL tear, Dr. Feldstein's patient")
    services.testimonial_redact(testimonial=testimonial, body=WITHOUT_PHONE, condition="ACL tear", actor=admin_user)
    testimonial.refresh_from_db()
    assert (testimonial.body, testimonial.condition) == (WITHOUT_PHONE, "ACL tear")
    assert (testimonial.body_original, testimonial.condition_original) == \
        (WITH_PHONE, "ACL tear, Dr. Feldstein's patient")
    event = TransitionEvent.objects.get(testimonial=testimonial, reason="redacted")
    assert event.actor == admin_user
    assert event.note == "text and condition edited; flags before: pii_phone; after: none"


def test_a_second_redaction_never_overwrites_the_patients_original(admin_user):
    testimonial = analysed(WITH_PHONE, condition="knee")
    services.testimonial_redact(testimonial=testimonial, body=WITHOUT_PHONE, condition="knee pain", actor=admin_user)
    services.testimonial_redact(testimonial=testimonial, body="Bri fixed my knee.", condition="knee injury",
                                actor=admin_user)
    testimonial.refresh_from_db()
    assert (testimonial.body_original, testimonial.condition_original) == (WITH_PHONE, "knee")
    assert TransitionEvent.objects.filter(testimonial=testimonial, reason="redacted").count() == 2


def test_the_admin_form_redacts_body_and_condition_in_one_save(admin_client):
    testimonial = analysed(WITH_PHONE, condition="knee")
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    admin_client.post(f"/admin/reviews/testimonial/{testimonial.pk}/change/", {
        "body": WITHOUT_PHONE, "condition": "knee surgery", "flags-TOTAL_FORMS": "0", "flags-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"})
    testimonial.refresh_from_db()
    assert (testimonial.body, testimonial.condition, testimonial.status) == (WITHOUT_PHONE, "knee surgery", "in_review")
    assert not Flag.objects.filter(testimonial=testimonial, code="pii_phone").exists()


def test_staff_without_the_moderate_permission_cannot_redact_through_the_service(django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="pw-123456!", is_staff=True)
    testimonial = analysed(WITH_PHONE)
    with pytest.raises(services.TransitionError, match="Only moderators"):
        services.testimonial_redact(testimonial=testimonial, body="Rewritten by a clerk.", actor=clerk)
    assert Testimonial.objects.get(pk=testimonial.pk).body == WITH_PHONE
    assert not TransitionEvent.objects.filter(reason="redacted").exists()
