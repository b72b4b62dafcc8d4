from __future__ import annotations

import gc

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


def tags_sync(sender=None, **kwargs) -> None:
    """Every tag of the analysis vocabulary exists, so a condition page can filter by it from day one."""
    from moderation.analysis import tag_vocabulary
    from moderation.analysis_store import tags_ensure

    tags_ensure(slugs=list(tag_vocabulary()))


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from reviews.models import Location, Tag, Therapist

        from .publication import catalogue_changed

        post_migrate.connect(tags_sync, sender=self)
        # Names and slugs of clinics, therapists and tags are in every public page: a change to them
        # invalidates the cached pages as a publication does.
        for model in (Location, Therapist, Tag):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-{name}-{model.__name__}")
        m2m_changed.connect(catalogue_changed, sender=Therapist.locations.through, dispatch_uid="catalogue-m2m")
        # The last app's ready(): start-up is over, and what it built lives as long as the process. The
        # collector leaves it out of its walks from now on (in a forking Celery worker that also keeps
        # the pages shared, as the gc module's documentation advises) and runs again if manage.py had
        # switched it off for the start-up.
        gc.freeze()
        gc.enable()
