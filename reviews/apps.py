from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Clinics and testimonials"

    def ready(self) -> None:
        from .counters import feed_counter_triggers_ensure
        from .feed_query import tag_slugs_forget
        from .models import Tag

        # SQLite drops a table's triggers whenever a migration rebuilds that table (most field
        # changes do): after every migrate, put the counters' triggers back and recount if needed.
        post_migrate.connect(feed_counter_triggers_ensure, sender=self,
                             dispatch_uid="reviews.feed_counter_triggers_ensure")
        # The public pages' copy of the tags' slugs in this process (reviews.feed_query) goes at once;
        # other processes see the publication version move (moderation.publication.catalogue_changed).
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(tag_slugs_forget, sender=Tag, dispatch_uid=f"reviews.tag_slugs_forget.{name}")
