"""The audit trail stays append-only, with one exception for retention (moderation/retention.py): once a
testimonial's personal data is purged, a moderator's free-text `note` on its events may be replaced by the
fixed NOTE_ERASED marker, and nothing else. Who, when, from, to and why stay as written; DELETE is still
refused. The triggers check all of it at the database (PostgreSQL and SQLite), so a note can only ever be
erased, never rewritten, and only for a purged testimonial."""
from django.db import migrations

NOTE_ERASED = "[note removed with the personal data]"
MESSAGE = "moderation_transitionevent is append-only: history cannot be changed or deleted"
# Every column but `note` unchanged, and the note becoming the marker, for a testimonial already purged.
_SAME = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in
                     ("id", "testimonial_id", "from_status", "to_status", "actor_id", "reason", "created_at"))

POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION moderation_transitionevent_refuse() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.note = '{NOTE_ERASED}' AND {_SAME}
           AND EXISTS (SELECT 1 FROM reviews_testimonial t
                       WHERE t.id = NEW.testimonial_id AND t.personal_data_purged_at IS NOT NULL) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
]
# Back to migration 0003's function: every UPDATE refused.
POSTGRESQL_DROP = [
    f"""
    CREATE OR REPLACE FUNCTION moderation_transitionevent_refuse() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
]

# SQLite has no IS NOT DISTINCT FROM; `IS` is its null-safe equality.
_SQLITE_SAME = _SAME.replace("IS NOT DISTINCT FROM", "IS")
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS moderation_transitionevent_no_update;",
    "DROP TRIGGER IF EXISTS moderation_transitionevent_no_delete;",
]
SQLITE_CREATE = [
    f"""
    CREATE TRIGGER moderation_transitionevent_no_update BEFORE UPDATE ON moderation_transitionevent
    WHEN NOT (NEW.note = '{NOTE_ERASED}' AND {_SQLITE_SAME}
              AND EXISTS (SELECT 1 FROM reviews_testimonial t
                          WHERE t.id = NEW.testimonial_id AND t.personal_data_purged_at IS NOT NULL))
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER moderation_transitionevent_no_delete BEFORE DELETE ON moderation_transitionevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]


def create(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRESQL_CREATE, "sqlite": [*SQLITE_DROP, *SQLITE_CREATE]}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor) -> None:
    from importlib import import_module

    before = import_module("moderation.migrations.0003_audit_trail_append_only")
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRESQL_DROP, "sqlite": [*SQLITE_DROP, *before.SQLITE_CREATE]}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("moderation", "0007_invitations"),
        ("reviews", "0009_testimonial_personal_data_purged_at"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
