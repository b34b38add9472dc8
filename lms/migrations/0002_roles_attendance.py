"""Sessions and attendance: coordinators generate, edit and mark; trainers see sessions.

Trainers read the attendance of the cohorts they train (courses.selectors.attendance_access);
only coordinators change it. Rerunnable like 0001_roles.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Trainer": [("courses", "view_session")],
    "Coordinator": [
        ("courses", "add_session"),
        ("courses", "change_session"),
        ("courses", "delete_session"),
        ("courses", "view_session"),
        ("courses", "add_attendance"),
        ("courses", "change_attendance"),
        ("courses", "view_attendance"),
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
                group.permissions.remove(
                    *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                )


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_roles"),
        ("courses", "0008_schedule"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
