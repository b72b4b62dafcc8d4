from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def tags_sync(sender=None, **kwargs) -> None:
    """Every tag of the analysis vocabulary exists, so a condition page can filter by it from day one."""
    from moderation.analysis import tag_vocabulary
    from moderation.analysis_store import tags_ensure

    tags_ensure(slugs=list(tag_vocabulary()))


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        post_migrate.connect(tags_sync, sender=self)
