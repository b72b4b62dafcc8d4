"""Roles, the sign-in lock and the dashboard, as staff meet them on a 1366×768 laptop (issue 8)."""
from __future__ import annotations

import csv
import io
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from playwright.sync_api import expect

from moderation.models import ClinicAssignment
from reviews.models import Testimonial
from tests.factories import TestimonialFactory

from .conftest import screenshot_path

pytestmark = [pytest.mark.browser]
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PASSWORD = "a-long-passphrase-42"


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def role(name: str) -> Group:
    """The role as migration 0006 makes it (a live-server test's database is emptied between tests)."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        for app_label, codename in import_module("moderation.migrations.0006_staff_roles").ROLES[name]:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def staff(django_user_model, name: str, group: str, *clinics):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", PASSWORD, is_staff=True)
    user.groups.add(role(group))
    for clinic in clinics:
        ClinicAssignment.objects.create(user=user, location=clinic)
    return user


def in_review(location, body: str) -> Testimonial:
    testimonial = TestimonialFactory(location=location, body=body)
    Testimonial.objects.filter(pk=testimonial.pk).update(status="in_review")
    return testimonial


def test_five_wrong_passwords_lock_the_sign_in_and_the_right_one_is_refused(open_page, live_server, settings,
                                                                           django_user_model):
    settings.AXES_FAILURE_LIMIT = 5
    django_user_model.objects.create_superuser("moderator", "m@example.com", PASSWORD)
    page, _ = open_page(**LAPTOP)
    for attempt in range(1, 5):
        log_in(page, live_server.url, "moderator", f"wrong-{attempt}")
        expect(page.locator(".errornote")).to_contain_text("correct username and password")
    log_in(page, live_server.url, "moderator", "wrong-5")
    expect(page.get_by_role("heading", name="Sign-in locked")).to_be_visible()
    expect(page.locator(".errornote")).to_contain_text("Too many wrong passwords")
    page.screenshot(path=screenshot_path("admin-login-locked.png"))
    # the right password is refused while the lock lasts
    log_in(page, live_server.url, "moderator", PASSWORD)
    expect(page.get_by_role("heading", name="Sign-in locked")).to_be_visible()
    page.goto(f"{live_server.url}/admin/reviews/testimonial/")
    assert "/admin/login/" in page.url  # not signed in
    # an administrator lifts the lock with axes' own command; then the right password works
    call_command("axes_reset_username", "moderator")
    log_in(page, live_server.url, "moderator", PASSWORD)
    page.wait_for_url("**/admin/")


def test_a_clinic_manager_sees_only_their_clinic_everywhere(open_page, live_server, clinics, django_user_model):
    dayton, edison = clinics["dayton"], clinics["edison"]
    in_review(dayton, "Dayton: Brianna got my knee bending again.")
    theirs = in_review(edison, "Edison: Maria fixed my frozen shoulder.")
    staff(django_user_model, "dayton-manager", "Clinic managers", dayton)
    page, _ = open_page(**LAPTOP)
    log_in(page, live_server.url, "dayton-manager")
    # the queue, also over every status and with a search for the other clinic's words
    page.goto(f"{live_server.url}/admin/reviews/testimonial/?status__exact=all")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Dayton: Brianna")
    page.goto(f"{live_server.url}/admin/reviews/testimonial/?status__exact=all&q=frozen+shoulder")
    expect(page.locator("body")).not_to_contain_text("Edison: Maria")
    # the other clinic's testimonial by its URL: not found, nothing of it shown
    response = page.goto(f"{live_server.url}/admin/reviews/testimonial/{theirs.pk}/change/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("frozen shoulder")
    # the dashboard and its pictures
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url("**/admin/dashboard/")
    expect(page.locator(".dashboard-scope")).to_contain_text("Your clinics: Dayton.")
    expect(page.locator("#content-main")).not_to_contain_text("Edison")
    expect(page.locator("svg.chart-columns")).to_be_visible()
    # the exports: every row is Dayton's
    export = page.request.get(f"{live_server.url}/admin/dashboard/testimonials.csv")
    rows = list(csv.DictReader(io.StringIO(export.text())))
    assert [row["clinic"] for row in rows] == ["Dayton"]
    trends = page.request.get(f"{live_server.url}/admin/dashboard/clinic-trends.csv").text()
    assert "Dayton" in trends and "Edison" not in trends


def test_the_dashboard_renders_the_seeded_practice_with_visible_charts(open_page, live_server, django_user_model):
    call_command("seed_demo", verbosity=0)
    staff(django_user_model, "moderator", "Moderators")
    page, _ = open_page(**LAPTOP)
    log_in(page, live_server.url, "moderator")
    page.goto(f"{live_server.url}/admin/dashboard/")
    expect(page.get_by_role("heading", name="Moderation dashboard")).to_be_visible()
    charts = page.locator("svg.chart:not(.chart-spark)")
    assert charts.count() >= 8
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 20, f"chart {index} is not drawn: {box}"
    expect(page.get_by_role("img", name="Testimonials per week")).to_be_visible()
    # numbers beside the pictures: this week received every seeded testimonial that is not a bot's
    received = Testimonial.objects.exclude(source="honeypot").count()
    weekly = page.locator("table.dashboard-table", has=page.locator("caption", has_text="Per week"))
    expect(weekly.locator("tbody tr").last.locator("td").first).to_have_text(str(received))
    expect(page.locator(".oldest")).to_contain_text("Oldest waiting")
    page.screenshot(path=screenshot_path("moderation-dashboard.png"), full_page=True)
    page.screenshot(path=screenshot_path("moderation-dashboard-fold.png"))  # what 1366×768 shows first
