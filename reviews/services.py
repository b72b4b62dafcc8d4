"""Writes on the patient's side: a submission, stored safely before anything else happens."""
from __future__ import annotations

import unicodedata
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from moderation.queue import submission_enqueue

from .consent import CONDITION_NAMED_FROM_VERSION, CURRENT_VERSION, consent_expiry, consent_text
from .feed_cache import feed_cache_bump
from .models import Authorization, Location, Testimonial, Therapist


def keyed_hash(value: str, *, purpose: str) -> str:
    """A keyed hash of private data: equal inputs match, nobody can read the value back."""
    return salted_hmac(purpose, value, algorithm="sha256").hexdigest()


def origin_hash(ip: str | None) -> str:
    """The network origin as stored and rate-limited: never the raw IP."""
    return keyed_hash(ip, purpose="testimonial-origin") if ip else ""


def submission_key(*, email: str, body: str) -> str:
    """The same email with the same words always gives the same key (one row per submission)."""
    words = " ".join(unicodedata.normalize("NFKC", body).casefold().split())
    return keyed_hash(f"{email.strip().casefold()}\n{words}", purpose="testimonial-submission")


def testimonial_submit(
    *,
    location: Location,
    therapist: Therapist | None,
    rating: int,
    body: str,
    condition: str,
    first_name: str,
    last_name: str,
    email: str,
    display_as: str = Testimonial.DisplayAs.INITIAL,
    consent_version: int = CURRENT_VERSION,
    language: str = "en",
    ip: str | None = None,
    source: str = Testimonial.Source.FORM,
    consented_at: datetime | None = None,
    consent_text_given: str | None = None,
    condition_named: str | None = None,
    enqueue: bool = True,
) -> tuple[Testimonial, bool]:
    """Store a validated submission as pending and enqueue its analysis after commit; (row, created).

    Imports pass the authorization on file (`consented_at`, `consent_text_given`); the form's patients
    accept the current text now and get a confirmation email. `condition_named` is the condition the
    text on the patient's screen named (the form's script keeps it in step with what they type); the
    stored text is that one, and the condition is publishable only if it is the one stored."""
    now = timezone.now()
    consented_at = consented_at or now
    named = condition if condition_named is None else condition_named
    key = submission_key(email=email, body=body)
    existing = Testimonial.objects.filter(submission_key=key).first()
    if existing is not None:
        return existing, False
    testimonial = Testimonial(
        location=location,
        therapist=therapist,
        rating=rating,
        body=body,
        condition=condition,
        first_name=first_name,
        last_name=last_name,
        email=email,
        display_as=display_as,
        consent_text=consent_text_given or consent_text(version=consent_version, given_at=now, language=language,
                                                        condition=named),
        condition_authorized=bool(condition) and named == condition and consent_version >= CONDITION_NAMED_FROM_VERSION,
        consent_version=consent_version,
        consented_at=consented_at,
        consent_expires_at=consent_expiry(given_at=consented_at),
        source=source,
        origin_hash=origin_hash(ip),
        locale=language,
        submission_key=key,
    )
    try:
        with transaction.atomic():
            testimonial.save()
            Authorization.objects.create(
                testimonial=testimonial, version=consent_version, text=testimonial.consent_text, language=language,
                given_at=consented_at, expires_at=testimonial.consent_expires_at,
                source={Testimonial.Source.IMPORT: Authorization.Source.IMPORT,
                        Testimonial.Source.DEMO: Authorization.Source.DEMO}.get(source, Authorization.Source.FORM))
            # The public counts include what was received: cached pages must show the new total
            # (a bot's catch is not counted, so it changes nothing public).
            if source != Testimonial.Source.HONEYPOT:
                transaction.on_commit(feed_cache_bump)
            if enqueue:
                # Analysis and confirmation email in one attempt: a broker outage costs one timeout.
                confirm = source == Testimonial.Source.FORM
                transaction.on_commit(lambda: submission_enqueue(testimonial_id=testimonial.pk, confirm=confirm))
    except IntegrityError:
        # A double-click raced us between the lookup and the insert: the other request's row stands.
        existing = Testimonial.objects.filter(submission_key=key).first()
        if existing is None:
            raise
        return existing, False
    return testimonial, True
