"""The admin acts only from the state the moderator saw, never writes status or publication fields from
the form, lets only moderators change a text, and asks before publishing flagged personal data
(issue 7, items 3, 5 and 6)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.utils import timezone

from moderation import services
from moderation.models import Flag, TransitionEvent
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/reviews/testimonial/"


def in_state(status: str, **kwargs) -> Testimonial:
    testimonial = TestimonialFactory(**kwargs)
    Testimonial.objects.filter(pk=testimonial.pk).update(
        status=status, published_at=timezone.now() if status == "approved" else None)
    testimonial.refresh_from_db()
    return testimonial


def change_form_post(testimonial: Testimonial, **extra) -> dict:
    return {"body": testimonial.body, "condition": testimonial.condition, "flags-TOTAL_FORMS": "0",
            "flags-INITIAL_FORMS": "0", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0", **extra}


def run_action(client, action: str, *testimonials: Testimonial, **extra):
    return client.post(CHANGELIST + "?status__exact=all", {
        "action": action, "_selected_action": [t.pk for t in testimonials], "index": "0", "select_across": "0",
        **extra}, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- item 3: a stale page never undoes a newer decision ---------------------------------------------------

def test_a_reject_clicked_on_a_stale_page_is_refused_after_a_colleagues_approval(admin_client, admin_user):
    # given my page showed "in review" (the hidden state travels with the button)
    testimonial = in_state("in_review", body="Lovely team, my hip is great now.")
    url = f"{CHANGELIST}{testimonial.pk}/change/"
    assert 'name="expected_status" value="in_review"' in admin_client.get(url).content.decode()
    # and a colleague approved it meanwhile
    services.testimonial_approve(testimonial=testimonial, actor=admin_user, expected_status="in_review")
    # when I click Reject on my stale page
    response = admin_client.post(url, change_form_post(testimonial, _reject="1", reject_reason="spam",
                                                       expected_status="in_review"), follow=True)
    # then I am told it changed, and it stays published
    assert any("changed by someone else meanwhile (now approved)" in m for m in messages_of(response))
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"
    assert list(TransitionEvent.objects.values_list("to_status", flat=True)) == ["approved"]


def test_a_decision_without_the_state_the_page_showed_is_refused(admin_client):
    testimonial = in_state("in_review")
    response = admin_client.post(f"{CHANGELIST}{testimonial.pk}/change/", change_form_post(testimonial, _approve="1"),
                                 follow=True)
    assert any("did not say which state it showed" in m for m in messages_of(response))
    assert Testimonial.objects.get(pk=testimonial.pk).status == "in_review"


def test_a_bulk_reject_never_takes_down_a_testimonial_approved_meanwhile(admin_client):
    # given one row still in review and one a colleague has approved
    waiting, approved = in_state("in_review"), in_state("approved")
    # when "Reject (in review)" runs on both
    response = run_action(admin_client, "reject_spam", waiting, approved)
    # then the waiting one is rejected and the approved one is reported, not taken down
    assert Testimonial.objects.get(pk=waiting.pk).status == "rejected"
    assert Testimonial.objects.get(pk=approved.pk).status == "approved"
    assert any(f"#{approved.pk} was changed by someone else meanwhile (now approved)" in m
               for m in messages_of(response))


@pytest.mark.parametrize("action, start, end", [
    ("take_down_personal_info", "approved", "rejected"),
    ("reopen_selected", "rejected", "in_review"),
    ("approve_selected", "in_review", "approved"),
])
def test_each_bulk_action_moves_only_from_its_own_state(admin_client, action, start, end):
    ready = in_state(start)
    elsewhere = in_state("pending")
    response = run_action(admin_client, action, ready, elsewhere)
    assert Testimonial.objects.get(pk=ready.pk).status == end
    assert Testimonial.objects.get(pk=elsewhere.pk).status == "pending"
    assert any("changed by someone else meanwhile (now pending analysis)" in m for m in messages_of(response))


@contextmanager
def colleague_approves_while_the_form_is_saved(testimonial_id: int):
    """Right after the admin loads the row for the POST, a colleague's approval commits."""
    fired = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not fired and sql.lstrip().upper().startswith("SELECT") and 'FROM "reviews_testimonial"' in sql:
            fired.append(True)
            with connection.cursor() as other:
                other.execute('UPDATE "reviews_testimonial" SET "status" = %s, "published_at" = %s WHERE "id" = %s',
                              ("approved", timezone.now(), testimonial_id))
        return result

    with connection.execute_wrapper(wrapper):
        yield fired


def test_saving_the_form_never_writes_status_or_publication_fields(admin_client):
    # given a moderator who edits the condition while a colleague approves the testimonial
    testimonial = in_state("in_review", condition="knee")
    with colleague_approves_while_the_form_is_saved(testimonial.pk) as fired:
        admin_client.post(f"{CHANGELIST}{testimonial.pk}/change/", change_form_post(testimonial, condition="knee pain"))
    # then the colleague's approval stands, and the edit is recorded as a redaction
    assert fired
    testimonial.refresh_from_db()
    assert (testimonial.status, testimonial.condition) == ("approved", "knee pain")
    assert testimonial.published_at is not None
    assert TransitionEvent.objects.filter(testimonial=testimonial, reason="redacted").exists()


