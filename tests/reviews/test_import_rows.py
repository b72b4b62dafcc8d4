"""The importer checks every row before it writes any (issue 10): an impossible date, a malformed time or a
broken authorization text is one line of the report, never a crash after half the file was stored."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from reviews.models import Authorization, Testimonial
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

HEADER = "location,therapist,rating,body,condition,first_name,last_name,email,consented_at,consent_text\n"
HIP = "dayton,,5,Wonderful care after my hip replacement last spring.,hip,Ann,Lee,ann@example.com,2025-03-01,\n"
KNEE = "dayton,,4,They got me walking again after my knee surgery.,knee,Bob,Ray,bob@example.com,{date},\n"


def run(tmp_path, rows: str) -> tuple[str, str]:
    LocationFactory(slug="dayton", name="Dayton")
    source = tmp_path / "old.csv"
    source.write_text(HEADER + rows, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_testimonials", str(source), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_impossible_date_between_good_rows_is_reported_and_the_good_rows_are_imported(tmp_path):
    shoulder = "dayton,,5,My shoulder moves freely again after six weeks here.,,Cy,Fox,cy@example.com,2025-04-01,\n"
    out, err = run(tmp_path, HIP + KNEE.format(date="2025-02-30") + shoulder)
    assert "Imported 2, already present 0, refused 1 (of 3 rows)." in out
    assert "line 3: consented_at: '2025-02-30' is not a date" in err
    assert sorted(Testimonial.objects.values_list("email", flat=True)) == ["ann@example.com", "cy@example.com"]
    assert Authorization.objects.count() == 2


def test_every_bad_row_is_reported_and_a_file_of_bad_rows_writes_nothing(tmp_path):
    out, err = run(tmp_path,
                   HIP.replace("2025-03-01", "2025-02-30")
                   + KNEE.format(date="2025-03-01T25:00")
                   + "dayton,,5,Wonderful care after my ankle sprain here.,,Cy,Fox,cy@example.com,2025-03-01,"
                     "\"on file\x00\"\n"
                   + "dayton,,9,Wonderful care after my wrist fracture here.,,Di,Orr,di@example.com,2025-03-01,\n")
    assert "Imported 0, already present 0, refused 4 (of 4 rows)." in out
    lines = err.strip().splitlines()[-4:]
    assert [line.split(":")[0] for line in lines] == ["line 2", "line 3", "line 4", "line 5"]
    assert "'2025-03-01T25:00' is not a date" in lines[1] and "consent_text" in lines[2] and "rating" in lines[3]
    assert not Testimonial.objects.exists() and not Authorization.objects.exists()


def test_running_the_fixed_file_again_imports_only_what_is_missing(tmp_path):
    run(tmp_path, HIP + KNEE.format(date="2025-02-30"))
    out, _ = run(tmp_path, HIP + KNEE.format(date="2025-02-28"))
    assert "Imported 1, already present 1, refused 0 (of 2 rows)." in out
    assert Testimonial.objects.count() == 2
