"""For migrations that change `reviews_testimonial` (or its tag links): on SQLite, Django remakes the
table for most column changes, and SQLite refuses to rename a table that another table's trigger names
(the feed counters' triggers, the audit trail's). Wrap such operations:

    operations = [migrations.RunPython(sqlite_pause, sqlite_resume), <the schema change>,
                  migrations.RunPython(sqlite_resume, sqlite_pause)]

Pausing drops every trigger that mentions the testimonial tables and keeps their SQL; resuming creates
them again as they were (the rows are copied with the triggers off, so every count stays right).
PostgreSQL alters in place: nothing to do there. (The migration loader skips modules named "_…".)"""

_paused: dict[str, list[tuple[str, str]]] = {}


def sqlite_pause(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%reviews_testimonial%'")
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    _paused[connection.alias] = _paused.get(connection.alias, []) + triggers


def sqlite_resume(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for _name, sql in _paused.pop(connection.alias, []):
            cursor.execute(sql)
