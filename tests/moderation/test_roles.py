"""Roles in the admin: a clinic manager reaches only their clinics' rows (lists, pages by URL, actions, the
report, filters, history), Viewers cannot decide, and only superusers delete."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from moderation import services
from moderation.models import ClinicAssignment, Flag, TransitionEvent
from reviews.models import Testimonial
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory, staff_user

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/reviews/testimonial/"


staff = staff_user


def in_review(**kwargs) -> Testimonial:
    testimonial = TestimonialFactory(**kwargs)
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    return Testimonial.objects.get(pk=testimonial.pk)


@pytest.fixture
def clinics():
    woodbridge = LocationFactory(name="Woodbridge", slug="woodbridge")
    edison = LocationFactory(name="Edison", slug="edison")
    TherapistFactory(first_name="Brianna", last_name="Kowalski", locations=[woodbridge])
    TherapistFactory(first_name="Maria", last_name="Lopez", locations=[edison])
    return woodbridge, edison


@pytest.fixture
def manager_client(client, clinics):
    client.force_login(staff("manager", "Clinic managers", clinics[0]))
    return client


def test_a_manager_lists_only_their_clinics_and_the_filters_offer_only_them(client, clinics):
    woodbridge, edison = clinics
    avenel = LocationFactory(name="Avenel", slug="avenel")  # a second clinic: a filter of one choice is hidden
    client.force_login(staff("manager", "Clinic managers", woodbridge, avenel))
    manager_client = client
    in_review(location=woodbridge, body="Woodbridge words about my shoulder.")
    in_review(location=edison, body="Edison words about my hip.")
    Flag.objects.create(testimonial=Testimonial.objects.get(location=edison), code="profanity", severity="high",
                        message="Profanity")
    page = manager_client.get(CHANGELIST).content.decode()
    assert "flag=profanity" not in page  # a code found only in another clinic is not offered
    assert "Woodbridge words" in page and "Edison words" not in page
    assert f"location__id__exact={avenel.pk}" in page and f"location__id__exact={edison.pk}" not in page
    assert "Brianna Kowalski" in page and "Maria Lopez" not in page  # the therapist filter
    # a search or "all statuses" does not reach the other clinic either
    assert "Edison words" not in manager_client.get(CHANGELIST + "?status__exact=all&q=hip").content.decode()


def test_a_manager_cannot_open_or_decide_another_clinics_testimonial_by_url(manager_client, clinics):
    other = in_review(location=clinics[1])
    url = f"{CHANGELIST}{other.pk}/change/"
    assert manager_client.get(url).status_code == 404
    assert manager_client.get(f"{CHANGELIST}{other.pk}/history/").status_code == 404
    assert manager_client.get(f"{CHANGELIST}{other.pk}/delete/").status_code == 404
    response = manager_client.post(url, {"_approve": "1", "expected_status": "in_review"})
    assert response.status_code == 404
    assert Testimonial.objects.get(pk=other.pk).status == "in_review"
    assert manager_client.get(f"{CHANGELIST}999999/change/").status_code == 404  # the same answer as "none"


def test_a_manager_decides_in_their_clinic_and_a_bulk_action_skips_the_other(manager_client, clinics):
    mine, other = in_review(location=clinics[0]), in_review(location=clinics[1])
    page = manager_client.get(f"{CHANGELIST}{mine.pk}/change/").content.decode()
    assert 'name="_approve"' in page
    manager_client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [mine.pk, other.pk],
                                     "index": "0", "select_across": "0"})
    assert Testimonial.objects.get(pk=mine.pk).status == "approved"
    assert Testimonial.objects.get(pk=other.pk).status == "in_review"


def test_the_report_and_the_history_count_only_the_managers_clinics(manager_client, clinics):
    services.testimonial_approve(testimonial=in_review(location=clinics[0]), actor=None)
    services.testimonial_reject(testimonial=in_review(location=clinics[1]), actor=None, reason="spam")
    report = manager_client.get(CHANGELIST + "report/?by=clinic").content.decode()
    assert "Woodbridge" in report and "Edison" not in report
    events = manager_client.get("/admin/moderation/transitionevent/").content.decode()
    assert "approved" in events and "rejected" not in events.split('id="result_list"')[1]
    other_event = TransitionEvent.objects.get(to_status="rejected")
    assert manager_client.get(f"/admin/moderation/transitionevent/{other_event.pk}/change/").status_code == 404


def test_a_manager_lists_only_their_clinics_and_therapists(manager_client, clinics):
    locations = manager_client.get("/admin/reviews/location/").content.decode()
    assert "Woodbridge" in locations and "Edison" not in locations
    assert manager_client.get(f"/admin/reviews/location/{clinics[1].pk}/change/").status_code == 404
    therapists = manager_client.get("/admin/reviews/therapist/").content.decode()
    assert "Brianna Kowalski" in therapists and "Maria Lopez" not in therapists


def test_a_viewer_sees_every_clinic_but_has_no_decision_bar_and_no_actions(client, clinics):
    client.force_login(staff("viewer", "Viewers"))
    here, there = in_review(location=clinics[0]), in_review(location=clinics[1])
    queue = client.get(CHANGELIST).content.decode()
    assert str(here.body)[:30] in queue and str(there.body)[:30] in queue
    assert 'name="action"' not in queue
    page = client.get(f"{CHANGELIST}{here.pk}/change/")
    assert page.status_code == 200 and 'name="_approve"' not in page.content.decode()
    client.post(f"{CHANGELIST}{here.pk}/change/", {"_approve": "1", "expected_status": "in_review"})
    client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [here.pk], "index": "0",
                             "select_across": "0"})
    assert Testimonial.objects.get(pk=here.pk).status == "in_review"


def test_only_superusers_delete_even_with_the_delete_permission(client, admin_client, clinics):
    moderator = staff("moderator", "Moderators")
    moderator.user_permissions.add(Permission.objects.get(codename="delete_testimonial"),
                                   Permission.objects.get(codename="delete_location"))
    client.force_login(moderator)
    testimonial = TestimonialFactory(location=clinics[0])  # pending, no history: deletable at all
    assert client.get(f"{CHANGELIST}{testimonial.pk}/delete/").status_code == 403
    assert client.get(f"/admin/reviews/location/{clinics[1].pk}/delete/").status_code == 403
    assert admin_client.get(f"{CHANGELIST}{testimonial.pk}/delete/").status_code == 200


def test_a_superuser_assigns_clinics_on_the_users_page(admin_client, clinics):
    manager = staff("newmanager", "Clinic managers")
    page = admin_client.get(f"/admin/auth/user/{manager.pk}/change/").content.decode()
    assert "clinics this user manages" in page.lower()
    prefix = "clinic_assignments"
    data = {"username": "newmanager", "is_active": "on", "is_staff": "on",
            "groups": [g.pk for g in manager.groups.all()],
            "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-12-01", "date_joined_1": "10:00:00",
            f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000", f"{prefix}-0-location": str(clinics[1].pk),
            f"{prefix}-0-user": str(manager.pk)}
    response = admin_client.post(f"/admin/auth/user/{manager.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(ClinicAssignment.objects.filter(user=manager).values_list("location__slug", flat=True)) == ["edison"]


def test_clinic_assignments_have_their_own_admin_list(admin_client, clinics):
    staff("listed-manager", "Clinic managers", clinics[0])
    page = admin_client.get("/admin/moderation/clinicassignment/").content.decode()
    assert "listed-manager" in page and "Woodbridge" in page
    assert admin_client.get("/admin/moderation/clinicassignment/add/").status_code == 200
    assert "Clinic managers" in admin_client.get("/admin/auth/user/").content.decode()  # the roles column
