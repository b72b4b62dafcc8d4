"""The moderation API (issue 8, item 6): staff only, their clinics only, every decision through the
workflow from the state the caller saw, never cached, never open to other origins."""
from __future__ import annotations

import json
import threading
from datetime import timedelta
from functools import partial

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections
from django.utils import timezone
from rest_framework.authtoken.models import Token

from moderation import services
from moderation.models import Analysis, Flag, TransitionEvent
from reviews.models import Testimonial
from tests.conftest import missing
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory, staff_user

API = "/api/v1/moderation/testimonials/"


staff = partial(staff_user, domain="clinic.test")


def auth(user: User) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def in_review(**fields) -> Testimonial:
    testimonial = TestimonialFactory(**fields)
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    testimonial.refresh_from_db()
    return testimonial


def post(client, path: str, user: User, body: dict):
    return client.post(path, json.dumps(body), content_type="application/json", **auth(user))


@pytest.fixture
def world(db):
    dayton, edison = LocationFactory(name="Dayton", slug="dayton"), LocationFactory(name="Edison", slug="edison")
    bri = TherapistFactory(first_name="Brianna", last_name="Kowalski", slug="brianna-kowalski", locations=[dayton])
    return {
        "dayton": dayton, "edison": edison, "bri": bri,
        "moderator": staff("mod", "Moderators"),
        "manager": staff("dayton-manager", "Clinic managers", dayton),
        "viewer": staff("viewer", "Viewers"),
        "at_dayton": in_review(location=dayton, therapist=bri, last_name="Zimmerman", email="dana@example.com"),
        "at_edison": in_review(location=edison),
    }


def test_the_queue_needs_a_token_or_a_session(client, world):
    response = client.get(API)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert client.get(API, HTTP_AUTHORIZATION="Token not-a-real-token").status_code == 401


