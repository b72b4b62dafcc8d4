"""A post caught by the honeypot is kept (rejected, for the record and for a moderator to reopen) but
was never a patient's testimonial: the counters leave rows whose `source` is "honeypot" out of the
received figures. The triggers are 0003's, with that condition added and `source` among the columns
whose change moves a row between cells (a moderator's reopen turns a catch back into a form post)."""

import re
from importlib import import_module

from django.db import migrations, models

v2 = import_module("reviews.migrations.0003_feed_counter_any_month")
v1 = import_module("reviews.migrations.0002_feed_counter")

_RECEIVED = re.compile(r"\b(\w+)\.status <> 'withdrawn'")
_UPDATE_OF = "AFTER UPDATE OF status, location_id, therapist_id, rating, published_at"
_CHANGED_PG = v1.CHANGED
_CHANGED_SQLITE = v1.CHANGED.replace("IS DISTINCT FROM", "IS NOT")


def _counted(sql: str) -> str:
    """Every "not withdrawn" condition also says "not a bot"; `source` changes re-count the row."""
    sql = _RECEIVED.sub(r"\1.status <> 'withdrawn' AND \1.source <> 'honeypot'", sql)
    sql = sql.replace(_UPDATE_OF, _UPDATE_OF + ", source")
    for changed, op in ((_CHANGED_PG, "IS DISTINCT FROM"), (_CHANGED_SQLITE, "IS NOT")):
        sql = sql.replace(changed, f"{changed} OR OLD.source {op} NEW.source")
    return sql


def statements(vendor: str) -> list[str]:
    triggers = v2.postgresql() if vendor == "postgresql" else v2.sqlite()
    # The "any month" cells count published rows only; a published row is never a bot's (see reopen).
    return [_counted(sql) for sql in triggers + v2.fill(vendor)]


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    v1.uninstall(apps, schema_editor)
    if vendor not in v1.MONTH:
        raise RuntimeError(f"the feed counters' triggers are written for PostgreSQL and SQLite, not {vendor}")
    schema_editor.execute("DELETE FROM reviews_feedcounter;")
    for statement in statements(vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0005_merge_20261205_0936'),
    ]

    operations = [
        migrations.AlterField(
            model_name='testimonial',
            name='source',
            field=models.CharField(choices=[('form', 'Patient form'), ('import', 'Imported'), ('demo', 'Demo data'), ('honeypot', 'Caught by the anti-bot field')], default='form', max_length=8),
        ),
        migrations.RunPython(install, v2.install),
    ]
