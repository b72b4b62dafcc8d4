"""For migrations that change `reviews_testimonial` (or its tag links): on SQLite, Django remakes the
table for most column changes, which its triggers do not survive. Wrap such operations:

    operations = [migrations.RunPython(sqlite_pause, sqlite_resume), <the schema change>,
                  migrations.RunPython(sqlite_resume, sqlite_pause)]

PostgreSQL alters in place: nothing to do there. Resuming installs the current triggers and recounts.
(The migration loader skips modules whose name starts with "_".)"""
from importlib import import_module


def _current():
    return import_module("reviews.migrations.0006_feed_counter_skips_bots")


def sqlite_pause(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        import_module("reviews.migrations.0002_feed_counter").uninstall(apps, schema_editor)


def sqlite_resume(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        _current().install(apps, schema_editor)
