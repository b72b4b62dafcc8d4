"""`manage.py analyze [TEXT] [--rating N]` or `--jsonl FILE|-`: the analysis as JSON, one object a line.

The author's name, when given (`--first-name/--last-name`, or "first_name"/"last_name" in a JSON line),
lets pii_name find the author's own full name, as the worker does with the form's fields.
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError


class Command(BaseCommand):
    help = "Print the analysis of TEXT (or stdin) as JSON; with --jsonl, one analysis per input line."
    # It only reads: the system checks (which load every URLconf, the API and its schema) are for
    # commands that serve or change something, and cost more start-up than a short batch's analysis.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("text", nargs="?", help="the text to analyse (default: read stdin)")
        parser.add_argument("--rating", type=int, choices=range(1, 6), metavar="N", help="the stars given, 1-5")
        parser.add_argument("--jsonl", metavar="FILE",
                            help='one {"text": ..., "rating": ..., "first_name": ..., "last_name": ...} object a line '
                                 '(names optional); - for stdin')
        parser.add_argument("--first-name", default="", help="the author's first name, as typed into the form")
        parser.add_argument("--last-name", default="", help="the author's last name, as typed into the form")

    def handle(self, *args, text: str | None, rating: int | None, jsonl: str | None, first_name: str = "",
               last_name: str = "", **options) -> None:
        from moderation.analysis import analyze

        context = self._context()
        if jsonl is None:
            body = text if text is not None else sys.stdin.read()
            context = _with_author(context, first_name, last_name)
            self.stdout.write(json.dumps(analyze(body, rating=rating, context=context).to_dict(), ensure_ascii=False))
            return
        if text is not None:
            raise CommandError("Give either TEXT or --jsonl, not both.")
        if jsonl == "-":
            self._batch(sys.stdin, context)
        else:
            try:
                with open(jsonl, encoding="utf-8") as stream:
                    self._batch(stream, context)
            except OSError as error:
                raise CommandError(f"Cannot read {jsonl}: {error.strerror}") from None

    def _batch(self, stream: TextIO, context) -> None:
        from moderation.analysis import analyze, duplicate_flag

        seen: set[str] = set()
        # What json.dumps(payload, ensure_ascii=False) builds for every call, built once for the batch;
        # a payload is fresh dicts and lists, so it cannot hold itself and needs no check for cycles.
        encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text, rating = item["text"], item.get("rating")
                first = item.get("first_name", item.get("author_first_name", "")) or ""
                last = item.get("last_name", item.get("author_last_name", "")) or ""
                if not isinstance(text, str) or (rating is not None and rating not in range(1, 6)) \
                        or not isinstance(first, str) or not isinstance(last, str):
                    raise ValueError
            except (ValueError, KeyError, TypeError):
                raise CommandError(f"line {number}: expected {{\"text\": str, \"rating\": 1-5 or null}}"
                                   " (and optional string first_name, last_name)") from None
            result = analyze(text, rating=rating, context=_with_author(context, first, last))
            payload = result.to_dict()
            # The same (normalised) text earlier in the batch is a duplicate, as in the database.
            if result.fingerprint in seen:
                payload["flags"].append(duplicate_flag().to_dict())
            seen.add(result.fingerprint)
            self.stdout.write(encode(payload))

    def _context(self):
        """The practice's therapists, staff and clinics from the database, when there is one."""
        from moderation.analysis_store import practice_context

        try:
            return practice_context()
        except DatabaseError:
            self.stderr.write("no database yet (run `manage.py migrate`): analysing without the practice's names")
            return None


def _with_author(context, first_name: str, last_name: str):
    """The practice context plus the author's name (an empty context when there is no database)."""
    from moderation.analysis import AnalysisContext

    if not first_name and not last_name:
        return context
    return replace(context or AnalysisContext(), author_first_name=first_name.strip(),
                   author_last_name=last_name.strip())
