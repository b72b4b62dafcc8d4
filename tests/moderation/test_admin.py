from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from moderation.models import Flag, TransitionEvent
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/reviews/testimonial/"


def in_review(**kwargs) -> Testimonial:
    testimonial = TestimonialFactory(**kwargs)
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    return testimonial


def run_action(client, action: str, *testimonials: Testimonial, query: str = ""):
    return client.post(CHANGELIST + query, {"action": action, "_selected_action": [t.pk for t in testimonials],
                                            "index": "0", "select_across": "0"}, follow=True)


def test_the_queue_opens_on_testimonials_in_review_with_their_flags(admin_client):
    waiting = in_review(body="Bri fixed my knee, call me at 732-555-0142 any time.")
    Flag.objects.create(testimonial=waiting, code="pii_phone", severity="high", message="Phone number",
                        start=29, end=41)
    TestimonialFactory(body="Still pending analysis here, nothing to do yet.")
    page = admin_client.get(CHANGELIST).content.decode()
    assert "Bri fixed my knee" in page and "pii_phone" in page
    assert "Still pending analysis" not in page
    assert "Still pending analysis" in admin_client.get(CHANGELIST + "?status__exact=all").content.decode()


@pytest.mark.parametrize("query", ["?flag=pii_phone", "?rating__exact=5", "?sentiment=positive", "?q=knee", "?q=%00",
                                   "?status__exact=approved", "?flag=none"])
def test_the_queue_filters_never_fail(admin_client, query):
    in_review()
    assert admin_client.get(CHANGELIST + query).status_code == 200


def test_bulk_approve_publishes_and_records_who(admin_client, admin_user):
    a, b = in_review(), in_review()
    response = run_action(admin_client, "approve_selected", a, b)
    assert "Approve and publish: 2 testimonial(s)" in response.content.decode()
    assert set(Testimonial.objects.values_list("status", flat=True)) == {"approved"}
    assert set(TransitionEvent.objects.values_list("actor", flat=True)) == {admin_user.pk}


def test_bulk_reject_records_the_reason(admin_client):
    testimonial = in_review()
    run_action(admin_client, "reject_spam", testimonial)
    event = TransitionEvent.objects.get()
    assert (event.to_status, event.reason) == ("rejected", "spam")


def test_an_illegal_move_in_a_bulk_action_is_reported_and_the_rest_done(admin_client):
    ok = in_review()
    withdrawn = TestimonialFactory()
    Testimonial.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    page = run_action(admin_client, "approve_selected", ok, withdrawn, query="?status__exact=all").content.decode()
    assert "1 testimonial(s)" in page and "changed by someone else meanwhile (now withdrawn)" in page
    assert Testimonial.objects.get(pk=withdrawn.pk).status == "withdrawn"


def test_staff_without_the_moderate_permission_cannot_approve(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="pw-123456!", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_testimonial"),
                               Permission.objects.get(codename="change_testimonial"))
    client.force_login(clerk)
    testimonial = in_review()
    page = client.get(CHANGELIST).content.decode()
    assert "approve_selected" not in page
    run_action(client, "approve_selected", testimonial)
    assert Testimonial.objects.get(pk=testimonial.pk).status == "in_review"


def test_the_change_page_marks_flagged_passages_and_escapes_patient_text(admin_client):
    testimonial = in_review(body="<script>x()</script> call 732-555-0142 please")
    Flag.objects.create(testimonial=testimonial, code="pii_phone", severity="high", message="Phone", start=26, end=38)
    page = admin_client.get(f"{CHANGELIST}{testimonial.pk}/change/").content.decode()
    assert '<mark title="pii_phone">732-555-0142</mark>' in page
    assert "<script>x()</script>" not in page


def test_editing_the_text_in_the_admin_is_a_redaction(admin_client):
    testimonial = in_review(body="My name is Dana Zimmerman and my knee is fixed.")
    admin_client.post(f"{CHANGELIST}{testimonial.pk}/change/", {
        "condition": "", "body": "My name is Dana Z. and my knee is fixed.",
        "flags-TOTAL_FORMS": "0", "flags-INITIAL_FORMS": "0", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"})
    testimonial.refresh_from_db()
    assert testimonial.body == "My name is Dana Z. and my knee is fixed."
    assert testimonial.body_original == "My name is Dana Zimmerman and my knee is fixed."


def test_testimonials_cannot_be_added_by_hand(admin_client):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403


@pytest.mark.parametrize("by", ["rating", "clinic", "therapist", "nonsense"])
def test_the_even_handedness_report_shows_approval_rates(admin_client, by):
    approved, rejected = in_review(rating=1), in_review(rating=1)
    run_action(admin_client, "approve_selected", approved)
    run_action(admin_client, "reject_spam", rejected)
    page = admin_client.get(f"{CHANGELIST}report/?by={by}").content.decode()
    assert "Even-handedness report" in page
    if by == "rating":
        assert "<td>★</td><td>2</td><td>1</td><td>1</td>" in page.replace("\n", "").replace("      ", "")
        assert "50%" in page


def change_form_post(**extra) -> dict:
    return {"condition": "", "flags-TOTAL_FORMS": "0", "flags-INITIAL_FORMS": "0", "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0", **extra}


def test_the_change_page_approves_and_rejects_through_the_workflow(admin_client, admin_user):
    testimonial = in_review(body="Lovely team, my hip is great now.")
    url = f"{CHANGELIST}{testimonial.pk}/change/"
    assert 'name="_approve"' in admin_client.get(url).content.decode()
    admin_client.post(url, change_form_post(body=testimonial.body, _approve="1", expected_status="in_review"))
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"
    # a takedown needs a reason from the list
    admin_client.post(url, change_form_post(body=testimonial.body, _reject="1", reject_reason="personal_info",
                                            expected_status="approved"))
    assert list(TransitionEvent.objects.filter(testimonial=testimonial).values_list("to_status", "reason")) == [
        ("approved", ""), ("rejected", "personal_info")]
    response = admin_client.post(url, change_form_post(body=testimonial.body, _reject="1", reject_reason="too negative",
                                                       expected_status="rejected"), follow=True)
    assert "cannot become rejected" in response.content.decode()
