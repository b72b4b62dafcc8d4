"""Nothing private on any public URL, nor in the INFO logs: unique markers planted in every private field —
email, last name, network origin, moderator notes, the unredacted original, flags' messages, the words
and condition of anything not published, the first name of an anonymous one, the derived hashes — of
many testimonials in every state (hypothesis draws the mix), then every public page read and searched
(bodies and headers) for each marker."""
from __future__ import annotations

import itertools
import logging
import secrets

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from moderation import analysis_store, intake, services
from moderation.models import Flag
from reviews import services as intake_services
from reviews.models import Location, Testimonial, Therapist
from tests.hostile.conftest import PROFILE

pytestmark = pytest.mark.django_db

KINDS = ["pending", "in_review", "approved", "approved_redacted", "approved_anonymous", "rejected", "taken_down",
         "reopened", "withdrawn", "withdrawn_after_publication", "honeypot"]
SPECS = st.lists(st.tuples(st.sampled_from(KINDS), st.booleans(), st.sampled_from(["en", "es"])),
                 min_size=len(KINDS) // 2, max_size=len(KINDS))
_serial = itertools.count(1)


def marker() -> str:
    return f"mk{secrets.token_hex(6)}"


def plant(kind: str, with_therapist: bool, language: str, *, admin) -> tuple[Testimonial, list[str]]:
    """One testimonial in state `kind`, with a fresh marker in every field the public must never see."""
    private = {name: marker() for name in ("last", "email", "note", "flag", "original", "body", "condition", "first",
                                           "reopen")}
    published = kind.startswith("approved")
    location = Location.objects.order_by("?").first()
    therapist = Therapist.objects.filter(locations=location).first() if with_therapist else None
    body = (f"My shoulder was frozen for months. After six weeks here I lift my grandson again; "
            f"thank you to the whole team. {private['original']} ")
    fields = dict(
        location=location, therapist=therapist, rating=5 if published else 2, body=body,
        condition=f"shoulder {private['condition']}" if not published else "frozen shoulder",
        first_name=f"Ana{private['first']}" if kind in ("approved_anonymous",) or not published else "Ana",
        last_name=f"Q{private['last']}", email=f"{private['email']}@example.com", language=language,
        display_as="anonymous" if kind == "approved_anonymous" else "initial",
        ip=f"2001:db8:{next(_serial) % 65536:x}::{secrets.token_hex(2)}")
    if kind == "honeypot":
        row = intake.testimonial_quarantine(note=f"honeypot {private['note']}", **fields)
    else:
        row, _ = intake_services.testimonial_submit(**fields, enqueue=False)
    if kind not in ("pending", "honeypot"):
        analysis_store.testimonial_analyze(testimonial=row)  # as the worker does: flags, sentences, outcome claims
        Flag.objects.create(testimonial=row, code="pii_name", severity="low", message=f"Name {private['flag']}")
        row.refresh_from_db()
    if published or kind in ("taken_down", "withdrawn_after_publication"):
        services.testimonial_approve(testimonial=row, actor=admin, confirm_flags=True, note=f"ok {private['note']}")
    if kind == "approved_redacted":  # the original (with its marker) is kept, privately
        services.testimonial_redact(testimonial=row, body=body.replace(private["original"], "[removed]"), actor=admin)
    if kind in ("rejected", "taken_down", "reopened"):
        services.testimonial_reject(testimonial=row, actor=admin, reason="personal_info", note=f"pii {private['note']}")
    if kind == "reopened":
        services.testimonial_reopen(testimonial=row, actor=admin, note=f"again {private['reopen']}")
    if kind.startswith("withdrawn"):
        services.testimonial_withdraw(testimonial=row)
    row.refresh_from_db()
    secrets_of_row = [v for k, v in private.items() if not (published and k in ("body",))]
    if published and kind != "approved_redacted":
        secrets_of_row.remove(private["original"])  # the published words are public
    if published and kind != "approved_anonymous":
        secrets_of_row.remove(private["first"])
    if published:
        secrets_of_row.remove(private["condition"])
    return row, secrets_of_row + [row.origin_hash, row.submission_key] + ([row.fingerprint] if row.fingerprint else [])


def public_urls(rows: list[Testimonial]) -> list[str]:
    locations = sorted({row.location.slug for row in rows})
    therapists = sorted({row.therapist.slug for row in rows if row.therapist})
    urls = ["/api/v1/testimonials/?page_size=100", "/api/v1/testimonials/?min_rating=1&page_size=100",
            "/api/v1/locations/", "/api/v1/therapists/", "/api/v1/stats/", "/api/v1/tags/",
            "/feeds/testimonials.atom", "/embed.js", "/api/v1/schema/?format=json", "/api/v1/schema/",
            "/api/v1/docs/", "/testimonials/new/", "/es/testimonials/new/", "/testimonials/thanks/", "/healthz"]
    urls += [f"/api/v1/testimonials/{row.pk}/" for row in rows]
    for slug in locations:
        urls += [f"/api/v1/testimonials/?location={slug}", f"/api/v1/locations/{slug}/",
                 f"/api/v1/stats/?location={slug}",
                 f"/feeds/testimonials.atom?location={slug}", f"/testimonials/new/?location={slug}",
                 f"/api/v1/therapists/?location={slug}"]
    for slug in therapists:
        urls += [f"/api/v1/testimonials/?therapist={slug}", f"/api/v1/therapists/{slug}/",
                 f"/feeds/testimonials.atom?therapist={slug}"]
    return urls


@pytest.fixture
def practice(db, admin_user):
    call_command("seed_demo", verbosity=0)  # the 23 clinics, their therapists, testimonials in every state
    return admin_user


@hypothesis_settings(max_examples={"dev": 4, "ci": 20}.get(PROFILE, 60))
@given(specs=SPECS)
def test_no_private_marker_reaches_a_public_url_or_the_info_log(client, practice, caplog, production_log, specs):
    caplog.set_level(logging.INFO)
    planted = [plant(kind, with_therapist, language, admin=practice) for kind, with_therapist, language in specs]
    rows = [row for row, _ in planted]
    markers = [m for _, found in planted for m in found]
    assert {row.status for row, (kind, *_) in zip(rows, specs, strict=True)} <= set(Testimonial.Status.values)

    for url in public_urls(rows):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        seen = (response.content.decode() + "\n" + "\n".join(f"{k}: {v}" for k, v in response.items()))
        leaked = [m for m in markers if m in seen]
        assert not leaked, (url, leaked)
    published = [row for row in rows if row.status == "approved"]
    for row in published:  # and what is public is really there (the search would find a marker)
        assert client.get(f"/api/v1/testimonials/{row.pk}/").status_code == 200

    raw = "\n".join(record.getMessage() for record in caplog.records if record.levelno >= logging.INFO)
    written = production_log.getvalue()
    for m in markers:
        assert m not in raw and m not in written, m
