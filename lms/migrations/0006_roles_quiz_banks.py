"""Trainers and coordinators import and export question banks (assessments.add_question)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Trainer": [("assessments", "add_question")],
    "Coordinator": [("assessments", "add_question")],
}


def grant(apps, schema_editor):
    # Permissions of new models are normally made after migrate; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in permissions:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLE_PERMISSIONS.items():
        for app_label, codename in permissions:
            for group in Group.objects.filter(name=name):
                group.permissions.remove(
                    *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                )


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0005_roles_certificates"),
        ("assessments", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
