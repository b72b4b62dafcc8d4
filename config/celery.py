"""The Celery app; its settings come from Django's (CELERY_* names)."""
from __future__ import annotations

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("testimonials")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def keep_django_logging(**kwargs) -> None:
    """The worker and beat log through Django's LOGGING (its redacting handler) instead of their own handlers."""
