"""`manage.py rescore`: re-analyse stored testimonials (only stale ones unless --all), in batches."""
from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Q
from tqdm import tqdm

from reviews.models import Testimonial


class Command(BaseCommand):
    help = "Re-analyse testimonials whose analysis is missing or from another analyzer version."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="re-analyse every testimonial, stale or not")
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, all: bool, batch_size: int, **options) -> None:
        from moderation.analysis import ANALYZER_VERSION
        from moderation.analysis_store import practice_context, testimonial_analyze

        queryset = Testimonial.objects.exclude(status=Testimonial.Status.WITHDRAWN)
        if not all:
            queryset = queryset.filter(Q(analysis__isnull=True) | ~Q(analysis__analyzer_version=ANALYZER_VERSION))
        total = queryset.count()
        practice_context(fresh=True)
        done, last_pk = 0, 0
        with tqdm(total=total, unit="testimonial", disable=total == 0, file=self.stderr._out) as bar:
            while True:
                # Keyset pagination: stable and cheap however many rows there are.
                batch = list(queryset.filter(pk__gt=last_pk).select_related("location").order_by("pk")[:batch_size])
                if not batch:
                    break
                for testimonial in batch:
                    testimonial_analyze(testimonial=testimonial)
                    bar.update(1)
                done += len(batch)
                last_pk = batch[-1].pk
        self.stdout.write(self.style.SUCCESS(f"Re-analysed {done} testimonial(s) with analyzer {ANALYZER_VERSION}."))
