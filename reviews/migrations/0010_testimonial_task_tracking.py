"""Tracking of each testimonial's background steps (queued, runs, failed with the error). On SQLite a
NOT NULL column rebuilds the table, which the feed counters' triggers do not survive: they are dropped
first and put back (with a recount) after (see _counter_triggers)."""

from django.db import migrations, models

from reviews.migrations._counter_triggers import sqlite_pause, sqlite_resume


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0009_testimonial_personal_data_purged_at'),
    ]

    operations = [
        migrations.RunPython(sqlite_pause, sqlite_resume),
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
        migrations.RunPython(sqlite_resume, sqlite_pause),
    ]
