"""Messages to patients. None carries free text from the form: a stranger can type anything (links
included) into a form with someone else's address, so the emails hold only the first name, the clinic,
what was authorised and the patient's links."""
from __future__ import annotations

import re

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from reviews.models import Testimonial

from .tokens import renewal_token, withdrawal_token

# A first name worth greeting: letters, with at most a few spaces, hyphens or apostrophes between them.
# Anything else (a URL, an address, digits) is text a stranger chose, so the email just says "Hello,".
_NAME = re.compile(r"[^\W\d_]+(?:[ '\u2019-][^\W\d_]+){0,3}")


def greeting_name(first_name: str) -> str:
    """The first name if it looks like one, else "" (the email then greets without it)."""
    name = first_name.strip()
    return name if len(name) <= 40 and _NAME.fullmatch(name) else ""


def _withdraw_url(testimonial: Testimonial) -> str:
    # Reversed in the patient's language (inside translation.override): a Spanish email links to /es/….
    return settings.SITE_URL + reverse("testimonial-withdraw", args=[withdrawal_token(testimonial_id=testimonial.pk)])


def _send(*, testimonial: Testimonial, template: str, **context: object) -> None:
    """Render `template` (+ `_subject`) in the patient's language and send it to them."""
    with translation.override(testimonial.locale):
        context = {"testimonial": testimonial, "greeting_name": greeting_name(testimonial.first_name),
                   "clinic": testimonial.location.name, "withdraw_url": _withdraw_url(testimonial),
                   "privacy_contact": settings.PRIVACY_CONTACT, **context}
        subject = render_to_string(f"moderation/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"moderation/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [testimonial.email])


def confirmation_send(*, testimonial: Testimonial) -> bool:
    """Send the confirmation email once; False if another worker already sent it."""
    # Claim the row first, so a redelivered task cannot send a second copy.
    claimed = Testimonial.objects.filter(pk=testimonial.pk, confirmation_sent_at__isnull=True).update(
        confirmation_sent_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        _send(testimonial=testimonial, template="confirmation",
              expires=timezone.localtime(testimonial.consent_expires_at).date().isoformat())
    except Exception:
        # Release the claim so the retry (or the sweep) sends it.
        Testimonial.objects.filter(pk=testimonial.pk).update(confirmation_sent_at=None)
        raise
    return True


def renewal_reminder_send(*, testimonial: Testimonial) -> bool:
    """Ask the patient to renew an authorization that expires soon (once per authorization)."""
    claimed = Testimonial.objects.filter(
        pk=testimonial.pk, consent_reminder_sent_at__isnull=True, consent_expires_at=testimonial.consent_expires_at,
    ).update(consent_reminder_sent_at=timezone.now())
    if not claimed:
        return False
    try:
        with translation.override(testimonial.locale):
            renew_url = settings.SITE_URL + reverse("testimonial-renew", args=[renewal_token(
                testimonial_id=testimonial.pk, expires_at=testimonial.consent_expires_at)])
        _send(testimonial=testimonial, template="renewal_reminder", renew_url=renew_url,
              expires=timezone.localtime(testimonial.consent_expires_at).date().isoformat())
    except Exception:
        Testimonial.objects.filter(pk=testimonial.pk).update(consent_reminder_sent_at=None)
        raise
    return True


def publication_notice_send(*, testimonial: Testimonial) -> bool:
    """Tell the patient their testimonial is published, with the withdrawal link again (once, ever)."""
    claimed = Testimonial.objects.filter(
        pk=testimonial.pk, publication_notice_sent_at__isnull=True, status=Testimonial.Status.APPROVED,
    ).update(publication_notice_sent_at=timezone.now())
    if not claimed:
        return False
    try:
        _send(testimonial=testimonial, template="published")
    except Exception:
        Testimonial.objects.filter(pk=testimonial.pk).update(publication_notice_sent_at=None)
        raise
    return True
