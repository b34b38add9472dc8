"""The three roles as groups with their permissions.

The roles span the apps, so they live in `lms`, the app that composes the others; the apps that
come later (assessments, certificates) add their permissions in migrations of their own here.
Rerunnable: groups and grants are created only when missing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Companion": [],
    "Trainer": [
        ("wagtailadmin", "access_admin"),
        ("courses", "read_any_program"),
        ("courses", "view_cohort"),
        ("courses", "view_enrollment"),
    ],
    "Coordinator": [
        ("wagtailadmin", "access_admin"),
        ("courses", "read_any_program"),
        ("courses", "add_cohort"),
        ("courses", "change_cohort"),
        ("courses", "view_cohort"),
        ("courses", "add_enrollment"),
        ("courses", "change_enrollment"),
        ("courses", "view_enrollment"),
        ("people", "add_companion"),
        ("people", "change_companion"),
        ("people", "view_companion"),
        ("people", "add_village"),
        ("people", "change_village"),
        ("people", "view_village"),
    ],
}
TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
TRAINER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def create_roles(apps, schema_editor):
    # Permissions of new models are normally made after migrate; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in permissions:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))

    trainer = Group.objects.get(name="Trainer")
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in TRAINER_PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=trainer, page=root_page, permission=permission)
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, codename in TRAINER_COLLECTION_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=trainer, collection=root_collection, permission=permission
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_login_counter"),
        ("courses", "0006_read_any_program"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
