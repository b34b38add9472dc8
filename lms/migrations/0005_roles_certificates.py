"""Coordinators issue, revoke and reissue certificates and edit their templates; trainers do not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATOR_PERMISSIONS = [
    ("certificates", "add_certificate"),
    ("certificates", "change_certificate"),
    ("certificates", "view_certificate"),
    ("certificates", "add_certificatetemplate"),
    ("certificates", "change_certificatetemplate"),
    ("certificates", "view_certificatetemplate"),
    ("certificates", "add_cohortcertificaterule"),
    ("certificates", "change_cohortcertificaterule"),
    ("certificates", "view_cohortcertificaterule"),
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("certificates")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    coordinator, _created = Group.objects.get_or_create(name="Coordinator")
    for app_label, codename in COORDINATOR_PERMISSIONS:
        coordinator.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    coordinator = Group.objects.filter(name="Coordinator").first()
    if coordinator is not None:
        coordinator.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="certificates", codename__in=[code for _app, code in COORDINATOR_PERMISSIONS]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0004_roles_handover"),
        ("certificates", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
