# The admin search also looks in the condition the patient typed ("plantar fasciitis"); on PostgreSQL a
# trigram index on the same expression as the others (0008) keeps a search an index scan at 1,000,000 rows.

from django.db import migrations

NAME = "testimonial_condition_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: no GIN, nothing to do
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "reviews_testimonial" '
                          'USING gin (UPPER("condition"::text) gin_trgm_ops)')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0011_testimonial_notice_tracking'),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
