"""The patient's pages: the form, the thanks page."""
from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .consent import CURRENT_VERSION, consent_text
from .forms import BODY_MAX, TestimonialForm, form_token_issue
from .ratelimit import rate_limit_exceeded
from .services import keyed_hash, origin_hash, testimonial_submit

logger = logging.getLogger(__name__)


@never_cache
def testimonial_new(request: HttpRequest) -> HttpResponse:
    """Show the form (prefilled from ?location=&therapist=) and take a submission."""
    if request.method != "POST":
        initial = {"location": request.GET.get("location", ""), "therapist": request.GET.get("therapist", "")}
        return _render_form(request, TestimonialForm(initial=initial), token=form_token_issue())

    form = TestimonialForm(request.POST)
    if not form.is_valid():
        # Keep the patient's time on the form unless the token itself was the problem.
        token = form_token_issue() if "form_token" in form.errors else request.POST.get("form_token", "")
        return _render_form(request, form, token=token)
    if form.is_bot:
        logger.info("bot-like submission dropped (honeypot or too fast)")
        return redirect("testimonial-thanks")

    data = form.cleaned_data
    ip = client_ip(request)
    if rate_limit_exceeded(scope="ip", key=origin_hash(ip), limit=settings.TESTIMONIAL_RATE_PER_IP) or \
            rate_limit_exceeded(scope="email", key=keyed_hash(data["email"], purpose="testimonial-rate-email"),
                                limit=settings.TESTIMONIAL_RATE_PER_EMAIL):
        form.add_error(None, _("We have received several testimonials from you in the last hour. "
                               "Please try again later; nothing you typed has been lost."))
        return _render_form(request, form, token=request.POST.get("form_token", ""), status=429)

    testimonial_submit(
        location=data["location"], therapist=data["therapist"], rating=data["rating"], body=data["body"],
        condition=data["condition"], first_name=data["first_name"], last_name=data["last_name"],
        email=data["email"], display_as=data["display_as"], consent_version=CURRENT_VERSION,
        language=(get_language() or "en")[:2], ip=ip,
    )
    return redirect("testimonial-thanks")


def client_ip(request: HttpRequest) -> str | None:
    """The patient's address: the proxy's last X-Forwarded-For entry when behind one (spoof-proof)."""
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def testimonial_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/thanks.html")


def _render_form(request: HttpRequest, form: TestimonialForm, *, token: str, status: int = 200) -> HttpResponse:
    therapists = form.therapists_by_location()
    context = {
        "form": form,
        "form_token": token,
        "consent_text": consent_text(version=CURRENT_VERSION),
        "consent_version": CURRENT_VERSION,
        "body_max": BODY_MAX,
        "therapists": therapists,
        "therapist_groups": [(loc, therapists.get(loc.slug, [])) for loc in form.locations if therapists.get(loc.slug)],
    }
    return render(request, "reviews/testimonial_form.html", context, status=status)
