"""schemathesis (its command line, as an operator would run it) against /api/v1/schema/ on a live server
holding the demo data: every operation, in every phase (the schema's examples, coverage of each boundary,
random fuzzing, stateful list → detail), with data the schema allows and data it forbids. Zero failures:
no server error, every status code, content type, header and body as declared, and everything the
schema forbids refused.

`positive_data_acceptance` is the one check left out, on purpose: by contract an unknown clinic, therapist
or tag slug and a cursor the API did not make are 400s, and no schema can list which slugs exist today.
Everything the API accepts must still match the schema (`negative_data_rejection`)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.hostile.conftest import SCHEMATHESIS_EXAMPLES

pytestmark = pytest.mark.django_db(transaction=True)

ST = str(Path(sys.executable).with_name("st"))


def test_the_public_api_conforms_to_its_schema_under_schemathesis(live_server, tmp_path):
    # given the demo data (every state, every clinic) behind a real HTTP server
    call_command("seed_demo", verbosity=0)
    # when schemathesis runs every phase and check against the served schema's public operations
    # (the staff-only moderation API, tag "moderation", needs a token: tests/moderation/test_moderation_api.py)
    run = subprocess.run(
        [ST, "run", f"{live_server.url}/api/v1/schema/?format=json", "--checks", "all",
         "--exclude-checks", "positive_data_acceptance", "--exclude-tag", "moderation",
         "--max-examples", str(SCHEMATHESIS_EXAMPLES),
         "--workers", "1", "--request-timeout", "30", "--generation-database", "none", "--no-color",
         "--report", "junit", "--report-junit-path", str(tmp_path / "junit.xml")],
        cwd=tmp_path, capture_output=True, text=True, timeout=1200,
    )
    # then nothing failed, and a real number of cases ran on all eight operations
    summary = run.stdout[-6000:]
    assert run.returncode == 0, summary
    assert re.search(r"Selected: 8/\d+", run.stdout) and "Tested: 8" in run.stdout, summary
    generated = int(re.search(r"(\d+) generated", run.stdout).group(1))
    assert generated >= 8 * SCHEMATHESIS_EXAMPLES, summary
    print(f"schemathesis: {generated} cases, 0 failures")  # shown with -s / in CI logs: the figure for the README
