from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def tags_sync(sender=None, **kwargs) -> None:
    """Every tag of the analysis vocabulary exists, so a condition page can filter by it from day one."""
    from moderation.analysis import tag_vocabulary
    from reviews.models import Tag

    known = set(Tag.objects.values_list("slug", flat=True))
    Tag.objects.bulk_create(Tag(slug=slug, name=name) for slug, name in tag_vocabulary().items() if slug not in known)


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        post_migrate.connect(tags_sync, sender=self)
