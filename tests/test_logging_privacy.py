"""Logs carry no email, name, text, IP or token: the redacting filter as a safety net under every line
(application, Django, Celery, gunicorn), email that is never printed outside `make run`, and an access log
without client addresses, query strings or withdrawal tokens."""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core import mail

from config.log_redaction import redact
from moderation.tokens import withdrawal_token

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("line, kept, gone", [
    ("sent to dana.z+pt@example.co.uk ok", "sent to [email] ok", "dana.z"),
    ("SMTPRecipientsRefused({'<bob@mail.example>': (550, b'no')})", "[email]", "bob@"),
    ("Not Found: /testimonials/withdraw/MTIz:1vZ9Qx:abcDEF_-/", "/testimonials/withdraw/[token]/", "abcDEF"),
    ("GET https://t.example/es/testimonials/renew/WzEsMl0:1v:sig/ 200", "/es/testimonials/renew/[token]/", "sig"),
    ("client 203.0.113.77 via 10.0.0.1", "client [ip] via [ip]", "203.0"),
    ("from 2001:db8::42 and ::ffff:192.0.2.1", "from [ip] and [ip]", "db8"),
    ("at 18:41:46 took 1.2.3 ms, version 5.2.19", "at 18:41:46 took 1.2.3 ms, version 5.2.19", "[ip]"),
    ("testimonial 42 analysed", "testimonial 42 analysed", "[email]"),
])
def test_redaction_removes_emails_tokens_and_addresses_and_keeps_the_rest(line, kept, gone):
    assert kept in redact(line) and gone not in redact(line)


def test_every_line_of_the_configured_handler_is_redacted_also_arguments_and_tracebacks(production_log):
    token = withdrawal_token(testimonial_id=7)
    log = logging.getLogger("some.library")
    log.info("mail to %s from %s", "dana@example.com", "198.51.100.23")
    log.warning("Not Found: /testimonials/withdraw/%s/", token)
    try:
        raise ValueError("refused: dana@example.com")
    except ValueError:
        log.exception("delivery failed")
    written = production_log.getvalue()
    assert "mail to [email] from [ip]" in written and "/testimonials/withdraw/[token]/" in written
    assert "ValueError: refused: [email]" in written
    assert "dana@" not in written and "198.51" not in written and token not in written


def _settings_value(name: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_DEBUG"))}
    environment.update(DJANGO_SECRET_KEY="test-only-key", **env)
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run([sys.executable, "-c", code], env=environment,
                          cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def test_production_email_is_smtp_and_the_console_only_prints_with_debug_on():
    assert _settings_value("EMAIL_BACKEND", DJANGO_DEBUG="0") == "django.core.mail.backends.smtp.EmailBackend"
    assert _settings_value("EMAIL_BACKEND", DJANGO_DEBUG="1") == "django.core.mail.backends.console.EmailBackend"
    # a console setting in production (an old compose file) prints nothing of the message
    withheld = _settings_value("EMAIL_BACKEND", DJANGO_DEBUG="0",
                               EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    assert withheld == "config.mail.WithheldConsoleBackend"


def test_the_withheld_console_backend_prints_nothing_of_the_message(capfd, production_log):
    with mail.get_connection("config.mail.WithheldConsoleBackend") as connection:
        sent = mail.send_mail("Thank you, Dana", "Dana Zimmerman: withdraw at /testimonials/withdraw/abc:def/",
                              "testimonials@example.com", ["dana@example.com"], connection=connection)
    out, err = capfd.readouterr()
    written = out + err + production_log.getvalue()
    assert sent == 0 and "an email was not sent" in written
    for private in ("Dana", "Zimmerman", "dana@", "abc:def"):
        assert private not in written


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_the_worker_log_in_production_shape_holds_none_of_the_patients_data(client, settings, filesystem_broker,
                                                                           capfd, production_log):
    from reviews.models import Testimonial
    from tests.conftest import running_worker
    from tests.factories import LocationFactory
    from tests.reviews.conftest import form_token

    # given production settings: debug off, the email backend a console setting resolves to
    settings.DEBUG, settings.EMAIL_BACKEND = False, "config.mail.WithheldConsoleBackend"
    settings.TESTIMONIAL_MIN_FILL_SECONDS = 0
    LocationFactory(name="Dayton", slug="dayton")
    page = client.get("/testimonials/new/").content.decode()
    # when a patient submits and a real worker analyses it and handles the confirmation
    with running_worker(filesystem_broker):
        response = client.post("/testimonials/new/", {
            "location": "dayton", "rating": "5", "consent": "on", "first_name": "Quillon", "last_name": "Vexmoor",
            "body": "Quillon's knee, Vexmoor family: back to running in eight weeks, thank you all!",
            "email": "quillon.vexmoor@example.com", "form_token": form_token(page)},
            REMOTE_ADDR="198.51.100.201")
        assert response.status_code == 302
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Testimonial.objects.filter(status="pending").exists():
            time.sleep(0.2)
    # then neither the log nor anything printed names the patient, their words, address or link
    out, err = capfd.readouterr()
    written = out + err + production_log.getvalue()
    assert Testimonial.objects.get().status == "in_review" and "analysed" in written
    for private in ("Quillon", "Vexmoor", "quillon.vexmoor@", "back to running", "198.51.100.201",
                    withdrawal_token(testimonial_id=Testimonial.objects.get().pk)):
        assert private not in written


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorns_access_log_has_no_client_address_query_string_or_token(tmp_path):
    port = _free_port()
    env = {**os.environ, "DJANGO_SECRET_KEY": "test-only-key", "DJANGO_DEBUG": "0", "VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "STATIC_MANIFEST": "0"}
    env.pop("REDIS_URL", None)
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", "config/gunicorn.py",
                               "--bind", f"127.0.0.1:{port}", "--workers", "1", "config.wsgi:application"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    token = withdrawal_token(testimonial_id=12345)
    try:
        for _ in range(100):  # until it listens (bounded)
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/embed.js", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        for path in (f"/testimonials/withdraw/{token}/?email=dana@example.com",
                     f"/es/testimonials/withdraw/{token}/", "/embed.js?secret=dana@example.com"):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={
                "X-Forwarded-For": "203.0.113.99", "Referer": f"https://mail.example/?to=dana@example.com&t={token}",
                "User-Agent": "Dana's phone"})
            try:
                urllib.request.urlopen(request, timeout=10).read()
            except urllib.error.HTTPError:
                pass
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    written = (tmp_path / "gunicorn.log").read_text()
    assert '"GET /testimonials/withdraw/[token]/ HTTP/1.1"' in written, written
    assert '"GET /es/testimonials/withdraw/[token]/ HTTP/1.1"' in written and '"GET /embed.js HTTP/1.1" 200' in written
    for private in (token, "dana@", "secret=", "203.0.113.99", "127.0.0.1 ", "Dana's phone", "mail.example"):
        assert private not in written, private
