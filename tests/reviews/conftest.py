from __future__ import annotations

import re

import pytest

from tests.factories import LocationFactory, TherapistFactory


@pytest.fixture
def clinic(db):
    return LocationFactory(name="Dayton", slug="dayton")


@pytest.fixture
def other_clinic(db):
    return LocationFactory(name="Edison", slug="edison")


@pytest.fixture
def therapist(clinic):
    return TherapistFactory(first_name="Brianna", last_name="Kowalski", slug="brianna-kowalski",
                            nicknames=["Bri"], locations=[clinic])


@pytest.fixture
def no_min_fill(settings):
    settings.TESTIMONIAL_MIN_FILL_SECONDS = 0
    return settings


def form_token(html: str) -> str:
    match = re.search(r'name="form_token" value="([^"]*)"', html)
    assert match, "the form has no signed timestamp"
    return match.group(1)


@pytest.fixture
def valid_post(client, clinic, therapist, no_min_fill):
    """A complete, valid submission as the browser would send it (token from a real GET)."""

    def build(**overrides) -> dict:
        page = client.get("/testimonials/new/").content.decode()
        data = {
            "location": clinic.slug, "therapist": therapist.slug, "rating": "5",
            "body": "My knee was so stiff I could not climb stairs. After eight weeks I hike again!",
            "condition": "knee", "first_name": "Dana", "last_name": "Zimmerman", "email": "dana@example.com",
            "display_as": "initial", "consent": "on", "website": "", "form_token": form_token(page),
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return build
