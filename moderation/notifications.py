"""Messages to patients."""
from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from reviews.models import Testimonial

from .tokens import withdrawal_token


def confirmation_send(*, testimonial: Testimonial) -> bool:
    """Send the confirmation email once; False if another worker already sent it."""
    # Claim the row first, so a redelivered task cannot send a second copy.
    claimed = Testimonial.objects.filter(pk=testimonial.pk, confirmation_sent_at__isnull=True).update(
        confirmation_sent_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        with translation.override(testimonial.locale):
            # Reversed in the patient's language: a Spanish email links to the Spanish page (/es/…).
            link = settings.SITE_URL + reverse("testimonial-withdraw",
                                               args=[withdrawal_token(testimonial_id=testimonial.pk)])
            context = {"testimonial": testimonial, "withdraw_url": link}
            subject = render_to_string("moderation/email/confirmation_subject.txt", context).strip()
            body = render_to_string("moderation/email/confirmation.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [testimonial.email])
    except Exception:
        # Release the claim so the retry (or the sweep) sends it.
        Testimonial.objects.filter(pk=testimonial.pk).update(confirmation_sent_at=None)
        raise
    return True
