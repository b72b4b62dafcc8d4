from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from reviews.consent import CURRENT_VERSION, consent_expiry, consent_template, consent_text

# A published authorization is never edited: a change is a new version. These pin each published text.
PUBLISHED = {
    (1, "en"): "fcd6c66d216705ad6c17742a6fd3f464b202a16994a72569b423b56b1615d6d0",
    (1, "es"): "e2383741b785064c5391e71b48b84c4938ca2581db359027c96de9502749cf24",
    (2, "en"): "8c42177c860741aa041d22d29bd52099b8f6d91d3d88d352a2b0e30ba64695f4",
    (2, "es"): "ad8f6b28c1e05ef09a2b55de0a403ac714c7a8fd2119fb2905ea324aff321a4d",
}


@pytest.mark.parametrize("version, language", list(PUBLISHED))
def test_a_published_authorization_text_never_changes(version, language):
    digest = hashlib.sha256(consent_template(version=version, language=language).encode()).hexdigest()
    assert digest == PUBLISHED[(version, language)], (
        "This authorization text was published: add a new version instead of editing it.")


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_authorization_names_every_element_of_45_cfr_164_508(language):
    text = consent_text(version=CURRENT_VERSION, given_at=dt.datetime(2026, 1, 15, 17, tzinfo=dt.UTC),
                        language=language).lower()
    words = {
        "en": ["my words", "first name and last initial", "clinic", "therapist",  # what is disclosed
               "public", "website",  # to whom
               "purpose",  # for what
               "expires on 2029-01-15",  # until when
               "revoke", "withdrawal link",  # how to revoke
               "treatment", "do not depend",  # not a condition of treatment
               "no longer protected"],  # redisclosure
        "es": ["mis palabras", "inicial de mi apellido", "clínica", "terapeuta", "público", "sitio web", "fin",
               "vence el 2029-01-15", "revocarla", "enlace de retiro", "tratamiento", "no dependen",
               "deja de estar protegido"],
    }[language]
    for word in words:
        assert word in text


def test_an_authorization_given_on_29_february_expires_on_28_february():
    assert consent_expiry(given_at=dt.datetime(2028, 2, 29, 12, tzinfo=dt.UTC)).date() == dt.date(2031, 2, 28)


# --- version 2: what is disclosed, exactly, and where to revoke in writing (issue 7, items 1 and 10) ------

@pytest.mark.parametrize("language, clause", [
    ("en", "what i was treated for, as i typed it: \u201cfoot drop after a stroke\u201d"),
    ("es", "aquello por lo que me trataron, tal como lo escribí: \u201cfoot drop after a stroke\u201d"),
])
def test_the_authorization_names_the_condition_the_patient_typed(language, clause, settings):
    text = consent_text(version=CURRENT_VERSION, language=language, condition="foot drop after a stroke").lower()
    assert clause in text
    assert "treated for" not in consent_text(version=CURRENT_VERSION, language="en").lower()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_authorization_names_where_to_revoke_in_writing(language, settings):
    settings.PRIVACY_CONTACT = "Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854"
    assert "Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854;" in consent_text(language=language)


def test_the_current_version_is_the_new_one():
    assert CURRENT_VERSION == 2
