"""Quiz windows: coordinators set them, trainers see them. Rerunnable like 0001_roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Trainer": [("assessments", "view_quizwindow")],
    "Coordinator": [
        ("assessments", "add_quizwindow"),
        ("assessments", "change_quizwindow"),
        ("assessments", "view_quizwindow"),
    ],
}


def grant(apps, schema_editor):
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
        for group in Group.objects.filter(name=name):
            for app_label, codename in permissions:
                group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [("lms", "0001_roles"), ("assessments", "0001_initial")]

    operations = [migrations.RunPython(grant, revoke)]
