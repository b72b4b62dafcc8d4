from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from moderation.models import Analysis, TransitionEvent
from reviews.models import Location, Testimonial, Therapist

pytestmark = pytest.mark.django_db


def run(*args, stdin: str | None = None, monkeypatch=None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_seed_demo_loads_23_clinics_and_testimonials_in_every_state_and_is_idempotent():
    run("seed_demo")
    counts = (Location.objects.count(), Therapist.objects.count(), Testimonial.objects.count(),
              TransitionEvent.objects.count())
    run("seed_demo")
    assert (Location.objects.count(), Therapist.objects.count(), Testimonial.objects.count(),
            TransitionEvent.objects.count()) == counts
    assert counts[0] == 23
    assert Location.objects.filter(name="Piscataway/South Plainfield").exists()
    assert Location.objects.filter(name="Dayton").exists()
    assert set(Testimonial.objects.values_list("status", flat=True)) == set(Testimonial.Status.values)
    assert all(t.locations.exists() for t in Therapist.objects.all())


def test_analyze_prints_the_contract_json():
    out, _ = run("analyze", "You won’t be disappointed. Call me at 732-555-0142!", "--rating", "5")
    result = json.loads(out)
    assert set(result) >= {"sentiment", "flags", "tags", "therapists_mentioned", "language"}
    assert set(result["sentiment"]) == {"compound", "pos", "neu", "neg", "label"}
    assert result["sentiment"]["compound"] > 0  # the curly apostrophe does not break VADER's negation
    phone = next(f for f in result["flags"] if f["code"] == "pii_phone")
    assert set(phone) == {"code", "severity", "message", "start", "end"}
    assert "You won’t be disappointed. Call me at 732-555-0142!"[phone["start"]:phone["end"]] == "732-555-0142"


def test_analyze_reads_jsonl_and_writes_one_line_each_in_order(tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [{"text": "Wonderful therapists, my shoulder is pain-free now.", "rating": 5},
             {"text": "Rude staff and I waited an hour every single time.", "rating": 1},
             {"text": "Wonderful therapists, my shoulder is pain free now!", "rating": 5}]
    source.write_text("\n".join(json.dumps(item) for item in lines) + "\n")
    out, _ = run("analyze", "--jsonl", str(source))
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["sentiment"]["label"] for r in results] == ["positive", "negative", "positive"]
    assert "duplicate" in {f["code"] for f in results[2]["flags"]}
    assert "duplicate" not in {f["code"] for f in results[0]["flags"]}


def test_analyze_reads_jsonl_from_stdin(monkeypatch):
    out, _ = run("analyze", "--jsonl", "-", stdin='{"text": "Great care!", "rating": 5}\n', monkeypatch=monkeypatch)
    assert len(out.splitlines()) == 1


def test_analyze_reports_a_malformed_line_clearly(tmp_path):
    source = tmp_path / "bad.jsonl"
    source.write_text('{"text": "fine", "rating": 5}\nnot json\n')
    with pytest.raises(CommandError, match="line 2"):
        run("analyze", "--jsonl", str(source))


def test_rescore_analyses_only_stale_testimonials_unless_asked(django_capture_on_commit_callbacks):
    run("seed_demo")
    pending = Testimonial.objects.filter(status="pending").count()
    withdrawn_or_analysed = Analysis.objects.count()
    out, _ = run("rescore")
    assert f"Re-analysed {pending} " in out
    assert Analysis.objects.count() == withdrawn_or_analysed + pending
    assert not Testimonial.objects.filter(status="pending").exists()
    out, _ = run("rescore")
    assert "Re-analysed 0 " in out
    out, _ = run("rescore", "--all")
    assert f"Re-analysed {Testimonial.objects.exclude(status='withdrawn').count()} " in out


def test_import_testimonials_imports_good_rows_and_reports_bad_ones(tmp_path):
    run("seed_demo")
    before = Testimonial.objects.count()
    source = tmp_path / "old.csv"
    source.write_text(
        "location,therapist,rating,body,condition,first_name,last_name,email,consented_at\n"
        "dayton,,5,Wonderful care after my hip replacement last spring.,hip,Ann,Lee,ann@example.com,2025-03-01\n"
        "atlantis,,5,Wonderful care after my hip replacement last spring.,hip,Bob,Lee,bob@example.com,2025-03-01\n"
        "dayton,,9,Good people who helped my back a great deal.,,Cy,Lee,cy@example.com,2025-03-01\n"
        "dayton,,4,Good people who helped my back a great deal.,,Di,Lee,di@example.com,\n")
    out, err = run("import_testimonials", str(source))
    assert "Imported 1, already present 0, refused 3" in out
    assert "line 3: location" in err and "line 4: rating" in err and "line 5: consented_at" in err
    imported = Testimonial.objects.get(email="ann@example.com")
    assert (imported.status, imported.source, imported.consent_version) == ("pending", "import", 0)
    assert Testimonial.objects.count() == before + 1
    out, _ = run("import_testimonials", str(source))
    assert "Imported 0, already present 1" in out


def test_a_command_runs_with_the_cyclic_collector_on_and_start_up_frozen_out_of_it(tmp_path):
    # given manage.py, which switches the collector off while Django starts
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "VAR_DIR": str(tmp_path), "DJANGO_SECRET_KEY": "test-only-key"}
    env.pop("DATABASE_URL", None)
    # when a command runs
    done = subprocess.run([sys.executable, str(root / "manage.py"), "shell", "-c",
                           "import gc; print(gc.isenabled(), gc.get_freeze_count() > 10000)"],
                          env=env, cwd=root, capture_output=True, text=True, timeout=60, check=True)
    # then the collector is on again (a long command must not leak cycles) and start-up's objects are frozen
    assert done.stdout.splitlines()[-1].split() == ["True", "True"], done.stderr[-500:]
