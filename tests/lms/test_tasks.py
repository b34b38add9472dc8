"""Background work: queued in the database outside tests and run by `db_worker`; run at once in tests."""

import pytest
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings

from wagtail.tasks import delete_file_from_storage_task, update_reference_index_task

from lms.settings import base

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "certificates"]}}


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_the_site_queues_tasks_in_the_database_and_the_tests_run_them_at_once():
    assert base.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in settings.INSTALLED_APPS
    assert isinstance(task_backends["default"], ImmediateBackend)


# The worker closes its database connections when it stops, as a real one does: inside a test's
# transaction that would end the test's connection on PostgreSQL, so these tests commit for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_wagtail_tasks_wait_in_the_database_until_the_worker_runs_them(program):
    assert isinstance(task_backends["default"], DatabaseBackend)
    path = default_storage.save("tasks-test/orphan.txt", ContentFile(b"left behind"))
    deletion = delete_file_from_storage_task.enqueue(default_storage.deconstruct(), path)
    indexing = update_reference_index_task.enqueue("wagtailcore", "page", program.pk)

    assert deletion.status == indexing.status == "READY"
    assert default_storage.exists(path)

    run_worker()

    deletion.refresh()
    indexing.refresh()
    assert deletion.status == indexing.status == "SUCCESSFUL"
    assert not default_storage.exists(path)
