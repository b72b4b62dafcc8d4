"""The audit trail refuses UPDATE and DELETE at the database, not only in `save()`/`delete()`: bulk
`update()`/`delete()`, raw SQL and any cascade are stopped by triggers (PostgreSQL and SQLite)."""
from django.db import migrations

MESSAGE = "moderation_transitionevent is append-only: history cannot be changed or deleted"

POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION moderation_transitionevent_refuse() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER moderation_transitionevent_append_only
    BEFORE UPDATE OR DELETE ON moderation_transitionevent
    FOR EACH ROW EXECUTE FUNCTION moderation_transitionevent_refuse();
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS moderation_transitionevent_append_only ON moderation_transitionevent;",
    "DROP FUNCTION IF EXISTS moderation_transitionevent_refuse();",
]

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER moderation_transitionevent_no_update BEFORE UPDATE ON moderation_transitionevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER moderation_transitionevent_no_delete BEFORE DELETE ON moderation_transitionevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS moderation_transitionevent_no_update;",
    "DROP TRIGGER IF EXISTS moderation_transitionevent_no_delete;",
]


def create(apps, schema_editor) -> None:
    statements = {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor) -> None:
    statements = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("moderation", "0002_events_protect_testimonials"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
