"""Every testimonial already stored gets its first authorization row, from its current consent fields."""
from django.db import migrations

SOURCES = {"form": "form", "import": "import", "demo": "demo"}


def backfill(apps, schema_editor) -> None:
    Testimonial = apps.get_model("reviews", "Testimonial")
    Authorization = apps.get_model("reviews", "Authorization")
    missing = Testimonial.objects.filter(authorizations__isnull=True).iterator(chunk_size=500)
    Authorization.objects.bulk_create(
        (Authorization(testimonial_id=t.pk, version=t.consent_version, text=t.consent_text, language=t.locale,
                       given_at=t.consented_at, expires_at=t.consent_expires_at,
                       source=SOURCES.get(t.source, "form")) for t in missing),
        batch_size=500,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0003_authorization_history"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
