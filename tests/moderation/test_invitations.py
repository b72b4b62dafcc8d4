"""Invitations (issue 8, item 7): the whole discharge list is asked, once and neutrally, with one
reminder at most; duplicates and opt-outs respected; the upload stored whole or not at all."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from moderation.invitations.models import Invitation, InvitationBatch, InvitationOptOut
from moderation.invitations.sending import invitation_batch_send, invitation_reminders_send
from moderation.invitations.tokens import invitation_token
from moderation.invitations.upload import invitation_batch_create
from moderation.models import ClinicAssignment
from moderation.tasks import send_invitations_task
from tests.conftest import running_worker
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory
from tests.moderation.test_worker import wait_for

HEADER = "name,email,clinic,therapist,discharge_date,language\n"
S = Invitation.Status


@pytest.fixture
def clinics(db):
    dayton, edison = LocationFactory(name="Dayton", slug="dayton"), LocationFactory(name="Edison", slug="edison")
    TherapistFactory(first_name="Brianna", last_name="Kowalski", slug="brianna-kowalski", locations=[dayton])
    TherapistFactory(first_name="Maria", last_name="Lopez", slug="maria-lopez", locations=[edison])
    return {"dayton": dayton, "edison": edison}


def csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def upload(content: bytes, user: User):
    return invitation_batch_create(content=content, filename="discharged.csv", user=user)


def links(body: str) -> list[str]:
    return re.findall(r"http://testserver\S+", body)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://testserver"


def test_every_row_is_checked_and_nothing_is_imported_when_one_is_wrong(clinics, admin_user):
    report = upload(csv(
        "Dana Zimmerman,dana@example.com,dayton,brianna-kowalski,2026-11-20,en",
        "Luis Ortega,not-an-address,dayton,,2026-11-20,es",
        "Ann Lee,ann@example.com,nowhere,,2026-11-20,en",
        "Bo Chan,bo@example.com,dayton,maria-lopez,20/11/2026,fr",
        ",x@example.com,edison,,2999-01-01,en",
    ), admin_user)
    assert report.batch is None and not InvitationBatch.objects.exists() and not Invitation.objects.exists()
    problems = {row.number: row.errors for row in report.error_rows}
    assert set(problems) == {3, 4, 5, 6}
    assert problems[3] == ["email: 'not-an-address' is not an email address"]
    assert problems[4] == ["clinic: no clinic with the slug 'nowhere'"]
    assert problems[5] == ["therapist: Maria Lopez does not work at Dayton",
                           "discharge_date: use YYYY-MM-DD (or MM/DD/YYYY)", "language: en or es"]
    assert problems[6] == ["name: missing", "discharge_date: in the future"]


def test_a_list_with_a_rating_column_is_refused_whole(clinics, admin_user):
    report = upload(b"name,email,clinic,discharge_date,satisfaction\nDana Z,dana@example.com,dayton,2026-11-20,5\n",
                    admin_user)
    assert report.batch is None and "satisfaction" in report.file_errors[0]
    assert "every discharged patient" in report.file_errors[0]


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe\x00n", "not UTF-8"), (b"name,email\nDana,d@example.com\n", "Missing column(s): clinic, discharge_date"),
    (HEADER.encode(), "no patient rows"),
])
def test_a_file_that_is_not_a_discharge_list_says_why(clinics, admin_user, content, message):
    report = upload(content, admin_user)
    assert report.batch is None and message in report.file_errors[0]


def test_a_clinic_manager_invites_for_their_clinics_only(clinics):
    manager = User.objects.create_user("m", "m@clinic.test", "pw", is_staff=True)
    manager.groups.add(Group.objects.get(name="Clinic managers"))
    ClinicAssignment.objects.create(user=manager, location=clinics["dayton"])
    report = upload(csv("Dana Z,dana@example.com,edison,,2026-11-20,en"), manager)
    assert report.error_rows[0].errors == ["clinic: Edison is not one of your clinics"]


def test_duplicates_and_opt_outs_are_kept_as_skipped_rows(clinics, admin_user, settings):
    settings.INVITATION_DUPLICATE_DAYS = 180
    first = upload(csv("Dana Z,dana@example.com,dayton,,2026-11-20,en"), admin_user)
    invitation_batch_send(batch_id=first.batch.pk)
    InvitationOptOut.objects.create(email_hash=__import__("moderation.invitations.opt_out", fromlist=["x"])
                                    .email_hash("OUT@example.com"))
    report = upload(csv("Dana Z,DANA@example.com,dayton,,2026-11-21,en",  # invited last week
                        "Lee Q,lee@example.com,edison,,2026-11-21,en",
                        "Lee Q,lee@example.com,edison,,2026-11-21,en",  # twice in the file
                        "Opt Out,out@example.com,edison,,2026-11-21,en"), admin_user)
    statuses = list(report.batch.invitations.order_by("row_number").values_list("status", flat=True))
    assert statuses == [S.DUPLICATE, S.PENDING, S.DUPLICATE, S.OPTED_OUT]
    mail.outbox.clear()
    invitation_batch_send(batch_id=report.batch.pk)
    assert [m.to for m in mail.outbox] == [["lee@example.com"]]


def test_an_address_invited_long_ago_is_asked_again(clinics, admin_user, settings):
    settings.INVITATION_DUPLICATE_DAYS = 30
    first = upload(csv("Dana Z,dana@example.com,dayton,,2026-01-20,en"), admin_user)
    Invitation.objects.filter(batch=first.batch).update(created_at=timezone.now() - timedelta(days=31))
    report = upload(csv("Dana Z,dana@example.com,dayton,,2026-11-20,en"), admin_user)
    assert report.batch.invitations.get().status == S.PENDING


def test_the_invitation_is_neutral_prefilled_signed_and_can_be_opted_out_of(clinics, admin_user, client):
    report = upload(csv("Dana Zimmerman,dana@example.com,dayton,brianna-kowalski,2026-11-20,en"), admin_user)
    invitation_batch_send(batch_id=report.batch.pk)
    message = mail.outbox[0]
    assert message.subject == "How was your physical therapy at Dayton?"
    assert message.body.startswith("Dear Dana,") and "We ask every patient about their experience, whatever it was" \
        in message.body
    assert not re.search(r"happy|5 stars|five stars|glad you", message.body, re.IGNORECASE)
    form_url, opt_out_url = links(message.body)
    assert form_url.startswith("http://testserver/testimonials/new/?location=dayton&therapist=brianna-kowalski&invite=")
    assert message.extra_headers["List-Unsubscribe"] == f"<{opt_out_url}>"
    # the form opens with the clinic, therapist, name and email filled in
    page = client.get(form_url.removeprefix("http://testserver")).content.decode()
    assert 'value="Dana"' in page and 'value="Zimmerman"' in page and 'value="dana@example.com"' in page
    assert re.search(r'<option value="brianna-kowalski"[^>]*selected', page)
    # a tampered link fills in nothing and the form still works
    page = client.get("/testimonials/new/?location=dayton&invite=" + invitation_token(invitation_id=1) + "x")
    assert page.status_code == 200 and "dana@example.com" not in page.content.decode()
    # the opt-out asks, then records (one click from a mail program too: no CSRF token needed)
    path = opt_out_url.removeprefix("http://testserver")
    assert "Send me no more invitations" in client.get(path).content.decode()
    assert "You will not be asked again" in client.post(path).content.decode()
    assert InvitationOptOut.objects.count() == 1
    assert "dana" not in InvitationOptOut.objects.get().email_hash


def test_a_spanish_invitation_links_to_the_spanish_form(clinics, admin_user):
    report = upload(csv("Luis Ortega,luis@example.com,edison,maria-lopez,2026-11-20,es"), admin_user)
    invitation_batch_send(batch_id=report.batch.pk)
    message = mail.outbox[0]
    assert message.subject == "¿Cómo fue su fisioterapia en Edison?" and "Preguntamos a todos" in message.body
    assert links(message.body)[0].startswith("http://testserver/es/testimonials/new/?location=edison")


def test_an_expired_invitation_link_prefills_nothing(clinics, admin_user, client, settings):
    report = upload(csv("Dana Zimmerman,dana@example.com,dayton,,2026-11-20,en"), admin_user)
    token = invitation_token(invitation_id=report.batch.invitations.get().pk)
    settings.INVITATION_LINK_DAYS = -1
    page = client.get(f"/testimonials/new/?location=dayton&invite={token}").content.decode()
    assert "dana@example.com" not in page


def test_one_reminder_at_most_and_none_after_a_testimonial_or_an_opt_out(clinics, admin_user, settings, client):
    settings.INVITATION_REMINDER_DAYS = 7
    report = upload(csv("A A,a@example.com,dayton,,2026-11-20,en", "B B,b@example.com,dayton,,2026-11-20,en",
                        "C C,c@example.com,dayton,,2026-11-20,en", "D D,d@example.com,dayton,,2026-11-20,en"),
                    admin_user)
    invitation_batch_send(batch_id=report.batch.pk)
    opt_out_c = links(next(m for m in mail.outbox if m.to == ["c@example.com"]).body)[1]
    Invitation.objects.filter(batch=report.batch).exclude(email="d@example.com").update(
        sent_at=timezone.now() - timedelta(days=8))
    TestimonialFactory(location=clinics["dayton"], email="b@example.com")  # B answered
    client.post(opt_out_c.removeprefix("http://testserver"))  # C opted out
    mail.outbox.clear()
    assert invitation_reminders_send() == 1
    assert invitation_reminders_send() == 0  # never a second one
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    assert mail.outbox[0].subject.startswith("A reminder:") and "our only reminder" in mail.outbox[0].body


def test_a_refused_address_is_marked_failed_with_the_reason(clinics, admin_user, settings):
    settings.EMAIL_BACKEND = "tests.moderation.test_invitations.RefusingBackend"
    report = upload(csv("Dana Z,dana@example.com,dayton,,2026-11-20,en"), admin_user)
    invitation_batch_send(batch_id=report.batch.pk)
    invitation = report.batch.invitations.get()
    assert invitation.status == S.FAILED and "mailbox unavailable" in invitation.error and invitation.sent_at is None


class RefusingBackend:
    """A mail server that refuses every recipient (the failure is real, raised by the sending code path)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPRecipientsRefused({"dana@example.com": (550, b"mailbox unavailable")})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["filesystem_broker", "redis_broker"])
