from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Clinics and testimonials"

    def ready(self) -> None:
        from .counters import feed_counter_triggers_ensure

        # SQLite drops a table's triggers whenever a migration rebuilds that table (most field
        # changes do): after every migrate, put the counters' triggers back and recount if needed.
        post_migrate.connect(feed_counter_triggers_ensure, sender=self,
                             dispatch_uid="reviews.feed_counter_triggers_ensure")