# --- item 5: only moderators change a patient's words -----------------------------------------------------

def test_staff_with_only_the_change_permission_cannot_rewrite_a_published_text(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="pw-123456!", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_testimonial"),
                               Permission.objects.get(codename="change_testimonial"))
    client.force_login(clerk)
    testimonial = in_state("approved", body="My knee is fixed, thank you all so much.")
    url = f"{CHANGELIST}{testimonial.pk}/change/"
    assert '<textarea name="body"' not in client.get(url).content.decode()
    client.post(url, change_form_post(testimonial, body="Buy cheap pills at example.com today!"))
    assert Testimonial.objects.get(pk=testimonial.pk).body == "My knee is fixed, thank you all so much."
    assert not TransitionEvent.objects.exists()


# --- item 6: flagged personal data is published only on explicit confirmation -----------------------------

def flagged(**kwargs) -> Testimonial:
    testimonial = in_state("in_review", body="Write to dana.zimmerman@example.com, Dana Zimmerman.", **kwargs)
    Flag.objects.create(testimonial=testimonial, code="pii_email", severity="high", message="Email", start=9, end=35)
    Flag.objects.create(testimonial=testimonial, code="pii_name", severity="high", message="Name", start=37, end=51)
    return testimonial


def test_the_approve_button_asks_for_a_note_when_personal_data_is_flagged(admin_client, admin_user):
    testimonial = flagged()
    url = f"{CHANGELIST}{testimonial.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="_approve_anyway"' in page and 'name="_approve"' not in page
    assert "pii_email, pii_name" in page
    # a plain approval is refused
    response = admin_client.post(url, change_form_post(testimonial, _approve="1", expected_status="in_review"),
                                 follow=True)
    assert any("unresolved high-severity flags (pii_email, pii_name)" in m for m in messages_of(response))
    # approving anyway without a note is refused too
    response = admin_client.post(url, change_form_post(testimonial, _approve_anyway="1", expected_status="in_review"),
                                 follow=True)
    assert any("needs a note" in m for m in messages_of(response))
    assert Testimonial.objects.get(pk=testimonial.pk).status == "in_review"
    # with a note it is published, and the note is on the record
    admin_client.post(url, change_form_post(testimonial, _approve_anyway="1", expected_status="in_review",
                                            approve_note="Dana asked to be named in full."))
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"
    assert TransitionEvent.objects.get().note == "approved despite pii_email, pii_name: Dana asked to be named in full."


def test_the_bulk_approval_asks_before_publishing_flagged_rows(admin_client):
    clean, risky = in_state("in_review"), flagged()
    # when both are approved in bulk, a confirmation page lists the flagged one and nothing is published yet
    response = run_action(admin_client, "approve_selected", clean, risky)
    page = response.content.decode()
    assert "still have personal data or spam flagged" in page and f"#{risky.pk}" in page
    assert set(Testimonial.objects.values_list("status", flat=True)) == {"in_review"}
    # "approve all" without a note asks again
    page = run_action(admin_client, "approve_selected", clean, risky, confirm_flags="yes").content.decode()
    assert "needs a note saying why" in page
    assert set(Testimonial.objects.values_list("status", flat=True)) == {"in_review"}
    # "only the ones without flags" publishes the clean one only
    run_action(admin_client, "approve_selected", clean, risky, confirm_flags="clean_only")
    assert Testimonial.objects.get(pk=clean.pk).status == "approved"
    assert Testimonial.objects.get(pk=risky.pk).status == "in_review"
    # and approving with a note publishes the flagged one, with the note on record
    run_action(admin_client, "approve_selected", risky, confirm_flags="yes", approve_note="consent to name given")
    assert Testimonial.objects.get(pk=risky.pk).status == "approved"
    assert TransitionEvent.objects.get(testimonial=risky).note.endswith("consent to name given")


# --- item 7: history is never hard-deleted, and the admin explains why -------------------------------------

def test_deleting_a_testimonial_with_history_is_refused_with_a_clear_message(admin_client, admin_user, settings):
    settings.PRIVACY_CONTACT = "Privacy Officer, 1 Main St, Edison NJ"
    testimonial = in_state("in_review")
    services.testimonial_reject(testimonial=testimonial, actor=admin_user, reason="spam")
    url = f"{CHANGELIST}{testimonial.pk}/delete/"
    page = admin_client.get(url).content.decode()
    assert "has a moderation history and an authorization on record, so it" in page and "purge" in page
    admin_client.post(url, {"post": "yes"})
    assert Testimonial.objects.filter(pk=testimonial.pk).exists()
    assert "delete_selected" not in admin_client.get(CHANGELIST).content.decode()
