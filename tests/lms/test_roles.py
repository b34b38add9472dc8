"""The three roles that migration lms.0001_roles makes, and what they open."""

import pytest
from pytest_django.asserts import assertRedirects

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_migration_made_the_three_roles():
    roles = Group.objects.filter(name__in=["Companion", "Trainer", "Coordinator"])
    assert sorted(roles.values_list("name", flat=True)) == ["Companion", "Coordinator", "Trainer"]


def test_companion_role_has_no_permissions():
    assert codenames("Companion") == set()
    assert not GroupPagePermission.objects.filter(group__name="Companion").exists()
    assert not GroupCollectionPermission.objects.filter(group__name="Companion").exists()


def test_coordinator_manages_cohorts_and_reads_companions():
    permissions = codenames("Coordinator")
    assert {"wagtailadmin.access_admin", "courses.add_cohort", "people.view_companion"} <= permissions


def test_coordinator_adds_but_cannot_delete_companions():
    permissions = codenames("Coordinator")
    assert "people.delete_companion" not in permissions
    assert "people.add_companion" in permissions


def test_coordinator_user_has_the_role_permissions():
    coordinator = UserFactory(groups=["Coordinator"])
    assert coordinator.has_perm("courses.add_cohort")
    assert coordinator.has_perm("people.view_companion")
    assert not coordinator.has_perm("people.delete_companion")


def test_trainer_opens_the_admin_and_reads_cohorts_only():
    assert codenames("Trainer") == {
        "wagtailadmin.access_admin",
        "courses.read_any_program",
        "courses.view_cohort",
        "courses.view_enrollment",
        "courses.view_session",  # --- attendance ---
    }


def test_staff_roles_read_every_program_and_companions_do_not():
    assert "courses.read_any_program" in codenames("Trainer") & codenames("Coordinator")
    assert "courses.read_any_program" not in codenames("Companion")


def test_a_user_with_admin_access_but_not_the_reading_permission_reads_no_program(client):
    from django.contrib.auth.models import Permission

    from tests.factories import LessonPageFactory, UserFactory

    editor = UserFactory(username="editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    lesson = LessonPageFactory()
    client.force_login(editor)
    assert client.get(f"/belajar/pelajaran/{lesson.pk}/").status_code == 404


def test_trainer_may_add_change_and_publish_pages_from_the_root():
    root = Page.get_first_root_node()
    granted = set(
        GroupPagePermission.objects.filter(group__name="Trainer", page=root).values_list(
            "permission__codename", flat=True
        )
    )
    assert granted == {"add_page", "change_page", "publish_page"}


def test_trainer_may_add_and_choose_images_and_documents_in_the_root_collection():
    root = Collection.get_first_root_node()
    granted = set(
        GroupCollectionPermission.objects.filter(group__name="Trainer", collection=root).values_list(
            "permission__content_type__app_label", "permission__codename"
        )
    )
    assert granted == {
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    }


def test_companion_cannot_open_the_admin(client):
    client.force_login(UserFactory(groups=["Companion"]))
    response = client.get("/admin/")
    assertRedirects(response, f"{reverse('wagtailadmin_login')}?next=/admin/", fetch_redirect_response=False)


def test_coordinator_can_open_the_admin(client):
    client.force_login(UserFactory(groups=["Coordinator"]))
    response = client.get("/admin/")
    assert response.status_code == 200


def test_trainer_can_open_the_admin(client):
    client.force_login(UserFactory(groups=["Trainer"]))
    response = client.get("/admin/")
    assert response.status_code == 200