def test_an_upload_is_sent_by_a_real_worker_after_the_commit(broker, request, settings):
    settings.SITE_URL = "http://testserver"
    app = request.getfixturevalue(broker)
    dayton = LocationFactory(name="Dayton", slug="dayton")
    admin = User.objects.create_superuser("boss", "boss@clinic.test", "pw")
    assert dayton and send_invitations_task.name == "moderation.tasks.send_invitations_task"
    # the upload queues the sending on commit; queued before the worker starts, as kombu's filesystem
    # transport can read a message file half-written
    report = upload(csv("A A,a@example.com,dayton,,2026-11-20,en", "B B,b@example.com,dayton,,2026-11-20,es"), admin)
    assert Invitation.objects.filter(status=S.PENDING).count() == 2
    with running_worker(app):
        assert wait_for(lambda: Invitation.objects.filter(status=S.SENT).count() == 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]
    assert report.batch.invitations.filter(sent_at__isnull=False).count() == 2


def test_the_admin_upload_shows_each_problem_by_its_row_and_keeps_nothing(clinics, admin_client):
    page = admin_client.post("/admin/moderation/invitationbatch/add/", {"file": SimpleUploadedFile(
        "list.csv", csv("Dana Z,dana@example.com,dayton,,2026-11-20,en", "Bo C,bo@,dayton,,2026-11-20,en"))})
    text = page.content.decode()
    assert page.status_code == 200 and "Nothing was imported: 1 of 2 rows have problems" in text
    assert re.search(r"<td>3</td>.*?email: &#x27;bo@&#x27; is not an email address", text, re.S)
    assert not InvitationBatch.objects.exists()


