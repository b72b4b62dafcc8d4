"""The authorization patients accept, by version.

Each text carries the elements of 45 CFR 164.508(c): what is disclosed, by whom, to whom, for what
purpose, until when, the right to revoke and how, that treatment does not depend on it, and that what
is published may be seen and repeated by anyone. A published version is never edited: a change is a
new version number (tests pin each version's hash). The exact text shown, with its dates filled in,
is stored with every testimonial.
"""
from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone, translation

CURRENT_VERSION = 2
# The first version whose text names the condition the patient typed: older ones never publish it.
CONDITION_NAMED_FROM_VERSION = 2

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
    # Version 2 names what is disclosed exactly, including the condition the patient typed (the
    # {condition} clause, empty when they typed none), and where to revoke in writing ({contact}).
    2: {
        "en": (
            "I authorize {practice} to use and publish the testimonial I am submitting. What will be "
            "disclosed: my words (after the practice removes any personal details from them){condition}, my "
            "first name and last initial (or, if I choose, only \u201ca patient at\u201d the clinic), the clinic I "
            "attended and the therapist I name. It may be shown to the public on the practice's website and in "
            "its marketing, for the purpose of telling others about the practice's care. This authorization "
            "expires on {expires}. I may revoke it at any time by using the withdrawal link in my confirmation "
            "email or by writing to {contact}; revocation stops future use but not use already made. My "
            "treatment, payment, enrollment and eligibility for benefits do not depend on whether I sign. Once "
            "published, my testimonial may be seen and repeated by others and is no longer protected by "
            "federal privacy law. I am entitled to a copy of this authorization: a link to it is sent to my "
            "email address."
        ),
        "es": (
            "Autorizo a {practice} a usar y publicar el testimonio que envío. Lo que se divulgará: mis "
            "palabras (después de que la práctica quite de ellas cualquier dato personal){condition}, mi nombre "
            "y la inicial de mi apellido (o, si así lo elijo, solo \u201cun paciente de\u201d la clínica), la "
            "clínica a la que asistí y el terapeuta que nombro. Podrá mostrarse al público en el sitio web de "
            "la práctica y en su publicidad, con el fin de dar a conocer la atención de la práctica. Esta "
            "autorización vence el {expires}. Puedo revocarla en cualquier momento con el enlace de retiro de "
            "mi correo de confirmación o por escrito a {contact}; la revocación detiene el uso futuro pero no "
            "el ya realizado. Mi tratamiento, pago, inscripción y elegibilidad para beneficios no dependen de "
            "que firme. Una vez publicado, mi testimonio puede ser visto y repetido por otros y deja de estar "
            "protegido por la ley federal de privacidad. Tengo derecho a una copia de esta autorización: se "
            "envía a mi correo electrónico un enlace a ella."
        ),
    },
}
# The clause naming the condition the patient typed (version 2 on); empty when they typed none.
_CONDITION_CLAUSES: dict[str, str] = {
    "en": ", what I was treated for, as I typed it: \u201c{condition}\u201d",
    "es": ", aquello por lo que me trataron, tal como lo escribí: \u201c{condition}\u201d",
}

PRACTICE_NAME = "Twin Boro Physical Therapy"


def consent_expiry(*, given_at: dt.datetime) -> dt.datetime:
    """When an authorization given at `given_at` expires."""
    try:
        return given_at.replace(year=given_at.year + settings.CONSENT_VALID_YEARS)
    except ValueError:  # 29 February
        return given_at.replace(year=given_at.year + settings.CONSENT_VALID_YEARS, day=28)


def consent_text(*, version: int = CURRENT_VERSION, given_at: dt.datetime | None = None,
                 language: str | None = None, condition: str = "") -> str:
    """The authorization text of `version`, in `language` (the active one by default), with its dates,
    the condition the patient typed (if any) and the revocation contact filled in."""
    given_at = given_at or timezone.now()
    lang = _language(language)
    texts = _TEXTS[version]
    template = texts.get(lang, texts["en"])
    expires = timezone.localtime(consent_expiry(given_at=given_at)).date().isoformat()
    return template.format(practice=PRACTICE_NAME, expires=expires, contact=settings.PRIVACY_CONTACT,
                           condition=condition_clause(condition=condition, language=lang))


def condition_clause(*, condition: str, language: str | None = None, placeholder: bool = False) -> str:
    """The words naming the condition in the text; with `placeholder`, the clause with `{condition}` left in
    (the form's script fills it as the patient types)."""
    clause = _CONDITION_CLAUSES.get(_language(language), _CONDITION_CLAUSES["en"])
    if placeholder:
        return clause
    return clause.replace("{condition}", condition) if condition else ""


def consent_text_parts(*, version: int = CURRENT_VERSION, language: str | None = None,
                       condition: str = "") -> tuple[str, str, str]:
    """The text as the form shows it, split around the condition clause: (before, clause, after)."""
    marker = "\x00"
    lang = _language(language)
    template = _TEXTS[version].get(lang, _TEXTS[version]["en"])
    expires = timezone.localtime(consent_expiry(given_at=timezone.now())).date().isoformat()
    whole = template.format(practice=PRACTICE_NAME, expires=expires, contact=settings.PRIVACY_CONTACT,
                            condition=marker)
    if marker not in whole:  # a version without the clause
        return whole, "", ""
    before, after = whole.split(marker)
    return before, condition_clause(condition=condition, language=lang), after


def consent_text_without_condition(text: str, *, placeholder: str = "[removed]") -> str:
    """`text` with the condition the patient typed replaced by `placeholder` in every language's clause, the
    rest of the authorization word for word (retention keeps what was authorised, not the patient's words)."""
    for lang, clause in _CONDITION_CLAUSES.items():
        opening, closing = clause.split("{condition}")
        # Greedy, up to the template's own words after the clause (nothing typed comes after them), so a
        # condition that contains the closing quote and those words cannot end the match early.
        following = _TEXTS[CONDITION_NAMED_FROM_VERSION][lang].split("{condition}")[1][:12]
        pattern = re.compile(re.escape(opening) + ".*" + re.escape(closing + following), re.DOTALL)
        kept = opening + placeholder + closing + following
        text = pattern.sub(lambda _, kept=kept: kept, text)
    return text


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "en")[:2]


def consent_template(*, version: int, language: str) -> str:
    """The unfilled template (for the tests that pin published versions)."""
    return _TEXTS[version][language]
