"""`manage.py import_testimonials FILE.csv`: bring existing testimonials in, through analysis and moderation."""
from __future__ import annotations

import csv
import unicodedata
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from reviews.consent import consent_expiry
from reviews.forms import TestimonialForm
from reviews.models import Testimonial
from reviews.services import testimonial_submit

REQUIRED = ("location", "rating", "body", "first_name", "last_name", "email", "consented_at")
OPTIONAL = ("therapist", "condition", "display_as", "consent_text")


class ImportRowForm(TestimonialForm):
    """The patient form's checks, without the parts that only make sense in a browser."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("consent", "website", "form_token"):
            del self.fields[name]


def parse_consented_at(raw: str) -> datetime | None:
    """The date or date-time given; None if it is missing or not a real date ("2025-02-30" included)."""
    raw = raw.strip()
    try:
        value = parse_datetime(raw) if raw else None
        if value is None and raw:
            day = parse_date(raw)
            value = datetime(day.year, day.month, day.day) if day else None
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
    except (ValueError, OverflowError):  # well formed but impossible: 30 February, hour 25, a DST gap…
        return None
    return value


class Command(BaseCommand):
    help = ("Import testimonials from a CSV with columns " + ", ".join(REQUIRED) + " (and optionally "
            + ", ".join(OPTIONAL) + "). Each row is checked like the patient form; bad rows are reported "
            "and skipped, good ones go through analysis and moderation. No email is sent.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")

    def handle(self, *args, file: str, **options) -> None:
        try:
            with open(file, newline="", encoding="utf-8-sig") as stream:
                rows = list(csv.DictReader(stream))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        missing = [c for c in REQUIRED if rows and c not in rows[0]]
        if missing:
            raise CommandError(f"{file} lacks the column(s): {', '.join(missing)}")
        # Every row is checked before anything is written, and the good ones are written in one transaction:
        # a failure half-way leaves nothing behind, never the first half of a file.
        valid: list[tuple[int, dict]] = []
        errors: list[str] = []
        for number, row in enumerate(tqdm(rows, unit="row", desc="checking", file=self.stderr._out), start=2):
            checked = self._check_row(row, file=file)
            if isinstance(checked, str):
                errors.append(f"line {number}: {checked}")
            else:
                valid.append((number, checked))
        created = duplicates = failing = 0
        try:
            with transaction.atomic():
                for number, fields in tqdm(valid, unit="row", desc="importing", file=self.stderr._out):
                    failing = number
                    _, is_new = testimonial_submit(**fields)
                    created, duplicates = created + is_new, duplicates + (not is_new)
        except (DatabaseError, ValueError) as error:
            for line in errors:
                self.stderr.write(line)
            raise CommandError(f"line {failing}: could not be stored ({error.__class__.__name__}); nothing was "
                               "imported. Fix the row and run the import again.") from None
        for error in errors:
            self.stderr.write(error)
        self.stdout.write(self.style.SUCCESS(
            f"Imported {created}, already present {duplicates}, refused {len(errors)} (of {len(rows)} rows)."))

    def _check_row(self, row: dict[str, str], *, file: str) -> dict | str:
        """The fields to store, or the reason the row is refused."""
        form = ImportRowForm(data={k: (v or "") for k, v in row.items() if k})
        consented_at = parse_consented_at(row.get("consented_at") or "")
        if not form.is_valid():
            return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in form.errors.items())
        if consented_at is None:
            given = (row.get("consented_at") or "").strip()
            return (f"consented_at: {given!r} is not a date; give the date the patient authorized publication "
                    "(YYYY-MM-DD)." if given else
                    "consented_at: give the date the patient authorized publication (YYYY-MM-DD).")
        if consented_at > timezone.now():
            return "consented_at: the authorization date is in the future."
        expires = consent_expiry(given_at=consented_at)
        if expires <= timezone.now():
            # It could never be published: importing it would only store personal data for nothing.
            return (f"consented_at: the authorization given {timezone.localtime(consented_at).date().isoformat()} "
                    f"expired on {timezone.localtime(expires).date().isoformat()}; not imported (it could not be "
                    "published). Ask the patient for a new authorization.")
        given_text = (row.get("consent_text") or "").strip()
        if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in given_text) or len(given_text) > 10_000:
            return "consent_text: control characters or more than 10,000 characters; give the text as accepted."
        data = form.cleaned_data
        text = given_text or \
            f"Authorization on file with the practice, given {consented_at.date().isoformat()} (imported from {file})."
        return {"location": data["location"], "therapist": data["therapist"], "rating": data["rating"],
                "body": data["body"], "condition": data["condition"], "first_name": data["first_name"],
                "last_name": data["last_name"], "email": data["email"], "display_as": data["display_as"],
                "consent_version": 0, "source": Testimonial.Source.IMPORT, "consented_at": consented_at,
                "consent_text_given": text}
