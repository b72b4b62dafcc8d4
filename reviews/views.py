"""The patient's pages: the form, the thanks page."""
from __future__ import annotations

import logging
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from moderation.intake import testimonial_quarantine
from moderation.invitations.prefill import invitation_prefill

from .consent import CURRENT_VERSION, PRACTICE_NAME, consent_text
from .forms import BODY_MAX, TestimonialForm, form_token_issue
from .ratelimit import TokenUse, address_is_trusted, client_ip, form_token_claim, rate_limit_exceeded
from .services import keyed_hash, origin_hash, submission_key, testimonial_submit

__all__ = ["client_ip", "testimonial_new", "testimonial_thanks"]

logger = logging.getLogger(__name__)


@never_cache
def testimonial_new(request: HttpRequest) -> HttpResponse:
    """Show the form (prefilled from ?location=&therapist=) and take a submission.

    Nothing a person typed is thrown away: every refusal re-renders the form with the input kept. Bots
    are kept out of the moderators' queue: a honeypot post is stored already rejected as spam."""
    if request.method != "POST":
        initial = {"location": request.GET.get("location", ""), "therapist": request.GET.get("therapist", ""),
                   **invitation_prefill(request.GET.get("invite", ""))}
        return _render_form(request, TestimonialForm(initial=initial), token=form_token_issue())

    form = TestimonialForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form, token=_resend_token())
    if form.too_fast and not form.honeypot_filled:
        # Likely a patient pasting a text written beforehand: ask once, store nothing yet.
        return _render_form(request, form, token=_resend_token(), notice=_(
            "That was quicker than we expected, so please check your entries and send the form again."))

    data = form.cleaned_data
    key = submission_key(email=data["email"], body=data["body"])
    use = form_token_claim(token_id=form.token_id, submission=key, ttl=settings.TESTIMONIAL_MAX_FORM_AGE_SECONDS)
    if use is TokenUse.REPLAYED:
        return _render_form(request, form, token=_resend_token(), notice=_(
            "This form has already been sent once; if this is another testimonial, check it and send it again."))

    ip = client_ip(request)
    # A repeat (double-click, back and send) stores nothing new, so it does not count against the limits.
    if use is TokenUse.FRESH and _rate_limited(ip=ip, email=data["email"]):
        form.add_error(None, _("We have received several testimonials from you in the last hour. "
                               "Please try again later; nothing you typed has been lost."))
        return _render_form(request, form, token=_resend_token(), status=429)

    fields = dict(
        location=data["location"], therapist=data["therapist"], rating=data["rating"], body=data["body"],
        condition=data["condition"], first_name=data["first_name"], last_name=data["last_name"],
        email=data["email"], display_as=data["display_as"], consent_version=CURRENT_VERSION,
        language=(get_language() or "en")[:2], ip=ip, condition_named=form.condition_named,
    )
    if form.honeypot_filled:
        testimonial = testimonial_quarantine(note="The hidden honeypot field was filled in: rejected on arrival.",
                                             **fields)
        logger.info("honeypot submission stored as rejected spam: testimonial %s", testimonial.pk)
    else:
        testimonial_submit(**fields)
    return redirect("testimonial-thanks")


def _rate_limited(*, ip: str | None, email: str) -> bool:
    """Per address (the clinics' own networks exempt: patients at the desk share one) and per email."""
    by_address = not address_is_trusted(ip) and rate_limit_exceeded(
        scope="ip", key=origin_hash(ip), limit=settings.TESTIMONIAL_RATE_PER_IP)
    by_email = rate_limit_exceeded(scope="email", key=keyed_hash(email, purpose="testimonial-rate-email"),
                                   limit=settings.TESTIMONIAL_RATE_PER_EMAIL)
    return by_address or by_email


def _resend_token() -> str:
    """A fresh token for a form shown again after a post: its patient already spent the time filling it
    in once, so it is dated back by the minimum fill time and sending it again at once goes through."""
    return form_token_issue(now=time.time() - settings.TESTIMONIAL_MIN_FILL_SECONDS)


def testimonial_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/thanks.html", {"home_url": settings.SITE_HOME_URL, "practice": PRACTICE_NAME})


def _render_form(request: HttpRequest, form: TestimonialForm, *, token: str, status: int = 200,
                 notice: str = "") -> HttpResponse:
    therapists = form.therapists_by_location()
    context = {
        "form": form,
        "form_token": token,
        "notice": notice,
        "consent_text": consent_text(version=CURRENT_VERSION),
        "consent_version": CURRENT_VERSION,
        "body_max": BODY_MAX,
        # The counter's script groups digits as the server's messages do (2,500; 2 500 in Spanish).
        "thousand_separator": get_format("THOUSAND_SEPARATOR"),
        "therapists": therapists,
        "therapist_groups": [(loc, therapists.get(loc.slug, [])) for loc in form.locations if therapists.get(loc.slug)],
    }
    return render(request, "reviews/testimonial_form.html", context, status=status)
