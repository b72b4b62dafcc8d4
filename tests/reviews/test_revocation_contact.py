"""Revocation in writing has an address wherever the patient may look, and the demo clinics have one
(issue 7, item 10)."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from reviews.models import Location

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_every_clinic_an_address(settings):
    # given a clinic loaded by an earlier seed, before clinics had addresses
    Location.objects.create(slug="dayton", name="Dayton", town="Dayton", address="")
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    addresses = dict(Location.objects.values_list("slug", "address"))
    assert len(addresses) == 23
    assert all(address.endswith(", NJ") for address in addresses.values())
    assert addresses["dayton"] == "Dayton, NJ"
    assert addresses["piscataway-south-plainfield"] == "Piscataway, NJ"


def test_a_broken_withdrawal_link_says_where_to_write(client, settings):
    settings.PRIVACY_CONTACT = "Privacy Officer, 123 Stelton Rd, Piscataway NJ 08854"
    response = client.get("/testimonials/withdraw/garbage/")
    assert response.status_code == 404
    assert "in writing, and we will remove your testimonial for you: Privacy Officer, 123 Stelton Rd, " \
           "Piscataway NJ 08854." in response.content.decode()
