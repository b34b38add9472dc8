"""The roster import screens, its background path and `manage.py import_roster`."""

import io

import pytest
from django_tasks.signals import task_finished

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from courses.models import Enrollment
from people.models import Companion, ImportJob
from people.roster_cells import BACKGROUND_ROWS
from tests.factories import CohortFactory, UserFactory, VillageFactory
from tests.people.roster_files import csv_bytes, person, xlsx_bytes

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "certificates"]}}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cohort(program):
    VillageFactory(code="33.07.10.2004", name="Kuripan", kecamatan="Watumalang", kabupaten="Wonosobo")
    return CohortFactory(program=program, name="Angkatan I 2017")


@pytest.fixture
def coordinator_client(client):
    client.force_login(UserFactory(groups=["Coordinator"]))
    return client


def rows(count: int) -> list[dict]:
    """Two companions per village: Kuripan, then villages new by their code."""
    return [
        person(
            index,
            **{
                "Kode Wilayah": f"33.07.10.{2004 + index // 2:04d}",
                "Desa": f"Desa {index // 2}" if index > 1 else "Kuripan",
            },
        )
        for index in range(count)
    ]


def upload(client, cohort, data: bytes, name="angkatan.csv"):
    return client.post(
        reverse("roster_import:upload"),
        {"cohort": cohort.pk, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_coordinator_uploads_sees_the_preview_and_confirms(coordinator_client, cohort):
    response = upload(coordinator_client, cohort, csv_bytes(rows(4), delimiter=";"))

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("roster_import:job", args=[job.pk])
    assert job.status == ImportJob.Status.CHECKED and job.result["counts"]["new"] == 4
    assert not Companion.objects.exists()
    page = coordinator_client.get(response["Location"])
    assert page.status_code == 200 and b'http-equiv="refresh"' not in page.content
    assert page.context["can_confirm"]

    coordinator_client.post(response["Location"])

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.result["written"]
    assert bytes(job.data) == b""  # the file with its NIKs is not kept
    assert Enrollment.objects.filter(cohort=cohort).count() == 4


def test_a_file_with_errors_cannot_be_confirmed(coordinator_client, cohort):
    bad = rows(2)
    bad[1]["NIK"] = "3.30710E+15"
    response = upload(coordinator_client, cohort, csv_bytes(bad))
    page = coordinator_client.get(response["Location"])
    assert not page.context["can_confirm"]
    assert [(row["row"], row["errors"][0]["column"]) for row in page.context["error_rows"]] == [(3, "NIK")]

    coordinator_client.post(response["Location"])

    assert ImportJob.objects.get().status == ImportJob.Status.CHECKED
    assert not Companion.objects.exists()


def test_upload_refuses_other_kinds_of_file(coordinator_client, cohort):
    response = upload(coordinator_client, cohort, b"%PDF-1.4", name="angkatan.pdf")

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["Unggah berkas Excel (.xlsx) atau CSV."]}
    assert not ImportJob.objects.exists()


@pytest.fixture
def finished():
    """The results of the tasks that finish during the test."""
    results = []

    def record(sender, task_result, **kwargs):
        results.append(task_result)

    task_finished.connect(record)
    yield results
    task_finished.disconnect(record)


def test_large_file_is_checked_and_imported_in_the_background(coordinator_client, cohort, finished):
    """With the immediate backend of the tests, the task runs as it is queued."""
    upload(coordinator_client, cohort, csv_bytes(rows(BACKGROUND_ROWS + 1)))
    assert [result.task.name for result in finished] == ["roster_job_task"]

    job = ImportJob.objects.get()
    assert job.total == BACKGROUND_ROWS + 1 and job.status == ImportJob.Status.CHECKED
    coordinator_client.post(reverse("roster_import:job", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.processed == BACKGROUND_ROWS + 1
    assert [result.status for result in finished] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert Enrollment.objects.filter(cohort=cohort).count() == BACKGROUND_ROWS + 1


# The worker closes its database connections when it stops; a committing test survives that on PostgreSQL.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_large_file_waits_for_the_worker_and_the_page_shows_progress(coordinator_client, cohort):
    response = upload(coordinator_client, cohort, csv_bytes(rows(BACKGROUND_ROWS + 1)))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKING
    page = coordinator_client.get(response["Location"])
    assert b'<meta http-equiv="refresh" content="2">' in page.content
    assert b"<progress" in page.content

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.result["counts"]["new"] == BACKGROUND_ROWS + 1
    assert not Companion.objects.exists()


def test_import_roster_dry_run_prints_the_preview_and_writes_nothing(cohort, tmp_path):
    path = tmp_path / "angkatan.csv"
    path.write_bytes(csv_bytes(rows(2), delimiter=";", bom=True))
    out = io.StringIO()

    call_command("import_roster", str(path), cohort="angkatan i 2017", dry_run=True, stdout=out)

    assert out.getvalue().splitlines() == [
        "2 new, 0 updated, 0 unchanged, 0 with errors.",
        "Dry run: nothing was written.",
    ]
    assert not Companion.objects.exists()


def test_import_roster_imports_and_a_second_run_changes_nothing(cohort, tmp_path):
    path = tmp_path / "angkatan.xlsx"
    path.write_bytes(xlsx_bytes(rows(2)))
    call_command("import_roster", str(path), cohort="Angkatan I 2017", stdout=io.StringIO())
    out = io.StringIO()

    call_command("import_roster", str(path), cohort="Angkatan I 2017", stdout=out)

    assert out.getvalue().splitlines()[0] == "0 new, 0 updated, 2 unchanged, 0 with errors."
    assert Enrollment.objects.filter(cohort=cohort).count() == 2


def test_import_roster_exits_non_zero_on_errors_and_names_row_and_column(cohort, tmp_path):
    bad = rows(2)
    bad[0]["No HP"] = "555"
    path = tmp_path / "angkatan.csv"
    path.write_bytes(csv_bytes(bad))
    out = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import_roster", str(path), cohort="Angkatan I 2017", stdout=out)

    assert error.value.returncode == 1
    assert str(error.value) == "The file has errors: nothing was written."
    assert out.getvalue().splitlines()[1] == (
        "Row 2, column No HP: Enter an Indonesian mobile number, for example 0812-3456-7890 or +62 812 3456 7890."
    )
    assert not Companion.objects.exists()


def test_import_roster_names_the_cohorts_when_the_name_is_unknown(cohort, tmp_path):
    path = tmp_path / "angkatan.csv"
    path.write_bytes(csv_bytes(rows(1)))

    with pytest.raises(CommandError) as error:
        call_command("import_roster", str(path), cohort="Angkatan IX")

    assert str(error.value) == "No cohort is named Angkatan IX. Cohorts: Angkatan I 2017"