def test_the_admin_upload_imports_and_shows_progress(clinics, admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        page = admin_client.post("/admin/moderation/invitationbatch/add/", {"file": SimpleUploadedFile(
            "list.csv", csv("Dana Z,dana@example.com,dayton,,2026-11-20,en"))}, follow=True)
    assert len(callbacks) == 1  # the sending is queued once the rows are committed
    batch = InvitationBatch.objects.get()
    assert "1 rows imported: 1 invitations are being sent" in page.content.decode()
    invitation_batch_send(batch_id=batch.pk)
    listing = admin_client.get("/admin/moderation/invitationbatch/").content.decode()
    assert re.search(r'field-sent">1<', listing) and re.search(r'field-pending">0<', listing)
    detail = admin_client.get(f"/admin/moderation/invitationbatch/{batch.pk}/change/").content.decode()
    assert "1 sent · 0 pending" in detail


def test_the_desk_qr_codes_are_svgs_of_the_prefilled_form(clinics, admin_client):
    index = admin_client.get("/admin/moderation/invitationbatch/qr/").content.decode()
    assert "http://testserver/testimonials/new/?location=dayton" in index
    svg = admin_client.get("/admin/moderation/invitationbatch/qr/dayton/brianna-kowalski.svg")
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.lstrip().startswith(b"<?xml")
    assert b"<svg" in svg.content and "brianna-kowalski" in svg["Content-Disposition"]
    assert admin_client.get("/admin/moderation/invitationbatch/qr/dayton/maria-lopez.svg").status_code == 404


def test_the_qr_code_encodes_the_prefilled_form_link(clinics):
    import io

    import segno

    from moderation.invitations.qr import qr_svg

    # the matrix is segno's for exactly this link (segno is deterministic), titled for the desk
    expected = io.BytesIO()
    segno.make("http://testserver/testimonials/new/?location=dayton", error="m", micro=False).save(
        expected, kind="svg", scale=10, border=4, title="Testimonial form – Dayton")
    assert qr_svg(location=clinics["dayton"]) == expected.getvalue()
    assert qr_svg(location=clinics["edison"]) != expected.getvalue()


def test_a_clinic_manager_gets_their_clinics_qr_codes_only(clinics, client):
    manager = User.objects.create_user("m", "m@clinic.test", "pw", is_staff=True)
    manager.groups.add(Group.objects.get(name="Clinic managers"))
    ClinicAssignment.objects.create(user=manager, location=clinics["dayton"])
    client.force_login(manager)
    index = client.get("/admin/moderation/invitationbatch/qr/").content.decode()
    assert "dayton.svg" in index and "edison.svg" not in index
    assert client.get("/admin/moderation/invitationbatch/qr/dayton.svg").status_code == 200
    assert client.get("/admin/moderation/invitationbatch/qr/edison.svg").status_code == 404
    assert client.get("/admin/moderation/invitationbatch/qr/edison/maria-lopez.svg").status_code == 404


def test_the_upload_list_links_to_the_qr_codes(admin_client, clinics):
    page = admin_client.get("/admin/moderation/invitationbatch/").content.decode()
    assert "/admin/moderation/invitationbatch/qr/" in page


@pytest.mark.django_db(transaction=True)
def test_an_upload_with_the_broker_down_is_stored_and_sent_by_the_periodic_task(settings):
    from django.test.utils import override_settings

    from tests.conftest import celery_broker

    settings.SITE_URL = "http://testserver"
    LocationFactory(name="Dayton", slug="dayton")
    admin = User.objects.create_superuser("boss", "boss@clinic.test", "pw")
    with celery_broker("redis://127.0.0.1:1/0", {"socket_connect_timeout": 0.2}):
        report = upload(csv("A A,a@example.com,dayton,,2026-11-20,en"), admin)
    assert report.batch.invitations.get().status == S.PENDING and mail.outbox == []
    # ten minutes later, the hourly task sends what was left pending
    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    with override_settings(INVITATION_REMINDER_DAYS=0):
        invitation_reminders_send()
    assert report.batch.invitations.get().status == S.SENT and [m.to for m in mail.outbox] == [["a@example.com"]]


def test_a_file_over_the_size_limit_is_refused_with_a_message(admin_client, clinics):
    from moderation.invitations.upload import MAX_BYTES

    big = HEADER.encode() + b"x" * MAX_BYTES
    page = admin_client.post("/admin/moderation/invitationbatch/add/", {"file": SimpleUploadedFile("big.csv", big)})
    assert "larger than 2 MB" in page.content.decode() and not InvitationBatch.objects.exists()
