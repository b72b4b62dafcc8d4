"""The patient form: every field cleaned and checked on the server, each problem with its own message."""
from __future__ import annotations

import re
import secrets
import time
import unicodedata
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Location, Testimonial, Therapist

BODY_MIN = 20
TOO_LONG = _("Please keep this to %(limit_value)d characters or fewer.")
BODY_MAX = 2000
RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]

# C0/C1 control characters except tab and newline; NUL included.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORM_SALT = "testimonial-form"


def clean_text(value: str, *, multiline: bool = False) -> str:
    """NFC, no control characters, trimmed; emoji and accents kept. HTML stays text (escaped on output)."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = _CONTROL.sub("", value)
    if multiline:
        return "\n".join(line.rstrip() for line in value.strip().split("\n"))
    return " ".join(value.split())


class FormToken(NamedTuple):
    issued: int  # when the form was shown (seconds since the epoch)
    id: str  # random, so each form shown can be sent once; "" for tokens issued before ids existed


def form_token_issue(now: float | None = None) -> str:
    """A signed timestamp and a random id, put in the form when it is shown."""
    issued = int(now if now is not None else time.time())
    return signing.dumps({"t": issued, "n": secrets.token_urlsafe(12)}, salt=_FORM_SALT)


def form_token_read(token: str) -> FormToken | None:
    """The token's contents, or None if it was tampered with or is missing."""
    try:
        value = signing.loads(token, salt=_FORM_SALT)
    except signing.BadSignature:
        return None
    if isinstance(value, int):  # a form shown before tokens had ids (still open during a deploy)
        return FormToken(issued=value, id="")
    if isinstance(value, dict) and isinstance(value.get("t"), int) and isinstance(value.get("n"), str):
        return FormToken(issued=value["t"], id=value["n"])
    return None


def form_token_age(token: str, now: float | None = None) -> float | None:
    """Seconds since the token was issued, or None if it was tampered with or is missing."""
    read = form_token_read(token)
    return None if read is None else (now if now is not None else time.time()) - read.issued


def thousands(n: int) -> str:
    """A count with the active language's thousands separator (2,500; 2 500 in Spanish)."""
    return number_format(n, force_grouping=True)


class CleanCharField(forms.CharField):
    """A CharField that normalises its text before the length checks run."""

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        kwargs.setdefault("strip", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, multiline=self.multiline) if value else value


