# Two indexes for the public feed at 1,000,000 testimonials:
# - the feed filtered by therapist, newest first (a therapist with few testimonials must not mean
#   reading the whole feed's index);
# - on PostgreSQL, the counters' "no date" cells (month 0 and -1) with their counts, so a page's or
#   /stats/'s totals are read from the index alone (about half the time of reading the table's pages).

from django.db import migrations, models

TOTALS = "feedcounter_totals_idx"


def create_totals(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: no covering indexes; its counters table is small
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{TOTALS}" ON "reviews_feedcounter" '
                          '(tag_id, month, location_id, therapist_id, rating, published) INCLUDE (n) WHERE month <= 0')


def drop_totals(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{TOTALS}"')


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0012_condition_search_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='testimonial',
            index=models.Index(fields=['therapist', 'status', '-published_at'], name='testimonial_thr_feed_idx'),
        ),
        migrations.RunPython(create_totals, drop_totals),
    ]
