"""`manage.py analyze` takes the author's name, as the worker does, so pii_name can see it."""
from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str, monkeypatch) -> list[dict]:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out, stderr=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_flags_the_authors_last_name_given_on_the_jsonl_line(monkeypatch) -> None:
    # given the same text twice, once with the author's name on the line
    text = "Good care for my back. Love, the Pellegrino family"
    lines = [{"text": text, "rating": 5}, {"text": text, "rating": 5, "first_name": "Ada", "last_name": "Pellegrino"}]
    # when both are analysed in one batch
    results = run("analyze", "--jsonl", "-", stdin="".join(json.dumps(x) + "\n" for x in lines),
                  monkeypatch=monkeypatch)
    # then only the line that names the author finds the author's last name
    codes = [[f["code"] for f in r["flags"] if f["code"] == "pii_name"] for r in results]
    assert codes == [[], ["pii_name"]]


def test_it_takes_the_authors_name_for_a_single_text(monkeypatch) -> None:
    results = run("analyze", "--first-name", "Ada", "--last-name", "Pellegrino",
                  stdin="Thanks from the Pellegrino family!", monkeypatch=monkeypatch)
    assert "pii_name" in [f["code"] for f in results[0]["flags"]]


def test_it_refuses_a_name_that_is_not_a_string(monkeypatch) -> None:
    with pytest.raises(CommandError, match="line 1"):
        run("analyze", "--jsonl", "-", stdin='{"text": "ok", "last_name": 5}\n', monkeypatch=monkeypatch)
