"""The three staff roles as groups: Moderators (every clinic), Clinic managers (their assigned clinics,
see ClinicAssignment) and Viewers (every clinic, read-only). Nobody but superusers deletes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = [
    ("reviews", "view_testimonial"), ("reviews", "view_location"), ("reviews", "view_therapist"),
    ("reviews", "view_staffmember"), ("reviews", "view_tag"), ("reviews", "view_authorization"),
    ("moderation", "view_analysis"), ("moderation", "view_flag"), ("moderation", "view_transitionevent"),
]
MODERATE = [("reviews", "change_testimonial"), ("reviews", "moderate_testimonial")]
SEE_ALL = [("moderation", "see_all_clinics")]

ROLES = {
    "Moderators": VIEW + MODERATE + SEE_ALL,
    "Clinic managers": VIEW + MODERATE,
    "Viewers": VIEW + SEE_ALL,
}


def roles_create(apps, schema_editor) -> None:
    for app_config in apps.get_app_configs():  # permissions are normally made after migrate
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:  # a model of a later migration: its role gets it there
                group.permissions.add(permission)


def roles_delete(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("moderation", "0005_clinic_assignment"),
        ("reviews", "0006_feed_counter_skips_bots"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(roles_create, roles_delete)]
