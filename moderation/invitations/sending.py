"""Sending invitations and their single reminder. The message is the same for every patient (no rating
exists at this point, and none is ever asked for): neutral, in the patient's language, with a prefilled
signed link to the form and a one-click opt-out."""
from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from reviews.models import Testimonial

from ..notifications import greeting_name
from .models import Invitation
from .opt_out import is_opted_out
from .tokens import invitation_token, opt_out_token

logger = logging.getLogger(__name__)
S = Invitation.Status


def form_link(*, location_slug: str, therapist_slug: str = "", language: str = "en", invite: str = "") -> str:
    """The patient form, clinic and therapist chosen (and, from an invitation, name and email filled in)."""
    with translation.override(language):
        path = reverse("testimonial-new")
    query = {"location": location_slug, **({"therapist": therapist_slug} if therapist_slug else {}),
             **({"invite": invite} if invite else {})}
    return f"{settings.SITE_URL}{path}?{urlencode(query)}"


def _message(invitation: Invitation, *, reminder: bool) -> EmailMessage:
    with translation.override(invitation.language):
        opt_out_path = reverse("invitation-opt-out", args=[opt_out_token(invitation_id=invitation.pk)])
        opt_out_url = settings.SITE_URL + opt_out_path
    context = {
        "greeting_name": greeting_name(invitation.first_name), "clinic": invitation.location.name,
        "therapist": invitation.therapist.name if invitation.therapist else "", "reminder": reminder,
        "form_url": form_link(location_slug=invitation.location.slug,
                              therapist_slug=invitation.therapist.slug if invitation.therapist else "",
                              language=invitation.language, invite=invitation_token(invitation_id=invitation.pk)),
        "opt_out_url": opt_out_url,
    }
    template = f"moderation/email/invitation_{invitation.language}"
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    # RFC 8058: mail programs show an "unsubscribe" button that POSTs to the link, no page needed.
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email], headers={
        "List-Unsubscribe": f"<{opt_out_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def invitation_send(*, invitation: Invitation) -> str:
    """Send one pending invitation (once: the row is claimed first); returns the status it ends in."""
    if is_opted_out(invitation.email):
        Invitation.objects.filter(pk=invitation.pk, status=S.PENDING).update(status=S.OPTED_OUT)
        return S.OPTED_OUT
    claimed = Invitation.objects.filter(pk=invitation.pk, status=S.PENDING).update(status=S.SENT,
                                                                                  sent_at=timezone.now())
    if not claimed:
        return Invitation.objects.filter(pk=invitation.pk).values_list("status", flat=True).first() or ""
    try:
        _message(invitation, reminder=False).send()
    except Exception as error:  # the mail server's refusal, kept short for the admin's report
        Invitation.objects.filter(pk=invitation.pk).update(status=S.FAILED, sent_at=None,
                                                           error=f"{type(error).__name__}: {error}"[:200])
        logger.warning("invitation %s could not be sent", invitation.pk, exc_info=True)
        return S.FAILED
    return S.SENT


def invitation_batch_send(*, batch_id: int) -> int:
    """Send every invitation of an upload still waiting; returns how many went out."""
    sent = 0
    pending = Invitation.objects.select_related("location", "therapist").filter(batch_id=batch_id, status=S.PENDING)
    for invitation in pending.order_by("row_number").iterator(chunk_size=200):
        sent += invitation_send(invitation=invitation) == S.SENT
    logger.info("invitation upload %s: %d sent", batch_id, sent)
    return sent


def invitations_due_reminder():
    """Sent at least INVITATION_REMINDER_DAYS ago, never reminded, and no testimonial from the address since."""
    cutoff = timezone.now() - timedelta(days=settings.INVITATION_REMINDER_DAYS)
    answered = Testimonial.objects.filter(email__iexact=OuterRef("email"), created_at__gte=OuterRef("sent_at"))
    return (Invitation.objects.select_related("location", "therapist")
            .filter(status=S.SENT, reminder_sent_at__isnull=True, sent_at__lte=cutoff)
            .exclude(Exists(answered)))


def invitation_reminders_send() -> int:
    """At most one reminder per invitation; returns how many went out. Also sends invitations left
    pending for ten minutes (the broker was down when they were uploaded)."""
    stale = timezone.now() - timedelta(minutes=10)
    for batch_id in set(Invitation.objects.filter(status=S.PENDING, created_at__lt=stale)
                        .values_list("batch_id", flat=True)):
        invitation_batch_send(batch_id=batch_id)
    if settings.INVITATION_REMINDER_DAYS <= 0:
        return 0
    sent = 0
    for invitation in invitations_due_reminder().iterator(chunk_size=200):
        if is_opted_out(invitation.email):
            continue
        claimed = Invitation.objects.filter(pk=invitation.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now())
        if not claimed:
            continue
        try:
            _message(invitation, reminder=True).send()
        except Exception:
            Invitation.objects.filter(pk=invitation.pk).update(reminder_sent_at=None)  # tried again next run
            logger.warning("reminder for invitation %s could not be sent", invitation.pk, exc_info=True)
            continue
        sent += 1
    if sent:
        logger.info("%d invitation reminders sent", sent)
    return sent
