"""Coordinators may add a single companion (with the account) in the admin."""

from django.db import migrations


def add_companion_permission(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    coordinator = Group.objects.filter(name="Coordinator").first()
    permission = Permission.objects.filter(content_type__app_label="people", codename="add_companion").first()
    return (coordinator, permission) if coordinator and permission else (None, None)


def grant(apps, schema_editor):
    coordinator, permission = add_companion_permission(apps)
    if coordinator:
        coordinator.permissions.add(permission)


def revoke(apps, schema_editor):
    coordinator, permission = add_companion_permission(apps)
    if coordinator:
        coordinator.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_constraint_messages")]

    operations = [migrations.RunPython(grant, revoke)]
