"""`manage.py apply_retention [--dry-run]`: what beat does every hour, by hand (moderation/retention.py)."""
from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from moderation.retention import SPAM, WITHDRAWN, retention_apply, testimonials_due


class Command(BaseCommand):
    help = ("Remove the personal data of testimonials withdrawn more than RETENTION_WITHDRAWN_DAYS ago and of "
            "spam rejected more than RETENTION_SPAM_DAYS ago; the rows and their history are kept.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only say how many rows are due")

    def handle(self, *args, dry_run: bool, **options) -> None:
        periods = (f"(withdrawn after {settings.RETENTION_WITHDRAWN_DAYS} days, "
                   f"spam after {settings.RETENTION_SPAM_DAYS} days)")
        if dry_run:
            due = {rule: testimonials_due(rule=rule).count() for rule in (WITHDRAWN, SPAM)}
            self.stdout.write(f"Due: {due[WITHDRAWN]} withdrawn, {due[SPAM]} spam {periods}; nothing changed.")
            return
        report = retention_apply(limit=None)
        self.stdout.write(self.style.SUCCESS(
            f"Personal data removed: {report.withdrawn} withdrawn, {report.spam} spam {periods}."))