class TestimonialForm(forms.Form):
    location = forms.CharField(label=_("Clinic"), max_length=80,
                               error_messages={"required": _("Choose the clinic where you were treated.")})
    therapist = forms.CharField(label=_("Therapist"), max_length=80, required=False)
    rating = forms.TypedChoiceField(
        label=_("Your rating"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5 stars."),
                        "invalid_choice": _("The rating must be between 1 and 5 stars.")},
    )
    # No max_length here: the browser would cut a pasted text without a word. clean_body says how much
    # to shorten instead, and the whole text comes back in the field.
    body = CleanCharField(
        label=_("Your testimonial"), multiline=True, min_length=BODY_MIN,
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={"required": _("Please tell us about your experience."),
                        "min_length": _("Please write at least %(limit_value)d characters "
                                        "(you wrote %(show_value)d).")},
    )
    condition = CleanCharField(label=_("What were you treated for? (optional)"), max_length=120, required=False,
                               error_messages={"max_length": TOO_LONG})
    first_name = CleanCharField(label=_("First name"), max_length=60,
                                error_messages={"required": _("Please enter your first name."),
                                                "max_length": TOO_LONG})
    last_name = CleanCharField(label=_("Last name"), max_length=60,
                               error_messages={"required": _("Please enter your last name "
                                                             "(only its initial is shown)."),
                                               "max_length": TOO_LONG})
    email = forms.EmailField(label=_("Email"), max_length=254,
                             error_messages={"required": _("Please enter your email, so we can send your copy."),
                                             "invalid": _("This does not look like an email address "
                                                          "(name@example.com)."),
                                             "max_length": TOO_LONG})
    display_as = forms.ChoiceField(label=_("Show my testimonial as"), choices=Testimonial.DisplayAs.choices,
                                   initial=Testimonial.DisplayAs.INITIAL, widget=forms.RadioSelect, required=False)
    consent = forms.BooleanField(label=_("I have read and agree to the authorization above."),
                                 error_messages={"required": _("We can only publish your words with your "
                                                               "authorization: please tick the box.")})
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set while cleaning; the view decides what each means (see reviews.views.testimonial_new).
        self.too_fast = False  # sent sooner than a person fills the form in
        self.honeypot_filled = False  # the hidden field a person never sees has text: a bot
        self.token_id = ""
        self.locations = list(Location.objects.filter(is_active=True).order_by("name"))

    # --- fields -----------------------------------------------------------------------------------
    def clean_location(self) -> Location:
        slug = self.cleaned_data["location"]
        location = Location.objects.filter(slug=slug).first()
        if location is None:
            raise forms.ValidationError(_("We do not know that clinic; please choose one from the list."),
                                        code="unknown")
        if not location.is_active:
            raise forms.ValidationError(_("%(clinic)s no longer takes testimonials; please choose another clinic."),
                                        code="inactive", params={"clinic": location.name})
        return location

    def clean_therapist(self) -> Therapist | None:
        slug = self.cleaned_data.get("therapist") or ""
        if not slug:
            return None
        therapist = Therapist.objects.filter(slug=slug).first()
        if therapist is None:
            raise forms.ValidationError(_("We do not know that therapist; choose one from the list or “Not sure”."),
                                        code="unknown")
        if not therapist.is_active:
            raise forms.ValidationError(_("%(name)s no longer works with us; choose another therapist or “Not sure”."),
                                        code="inactive", params={"name": therapist.name})
        return therapist

    def clean_display_as(self) -> str:
        return self.cleaned_data.get("display_as") or Testimonial.DisplayAs.INITIAL

    def clean_email(self) -> str:
        return clean_text(self.cleaned_data["email"]).lower()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if len(body) > BODY_MAX:
            over = len(body) - BODY_MAX
            raise forms.ValidationError(
                ngettext("Your text is %(length)s characters; the limit is %(limit)s. Please shorten it by %(over)s.",
                         "Your text is %(length)s characters; the limit is %(limit)s. Please shorten it by %(over)s.",
                         over),
                code="max_length", params={"length": thousands(len(body)), "limit": thousands(BODY_MAX),
                                           "over": thousands(over)})
        return body

    def clean_form_token(self) -> str:
        token = self.cleaned_data.get("form_token") or ""
        read = form_token_read(token)
        if read is None:
            raise forms.ValidationError(_("This form could not be verified. "
                                          "Please check your entries and send it again."), code="tampered")
        age = time.time() - read.issued
        if age > settings.TESTIMONIAL_MAX_FORM_AGE_SECONDS:
            raise forms.ValidationError(_("This form was open for a long time. "
                                          "Please check your entries and send it again."), code="expired")
        self.too_fast = age < settings.TESTIMONIAL_MIN_FILL_SECONDS
        self.token_id = read.id
        return token

    def clean_website(self) -> str:
        self.honeypot_filled = bool(self.cleaned_data.get("website"))
        return ""

    def clean(self) -> dict:
        data = super().clean()
        location, therapist = data.get("location"), data.get("therapist")
        if location and therapist and not therapist.locations.filter(pk=location.pk).exists():
            self.add_error("therapist", forms.ValidationError(
                _("%(name)s does not work at %(clinic)s; choose a therapist from that clinic or “Not sure”."),
                code="wrong_clinic", params={"name": therapist.name, "clinic": location.name}))
        return data

    @property
    def condition_named(self) -> str | None:
        """The condition the authorization on screen named (consent.js keeps it in step with what is
        typed; without the script it is the one the page was rendered with), or None if not posted."""
        named = self.data.get("consent_condition")
        return None if named is None else clean_text(named)[:120]

    def therapists_by_location(self) -> dict[str, list[dict[str, str]]]:
        """Active therapists per clinic slug, for the script that narrows the list."""
        result: dict[str, list[dict[str, str]]] = {loc.slug: [] for loc in self.locations}
        pairs = Therapist.locations.through.objects.filter(
            therapist__is_active=True, location__is_active=True
        ).select_related("therapist", "location").order_by("therapist__first_name", "therapist__last_name")
        for pair in pairs:
            result.setdefault(pair.location.slug, []).append({"slug": pair.therapist.slug, "name": pair.therapist.name})
        return result
