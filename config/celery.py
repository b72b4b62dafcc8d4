"""The Celery app; its settings come from Django's (CELERY_* names)."""
from __future__ import annotations

import os

from celery import Celery, signals
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def beat_schedule() -> dict:
    """settings.CELERY_BEAT_SCHEDULE plus the moderators' digest, a crontab at MODERATION_DIGEST_HOURS.

    The crontab is built here rather than in settings so that settings never import Celery."""
    from django.conf import settings

    schedule = dict(settings.CELERY_BEAT_SCHEDULE)
    if settings.MODERATION_DIGEST_HOURS:
        schedule["moderation-digest"] = {
            # Moderators and clinic managers hear what waits in their clinics and what was flagged high.
            "task": "moderation.tasks.send_moderation_digest_task",
            "schedule": crontab(minute=0, hour=",".join(map(str, settings.MODERATION_DIGEST_HOURS))),
        }
    return schedule


app = Celery("testimonials")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = beat_schedule()
app.autodiscover_tasks()


@signals.setup_logging.connect
def keep_django_logging(**kwargs) -> None:
    """The worker and beat log through Django's LOGGING (its redacting handler) instead of their own handlers."""
