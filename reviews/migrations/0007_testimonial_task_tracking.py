"""Tracking of each testimonial's background steps (queued, runs, failed with the error). On SQLite a
NOT NULL column rebuilds the table, which the feed counters' triggers (0006) would break: they are
dropped first and put back (with a recount) after."""

from importlib import import_module

from django.db import migrations, models

counters = import_module("reviews.migrations.0006_feed_counter_skips_bots")
triggers = import_module("reviews.migrations.0002_feed_counter")


def drop_triggers_on_sqlite(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        triggers.uninstall(apps, schema_editor)


def restore_triggers_on_sqlite(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        counters.install(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0006_feed_counter_skips_bots'),
    ]

    operations = [
        migrations.RunPython(drop_triggers_on_sqlite, migrations.RunPython.noop),
        migrations.AddField(
            model_name='testimonial',
            name='analysis_attempts',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='testimonial',
            name='analysis_error',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='testimonial',
            name='analysis_failed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='testimonial',
            name='analysis_queued_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='testimonial',
            name='confirmation_attempts',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='testimonial',
            name='confirmation_error',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='testimonial',
            name='confirmation_failed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='testimonial',
            name='confirmation_queued_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='testimonial',
            index=models.Index(condition=models.Q(('confirmation_sent_at__isnull', True)), fields=['created_at'], name='testimonial_unconfirmed_idx'),
        ),
        migrations.RunPython(restore_triggers_on_sqlite, migrations.RunPython.noop),
    ]
