"""Coordinators hand over access: login links, login codes and login sheets (people.AccessGrant)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Coordinator": [("people", "add_accessgrant")]}


def grant(apps, schema_editor):
    # The permission of a model made in this same migrate run exists only after it; make it now.
    app_config = apps.get_app_config("people")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in permissions:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def ungrant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GRANTS.items():
        for app_label, codename in permissions:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            group = Group.objects.filter(name=name).first()
            if permission and group:
                group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0003_roles_quiz_core"),
        ("people", "0009_access_grant"),
    ]

    operations = [migrations.RunPython(grant, ungrant)]
