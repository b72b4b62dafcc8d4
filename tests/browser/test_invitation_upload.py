"""Invitations as staff do it at 1366×768: upload the discharge list, read the per-row report beside the
row numbers, fix the file, upload again and follow the progress."""
from __future__ import annotations

import pytest

from moderation.invitations.models import Invitation, InvitationBatch
from tests.browser.conftest import screenshot_path

pytestmark = pytest.mark.browser
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
HEADER = "name,email,clinic,therapist,discharge_date,language\n"


def test_a_moderator_uploads_a_discharge_list_and_sees_each_problem_by_its_row(open_page, live_server, clinics,
                                                                             django_user_model, tmp_path, settings):
    settings.SITE_URL = live_server.url
    django_user_model.objects.create_superuser("moderator", "m@example.com", "a-long-passphrase-42")
    broken = tmp_path / "discharged.csv"
    broken.write_text(HEADER + "Dana Zimmerman,dana@example.com,dayton,brianna-kowalski,2026-11-20,en\n"
                               "Luis Ortega,luis@,edison,,2026-11-20,es\n"
                               "Ann Lee,ann@example.com,dayton,maria-lopez,2026-11-20,en\n")
    page, _ = open_page(**LAPTOP)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/moderation/invitationbatch/add/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("a-long-passphrase-42")
    page.get_by_role("button", name="Log in").click()
    # when they upload a list with two bad rows
    page.get_by_label("CSV of discharged patients:").set_input_files(str(broken))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_load_state()
    # then each problem stands beside its row number, on screen, and nothing was imported
    assert "Nothing was imported: 2 of 3 rows have problems" in page.locator("#row-report-summary").inner_text()
    rows = page.locator("#row-report tbody tr")
    assert rows.nth(0).locator("td").first.inner_text() == "3"
    assert "email: 'luis@' is not an email address" in rows.nth(0).inner_text()
    assert rows.nth(1).locator("td").first.inner_text() == "4"
    assert "Maria Lopez does not work at Dayton" in rows.nth(1).inner_text()
    box = page.locator("#row-report").bounding_box()
    assert box["y"] + box["height"] <= 768 and box["x"] + box["width"] <= 1366  # readable without scrolling
    page.screenshot(path=screenshot_path("invitation-upload-report.png"))
    assert not InvitationBatch.objects.exists()
    # when they fix the file and upload it again
    fixed = tmp_path / "discharged-fixed.csv"
    fixed.write_text(HEADER + "Dana Zimmerman,dana@example.com,dayton,brianna-kowalski,2026-11-20,en\n"
                              "Luis Ortega,luis@example.com,edison,,2026-11-20,es\n")
    page.get_by_label("CSV of discharged patients:").set_input_files(str(fixed))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_url("**/change/")
    # then the upload's page says what happens to each row
    assert "2 rows imported: 2 invitations are being sent" in page.locator(".messagelist").inner_text()
    assert "0 sent · 2 pending" in page.locator("#content-main").inner_text()
    page.screenshot(path=screenshot_path("invitation-upload-progress.png"), full_page=True)
    assert Invitation.objects.filter(status="pending").count() == 2