def test_a_staff_session_reads_the_queue_but_a_post_without_csrf_is_refused(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["moderator"])
    assert browser.get(API).status_code == 200
    response = browser.post(f"{API}{world['at_dayton'].pk}/approve/", json.dumps({"expected_status": "in_review"}),
                            content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert Testimonial.objects.get(pk=world["at_dayton"].pk).status == "in_review"


def test_a_patient_account_without_staff_status_is_refused(client, world):
    outsider = User.objects.create_user("patient", "p@example.com", "pw")
    assert client.get(API, **auth(outsider)).status_code == 403


def test_the_queue_lists_oldest_first_what_is_in_review_with_codes_and_no_private_fields(client, world):
    Testimonial.objects.filter(pk=world["at_edison"].pk).update(created_at=timezone.now() - timedelta(days=3))
    Flag.objects.create(testimonial=world["at_dayton"], code="pii_phone", severity="high", message="A phone number",
                        start=0, end=4)
    TestimonialFactory(location=world["dayton"])  # pending: not in the default queue
    response = client.get(API, **auth(world["moderator"]))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [world["at_edison"].pk, world["at_dayton"].pk]
    assert results[0]["waiting_days"] == 3
    assert results[1]["flags"] == ["pii_phone"] and results[1]["display_name"] == "Stephanie Z."
    assert not {"email", "last_name", "first_name", "ip", "origin_hash"} & set(results[1])
    assert response["Cache-Control"].replace(" ", "") in ("no-store,private", "private,no-store")


def test_a_clinic_manager_sees_and_acts_on_their_clinic_only(client, world):
    # the list holds their clinic's testimonial only
    response = client.get(f"{API}?status=all", **auth(world["manager"]))
    assert [r["id"] for r in response.json()["results"]] == [world["at_dayton"].pk]
    # another clinic's is a 404, to read and to act on
    other = world["at_edison"].pk
    assert client.get(f"{API}{other}/", **auth(world["manager"])).status_code == 404
    response = post(client, f"{API}{other}/approve/", world["manager"], {"expected_status": "in_review"})
    assert response.status_code == 404
    assert Testimonial.objects.get(pk=other).status == "in_review"
    # their own is theirs to approve
    response = post(client, f"{API}{world['at_dayton'].pk}/approve/", world["manager"],
                    {"expected_status": "in_review"})
    assert response.status_code == 200 and response.json()["status"] == "approved"


def test_a_viewer_reads_but_may_not_decide(client, world):
    assert client.get(f"{API}{world['at_edison'].pk}/", **auth(world["viewer"])).status_code == 200
    response = post(client, f"{API}{world['at_edison'].pk}/reject/", world["viewer"],
                    {"expected_status": "in_review", "reason": "spam"})
    assert response.status_code == 403
    assert Testimonial.objects.get(pk=world["at_edison"].pk).status == "in_review"


@pytest.mark.parametrize("query, expected", [
    ("location=edison", "at_edison"), ("therapist=brianna-kowalski", "at_dayton"), ("flag=pii_email", "at_dayton"),
    ("flag=none", "at_edison"), ("sentiment=negative", "at_edison"), ("language=es", "at_edison"),
    ("search=zimmerman", "at_dayton"), ("search=DANA@example.com", "at_dayton"),
])
def test_each_queue_filter_narrows_the_list(client, world, query, expected):
    Flag.objects.create(testimonial=world["at_dayton"], code="pii_email", severity="high", message="An email")
    Analysis.objects.create(testimonial=world["at_edison"], analyzer_version="t", compound=-0.6, pos=0, neu=0.4,
                            neg=0.6, label="negative")
    Testimonial.objects.filter(pk=world["at_edison"].pk).update(language="es")
    response = client.get(f"{API}?{query}", **auth(world["moderator"]))
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [world[expected].pk]


def test_search_looks_across_every_status_and_an_email_only_matches_exactly(client, world):
    services.testimonial_reject(testimonial=world["at_dayton"], actor=None, reason="spam")
    found = client.get(f"{API}?search=dana@example.com", **auth(world["moderator"])).json()["results"]
    assert [r["id"] for r in found] == [world["at_dayton"].pk]
    assert client.get(f"{API}?search=ana@example.com", **auth(world["moderator"])).json()["results"] == []


def test_search_is_the_admins_words_condition_and_number(client, world):
    heel = in_review(location=world["edison"], condition="Plantar fasciitis", body="I walk to work again now.")
    for term in ("fasciitis", "plantar walk", f"%23{heel.pk}"):  # each word anywhere; #id
        found = client.get(f"{API}?search={term}", **auth(world["moderator"])).json()["results"]
        assert [r["id"] for r in found] == [heel.pk], term


def test_the_date_filters_take_days(client, world):
    Testimonial.objects.filter(pk=world["at_edison"].pk).update(created_at=timezone.now() - timedelta(days=10))
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    after = client.get(f"{API}?received_after={since}", **auth(world["moderator"])).json()["results"]
    before = client.get(f"{API}?received_before={since}", **auth(world["moderator"])).json()["results"]
    assert [r["id"] for r in after] == [world["at_dayton"].pk]
    assert [r["id"] for r in before] == [world["at_edison"].pk]


@pytest.mark.parametrize("query, parameter", [
    ("status=published", "status"), ("location=nowhere", "location"), ("sentiment=happy", "sentiment"),
    ("received_after=yesterday", "received_after"), ("flag=pii%20email", "flag"), ("page_size=0", "page_size"),
    ("cursor=garbage", "cursor"),
])
def test_a_bad_filter_is_a_400_naming_it(client, world, query, parameter):
    response = client.get(f"{API}?{query}", **auth(world["moderator"]))
    assert response.status_code == 400
    assert parameter in response.json()


def test_one_testimonial_comes_with_its_analysis(client, world):
    testimonial = world["at_dayton"]
    Analysis.objects.create(testimonial=testimonial, analyzer_version="t", compound=0.8, pos=0.5, neu=0.5, neg=0,
                            label="positive", therapists_mentioned=["brianna-kowalski"],
                            outcome_claims=[{"text": "pain-free after two visits"}],
                            sentences=[{"start": 0, "end": 10, "label": "positive", "compound": 0.8}])
    Flag.objects.create(testimonial=testimonial, code="pii_phone", severity="high", message="A phone", start=3, end=9)
    data = client.get(f"{API}{testimonial.pk}/", **auth(world["moderator"])).json()
    assert data["flags"] == [{"code": "pii_phone", "severity": "high", "message": "A phone", "start": 3, "end": 9}]
    assert data["sentiment"]["label"] == "positive" and data["sentiment"]["sentences"][0]["compound"] == 0.8
    assert data["therapists_mentioned"] == ["brianna-kowalski"]
    assert data["outcome_claims"] == [{"text": "pain-free after two visits"}]
    assert data["allowed_moves"] == ["approved", "rejected"] and data["unresolved_high_flags"] == ["pii_phone"]
    assert "email" not in data and "last_name" not in data


def test_approving_records_the_actor_and_the_note(client, world):
    testimonial = world["at_edison"]
    response = post(client, f"{API}{testimonial.pk}/approve/", world["moderator"],
                    {"expected_status": "in_review", "note": "fine"})
    assert response.status_code == 200
    assert response.json()["status"] == "approved" and response.json()["published_at"]
    event = TransitionEvent.objects.get(testimonial=testimonial, to_status="approved")
    assert event.actor == world["moderator"] and event.note == "fine"


def test_a_rejection_needs_a_reason_from_the_list_and_keeps_the_note(client, world):
    testimonial = world["at_edison"]
    response = post(client, f"{API}{testimonial.pk}/reject/", world["moderator"],
                    {"expected_status": "in_review", "reason": "too negative"})
    assert response.status_code == 400 and "reason" in response.json()
    response = post(client, f"{API}{testimonial.pk}/reject/", world["moderator"],
                    {"expected_status": "in_review", "reason": "spam", "note": "a coupon code"})
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    event = TransitionEvent.objects.get(testimonial=testimonial, to_status="rejected")
    assert (event.reason, event.note) == ("spam", "a coupon code")


def test_a_decision_without_the_state_seen_is_a_400(client, world):
    response = post(client, f"{API}{world['at_edison'].pk}/approve/", world["moderator"], {})
    assert response.status_code == 400 and "expected_status" in response.json()
    response = client.post(f"{API}{world['at_edison'].pk}/approve/", "not json", content_type="application/json",
                           **auth(world["moderator"]))
    assert response.status_code == 400


def test_a_decision_on_a_stale_state_is_a_409_and_changes_nothing(client, world):
    # given a moderator who saw the testimonial in review while a colleague approved it
    testimonial = world["at_edison"]
    services.testimonial_approve(testimonial=Testimonial.objects.get(pk=testimonial.pk), actor=world["manager"])
    # when they reject it from the state they saw
    response = post(client, f"{API}{testimonial.pk}/reject/", world["moderator"],
                    {"expected_status": "in_review", "reason": "spam"})
    # then they are told, and it was not taken down behind their back
    assert response.status_code == 409
    assert response.json()["code"] == "stale_status" and response.json()["status"] == "approved"
    assert "changed by someone else" in response.json()["detail"]
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"


def test_unresolved_high_flags_need_confirmation_and_a_note(client, world):
    testimonial = world["at_dayton"]
    Flag.objects.create(testimonial=testimonial, code="pii_email", severity="high", message="An email")
    path = f"{API}{testimonial.pk}/approve/"
    response = post(client, path, world["moderator"], {"expected_status": "in_review"})
    assert response.status_code == 409 and response.json()["code"] == "unresolved_high_flags"
    response = post(client, path, world["moderator"], {"expected_status": "in_review", "confirm_flags": True})
    assert response.status_code == 400 and "note" in response.json()
    response = post(client, path, world["moderator"],
                    {"expected_status": "in_review", "confirm_flags": True, "note": "the clinic's address"})
    assert response.status_code == 200
    event = TransitionEvent.objects.get(testimonial=testimonial, to_status="approved")
    assert "approved despite pii_email" in event.note


def test_an_expired_authorization_is_a_409_not_a_publication(client, world):
    testimonial = world["at_edison"]
    Testimonial.objects.filter(pk=testimonial.pk).update(consent_expires_at=timezone.now() - timedelta(days=1))
    response = post(client, f"{API}{testimonial.pk}/approve/", world["moderator"], {"expected_status": "in_review"})
    assert response.status_code == 409 and response.json()["code"] == "authorization_expired"
    assert Testimonial.objects.get(pk=testimonial.pk).status == "in_review"


def test_a_move_the_state_machine_refuses_is_a_409(client, world):
    testimonial = world["at_edison"]
    services.testimonial_withdraw(testimonial=testimonial)
    response = post(client, f"{API}{testimonial.pk}/approve/", world["moderator"], {"expected_status": "withdrawn"})
    assert response.status_code == 409 and response.json()["code"] == "transition_not_allowed"


def test_the_public_cache_and_cors_leave_the_moderation_api_alone(client, world, settings):
    settings.FEED_CACHE_SECONDS = 300
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example-clinics.test"]
    first = client.get(API, HTTP_ORIGIN="https://www.example-clinics.test", **auth(world["moderator"]))
    assert "Access-Control-Allow-Origin" not in first and "ETag" not in first
    assert "no-store" in first["Cache-Control"]
    # a later anonymous request is not answered from anything stored
    assert client.get(API).status_code == 401
    services.testimonial_approve(testimonial=world["at_edison"], actor=None)
    second = client.get(API, **auth(world["moderator"]))
    assert [r["id"] for r in second.json()["results"]] == [world["at_dayton"].pk]
    preflight = client.options(API, HTTP_ORIGIN="https://www.example-clinics.test",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert "Access-Control-Allow-Origin" not in preflight


def test_the_queue_costs_the_same_queries_for_2_or_25_rows(client, world):
    from django.test.utils import CaptureQueriesContext

    header = auth(world["moderator"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}?page_size=25", **header).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(23):
        in_review(location=world["dayton"])
    assert queries() == few


def test_the_schema_lists_the_moderation_api_under_its_own_tag(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    approve = schema["paths"]["/api/v1/moderation/testimonials/{id}/approve/"]["post"]
    assert approve["tags"] == ["moderation"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(approve["responses"])
    listing = schema["paths"]["/api/v1/moderation/testimonials/"]["get"]
    assert {"status", "location", "therapist", "flag", "sentiment", "language", "search"} <= {
        p["name"] for p in listing["parameters"]}
    assert schema["paths"]["/api/v1/testimonials/"]["get"]["tags"] != ["moderation"]


def test_a_staff_user_rotates_their_token_in_the_admin(client, world):
    client.force_login(world["manager"])
    page = client.post("/admin/api-token/", {"action": "rotate"})
    first = Token.objects.get(user=world["manager"]).key
    assert page.status_code == 200 and first in page.content.decode()
    client.post("/admin/api-token/", {"action": "rotate"})
    second = Token.objects.get(user=world["manager"]).key
    assert second != first
    assert client.get(API, HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    # the key is shown once: the page shows it no more
    assert second not in client.get("/admin/api-token/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_moderators_deciding_at_once_make_one_move_and_the_other_gets_a_409(client):
    if connection.vendor != "postgresql":
        missing("the race needs PostgreSQL (SQLite serialises writers)")
    from django.test import Client

    clinic = LocationFactory(name="Dayton", slug="dayton")
    testimonial = in_review(location=clinic)
    # superusers: a transactional test's database was wiped of the roles' groups by the one before
    approver, rejecter = (User.objects.create_superuser(name, f"{name}@clinic.test", "pw") for name in "ab")
    barrier, answers = threading.Barrier(2), {}

    def decide(user: User, verb: str, body: dict) -> None:
        try:
            barrier.wait()
            answers[verb] = post(Client(), f"{API}{testimonial.pk}/{verb}/", user, body)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(approver, "approve", {"expected_status": "in_review"})),
               threading.Thread(target=decide, args=(rejecter, "reject", {"expected_status": "in_review",
                                                                         "reason": "spam"}))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(answer.status_code for answer in answers.values())
    assert codes == [200, 409]
    loser = next(answer for answer in answers.values() if answer.status_code == 409)
    assert loser.json()["code"] == "stale_status"
    assert TransitionEvent.objects.filter(testimonial=testimonial).exclude(from_status="pending").count() == 1


def test_the_admin_lists_who_has_a_token_but_never_a_key(admin_client, world):
    key = Token.objects.create(user=world["manager"]).key
    page = admin_client.get("/admin/authtoken/tokenproxy/").content.decode()
    assert "dayton-manager" in page and key not in page


def test_a_manager_opening_the_token_list_lands_on_their_own_page(client, world):
    client.force_login(world["manager"])
    assert client.get("/admin/authtoken/tokenproxy/")["Location"] == "/admin/api-token/"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["filesystem_broker", "redis_broker"])
def test_an_approval_through_the_api_reaches_the_patient_through_a_real_worker(broker, request, client, settings):
    from django.core import mail

    from tests.conftest import running_worker
    from tests.moderation.test_worker import wait_for

    settings.SITE_URL = "http://testserver"
    app = request.getfixturevalue(broker)
    testimonial = in_review(location=LocationFactory(name="Dayton", slug="dayton"), email="dana@example.com")
    moderator = User.objects.create_superuser("mod", "mod@clinic.test", "pw")
    # the approval queues the "published" email on commit (before the worker starts: see test_digest)
    response = post(client, f"{API}{testimonial.pk}/approve/", moderator, {"expected_status": "in_review"})
    assert response.status_code == 200
    with running_worker(app):
        assert wait_for(lambda: any(m.to == ["dana@example.com"] for m in mail.outbox))
    notice = next(m for m in mail.outbox if m.to == ["dana@example.com"])
    assert "is now published" in notice.body and "http://testserver/testimonials/withdraw/" in notice.body


@pytest.mark.parametrize("path", [
    f"{API}abc/", f"{API}99999999999999999999999/", f"{API}?location=%00x", f"{API}?therapist=da%00yton",
    f"{API}?location=" + "x" * 300,
    f"{API}?language=e%00n1", f"{API}?flag=a%00-b", f"{API}?status=x%00",
])
def test_odd_input_is_a_4xx_never_a_500(client, world, path):
    response = client.get(path, **auth(world["moderator"]))
    assert response.status_code in (400, 404), response.content


def test_a_nul_byte_in_a_search_is_dropped(client, world):
    response = client.get(f"{API}?search=Zimm%00erman", **auth(world["moderator"]))
    assert [r["id"] for r in response.json()["results"]] == [world["at_dayton"].pk]


def test_a_note_with_a_nul_byte_is_a_400(client, world):
    response = post(client, f"{API}{world['at_edison'].pk}/reject/", world["moderator"],
                    {"expected_status": "in_review", "reason": "spam", "note": "a\x00b"})
    assert response.status_code == 400 and "note" in response.json()
