"""The moderation dashboard: figures for the user's clinics only, charts as SVG beside their numbers, CSV
exports of every table and of the testimonials, a bounded number of queries, cached per scope."""
from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation import services
from moderation.dashboard import dashboard_compute
from moderation.models import Flag
from reviews.models import Testimonial
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory, staff_user

pytestmark = pytest.mark.django_db
DASHBOARD = "/admin/dashboard/"


staff = staff_user


def analysed(**kwargs) -> Testimonial:
    testimonial = TestimonialFactory(**kwargs)
    services.testimonial_analyze(testimonial=Testimonial.objects.select_related("location").get(pk=testimonial.pk))
    return Testimonial.objects.get(pk=testimonial.pk)


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def practice():
    woodbridge = LocationFactory(name="Woodbridge", slug="woodbridge")
    edison = LocationFactory(name="Edison", slug="edison")
    brianna = TherapistFactory(first_name="Brianna", last_name="Kowalski", locations=[woodbridge])
    maria = TherapistFactory(first_name="Maria", last_name="Lopez", locations=[edison])
    approved = analysed(location=woodbridge, therapist=brianna, rating=5, last_name="Woodbridgeperson",
                        body="Brianna got my shoulder moving again, wonderful care.")
    services.testimonial_approve(testimonial=approved, actor=None)
    analysed(location=woodbridge, therapist=brianna, rating=4, body="Good visits and a kind front desk team.")
    rejected = analysed(location=edison, therapist=maria, rating=1, last_name="Edisonperson",
                        body="Call me at 732-555-0142 about the billing, it was awful.")
    services.testimonial_reject(testimonial=rejected, actor=None, reason="personal_info")
    Flag.objects.get_or_create(testimonial=rejected, code="pii_phone", start=11, end=23,
                               defaults={"severity": "high", "message": "Phone"})
    return {"woodbridge": woodbridge, "edison": edison}


def test_a_moderator_sees_every_clinics_figures_with_charts_beside_tables(client, practice):
    client.force_login(staff("moderator", "Moderators"))
    response = client.get(DASHBOARD)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart') >= 8
    assert "Woodbridge" in page and "Edison" in page and "Maria Lopez" in page
    assert "Personal or confidential information" in page  # the rejection reason
    assert "pii_phone" in page
    assert "Oldest waiting: <a href=\"/admin/reviews/testimonial/" in page
    assert "<script" not in page.split('id="content-main"')[1]  # pictures, not scripts (the CSP stays strict)


def test_figures_count_what_happened(practice):
    figures = dashboard_compute(user=staff("moderator", "Moderators"))
    this_week = figures.weekly.rows[-1]
    assert this_week[1:] == [3, 1, 1, 1]  # received, approved, rejected, still waiting
    assert figures.waiting.rows[1][:2] == ["In review", 1]
    assert {row[0]: row[1] for row in figures.reasons.rows} == {"Personal or confidential information": 1}
    by_rating = {row[0]: row[1:] for row in figures.approval["rating"].rows}
    assert by_rating["★★★★★"] == [1, 1, 0, 1.0] and by_rating["★"] == [1, 0, 1, 0.0]
    assert {trend.name: trend.average_rating for trend in figures.clinics} == {"Woodbridge": 4.5, "Edison": 1.0}


def test_a_manager_sees_only_their_clinic_on_the_page_and_in_every_csv(client, practice):
    client.force_login(staff("manager", "Clinic managers", practice["woodbridge"]))
    page = client.get(DASHBOARD).content.decode()
    assert "Your clinics: Woodbridge." in page
    assert "Edison" not in page and "Maria Lopez" not in page and "pii_phone" not in page
    for key in ["weekly", "waiting", "monthly", "clinic-trends", "therapist-trends", "flags", "reasons",
                "approval-by-rating", "approval-by-clinic", "approval-by-therapist"]:
        response = client.get(f"{DASHBOARD}{key}.csv")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert "Edison" not in b"".join(response.streaming_content).decode()
    rows = read_csv(client.get(DASHBOARD + "testimonials.csv"))
    assert rows[0][:3] == ["id", "received", "status"]
    assert {row[4] for row in rows[1:]} == {"Woodbridge"} and len(rows) == 3
    assert "Woodbridgeperson" in {row[8] for row in rows[1:]}


def test_the_testimonial_export_cannot_run_a_formula_in_a_spreadsheet(admin_client, practice):
    TestimonialFactory(location=practice["woodbridge"], body='=HYPERLINK("http://evil.example","click")')
    rows = read_csv(admin_client.get(DASHBOARD + "testimonials.csv"))
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in {row[11] for row in rows}


def test_an_unknown_table_is_a_404_and_staff_without_the_view_permission_get_403(client, admin_client):
    assert admin_client.get(DASHBOARD + "nothing.csv").status_code == 404
    client.force_login(get_user_model().objects.create_user("clerk", password="x", is_staff=True))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(DASHBOARD + "testimonials.csv").status_code == 403


def test_the_admin_links_the_dashboard(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert page.count('href="/admin/dashboard/"') >= 2  # the user links and the index


def test_queries_stay_bounded_whatever_the_number_of_testimonials(practice):
    user = staff("moderator", "Moderators")
    dashboard_compute(user=user)  # the user's permissions are loaded once per request
    with CaptureQueriesContext(connection) as few:
        dashboard_compute(user=user)
    for n in range(30):
        analysed(location=practice["edison" if n % 2 else "woodbridge"], rating=1 + n % 5)
    with CaptureQueriesContext(connection) as many:
        dashboard_compute(user=user)
    assert len(many) == len(few) <= 20


def test_figures_are_cached_per_scope(client, practice, settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    manager = staff("manager", "Clinic managers", practice["woodbridge"])
    client.force_login(manager)
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as cached:
        client.get(DASHBOARD)
    assert len(cached) <= 6  # session, user, permissions, scope: no figure recomputed
    other = staff("other", "Clinic managers", practice["edison"])
    client.force_login(other)
    page = client.get(DASHBOARD).content.decode()
    assert "Edison" in page and "Your clinics: Edison." in page and "Maria Lopez" in page


def test_the_testimonial_export_walks_every_chunk_with_each_rows_flags(admin_client, practice, monkeypatch):
    from moderation import dashboard_views

    monkeypatch.setattr(dashboard_views, "EXPORT_CHUNK", 2)
    extra = [TestimonialFactory(location=practice["edison"]).pk for _ in range(3)]
    rows = read_csv(admin_client.get(DASHBOARD + "testimonials.csv"))
    header, body = rows[0], rows[1:]
    assert [int(row[0]) for row in body] == sorted(Testimonial.objects.values_list("pk", flat=True))
    assert set(extra) <= {int(row[0]) for row in body}
    by_name = {row[header.index("last name")]: row for row in body}
    assert "pii_phone" in by_name["Edisonperson"][header.index("flags")].split()
    assert by_name["Edisonperson"][header.index("display name")] == "Stephanie E."
    assert by_name["Woodbridgeperson"][header.index("status")] == "approved"
