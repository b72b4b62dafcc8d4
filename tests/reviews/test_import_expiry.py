"""An import reports expired authorizations per row and never stores them as publishable (issue 7, item 4)."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from reviews.models import Authorization, Testimonial
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_an_import_refuses_expired_authorizations_row_by_row(tmp_path, settings):
    settings.CONSENT_VALID_YEARS = 3
    LocationFactory(slug="dayton", name="Dayton")
    source = tmp_path / "old.csv"
    source.write_text(
        "location,therapist,rating,body,condition,first_name,last_name,email,consented_at\n"
        "dayton,,5,Wonderful care after my hip replacement last spring.,hip,Ann,Lee,ann@example.com,2025-03-01\n"
        "dayton,,5,They got me walking again after my knee surgery.,knee,Bob,Lee,bob@example.com,2019-06-15\n")
    out, err = StringIO(), StringIO()
    call_command("import_testimonials", str(source), stdout=out, stderr=err)
    assert "Imported 1, already present 0, refused 1" in out.getvalue()
    assert "line 3: consented_at: the authorization given 2019-06-15 expired on 2022-06-15; not imported" \
        in err.getvalue()
    assert list(Testimonial.objects.values_list("email", flat=True)) == ["ann@example.com"]
    # the one imported keeps its authorization on record
    assert Authorization.objects.get().source == "import"
