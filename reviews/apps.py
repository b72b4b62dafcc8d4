from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Clinics and testimonials"

    def ready(self) -> None:
        from .catalogue_ids import catalogue_forget
        from .counters import feed_counter_triggers_ensure
        from .models import Location, Tag, Therapist

        # SQLite drops a table's triggers whenever a migration rebuilds that table (most field
        # changes do): after every migrate, put the counters' triggers back and recount if needed.
        post_migrate.connect(feed_counter_triggers_ensure, sender=self,
                             dispatch_uid="reviews.feed_counter_triggers_ensure")
        # This process's copy of the slugs and ids (reviews.catalogue_ids) goes at once; other processes
        # see the publication version move (moderation.publication.catalogue_changed).
        for model in (Location, Therapist, Tag):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(catalogue_forget, sender=model,
                               dispatch_uid=f"reviews.catalogue_forget.{name}.{model.__name__}")
