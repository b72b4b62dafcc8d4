"""The authorization patients accept, by version.

Each text carries the elements of 45 CFR 164.508(c): what is disclosed, by whom, to whom, for what
purpose, until when, the right to revoke and how, that treatment does not depend on it, and that what
is published may be seen and repeated by anyone. A published version is never edited: a change is a
new version number (tests pin each version's hash). The exact text shown, with its dates filled in,
is stored with every testimonial.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation

CURRENT_VERSION = 1

_TEXTS: dict[int, dict[str, str]] = {
    1: {
        "en": (
            "I authorize {practice} to use and publish the testimonial I am submitting: my words, my "
            "first name and last initial (or, if I choose, only \u201ca patient at\u201d the clinic), the clinic "
            "I attended and the therapist I name. It may be shown to the public on the practice's website "
            "and in its marketing, for the purpose of telling others about the practice's care. This "
            "authorization expires on {expires}. I may revoke it at any time by using the withdrawal link "
            "in my confirmation email or by writing to the practice; revocation stops future use but not "
            "use already made. My treatment, payment, enrollment and eligibility for benefits do not "
            "depend on whether I sign. Once published, my testimonial may be seen and repeated by others "
            "and is no longer protected by federal privacy law. I am entitled to a copy of this "
            "authorization, which is sent to my email address."
        ),
        "es": (
            "Autorizo a {practice} a usar y publicar el testimonio que envío: mis palabras, mi nombre y "
            "la inicial de mi apellido (o, si así lo elijo, solo \u201cun paciente de\u201d la clínica), la "
            "clínica a la que asistí y el terapeuta que nombro. Podrá mostrarse al público en el sitio web "
            "de la práctica y en su publicidad, con el fin de dar a conocer la atención de la práctica. "
            "Esta autorización vence el {expires}. Puedo revocarla en cualquier momento con el enlace de "
            "retiro de mi correo de confirmación o por escrito a la práctica; la revocación detiene el uso "
            "futuro pero no el ya realizado. Mi tratamiento, pago, inscripción y elegibilidad para "
            "beneficios no dependen de que firme. Una vez publicado, mi testimonio puede ser visto y "
            "repetido por otros y deja de estar protegido por la ley federal de privacidad. Tengo derecho "
            "a una copia de esta autorización, que se envía a mi correo electrónico."
        ),
    },
}

PRACTICE_NAME = "Twin Boro Physical Therapy"


def consent_expiry(*, given_at: dt.datetime) -> dt.datetime:
    """When an authorization given at `given_at` expires."""
    try:
        return given_at.replace(year=given_at.year + settings.CONSENT_VALID_YEARS)
    except ValueError:  # 29 February
        return given_at.replace(year=given_at.year + settings.CONSENT_VALID_YEARS, day=28)


def consent_text(*, version: int = CURRENT_VERSION, given_at: dt.datetime | None = None,
                 language: str | None = None) -> str:
    """The authorization text of `version`, in `language` (the active one by default), dates filled in."""
    given_at = given_at or timezone.now()
    lang = (language or translation.get_language() or "en")[:2]
    texts = _TEXTS[version]
    expires = timezone.localtime(consent_expiry(given_at=given_at)).date().isoformat()
    return texts.get(lang, texts["en"]).format(practice=PRACTICE_NAME, expires=expires)


def consent_template(*, version: int, language: str) -> str:
    """The unfilled template (for the tests that pin published versions)."""
    return _TEXTS[version][language]
