"""The render worker: its own settings load no Wagtail, and a real `db_worker` with them renders queued PDFs."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from django.conf import settings
from django.db import connection
from django.test import override_settings

from certificates.models import Certificate
from certificates.rendering.models import CertificateFile
from certificates.services import certificates_issue

ROOT = Path(settings.BASE_DIR)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "certificates"]}}


def worker_environment(tmp_path: Path, database: dict) -> dict:
    """The site's production settings under the render worker's, on the test's database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.render_worker",
        "BALAI_SETTINGS": "lms.settings.production",
        "SECRET_KEY": "render-worker-test-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "BALAI_CERTIFICATE_ROOT": str(tmp_path / "certificates"),
        "BALAI_CERTIFICATE_SIGNING_KEY": "",
    }
    env.pop("DATABASE_URL", None)
    env.update(database)
    return env


def run_python(env: dict, code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_render_worker_settings_keep_the_sites_and_load_no_wagtail(tmp_path):
    env = worker_environment(tmp_path, {"BALAI_SQLITE_PATH": str(tmp_path / "db.sqlite3")})
    done = run_python(
        env,
        "import sys, django; django.setup(); import certificates.rendering.tasks; "
        "from django.conf import settings; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'wagtail', 'modelcluster', 'taggit', 'courses'})); "
        "print(settings.CERTIFICATE_ROOT, settings.DEBUG, settings.TASKS['default']['BACKEND'])",
    )
    assert done.returncode == 0, done.stderr
    loaded, site = done.stdout.splitlines()
    assert loaded == "[]"
    assert site == f"{tmp_path / 'certificates'} False django_tasks_db.DatabaseBackend"


def test_the_render_models_columns_are_the_certificates():
    """CertificateFile is an unmanaged view of the certificate table: same table, same columns."""
    assert CertificateFile._meta.db_table == Certificate._meta.db_table
    for field in CertificateFile._meta.concrete_fields:
        theirs = Certificate._meta.get_field(field.name)
        assert (field.column, field.get_internal_type()) == (theirs.column, theirs.get_internal_type())
        assert field.db_parameters(connection) == theirs.db_parameters(connection)
    assert CertificateFile._meta.get_field("pdf").storage.location == str(settings.CERTIFICATE_ROOT)


def database_for_worker(tmp_path: Path) -> dict:
    """The test database as the worker can reach it: PostgreSQL's by address, SQLite's copied to a file."""
    if connection.vendor == "postgresql":
        database = connection.settings_dict
        return {
            "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
                **{**database, "PORT": database["PORT"] or 5432}
            )
        }
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    return {"BALAI_SQLITE_PATH": str(path)}


def read_back(database: dict, pk: int) -> tuple[str, str, int]:
    if "BALAI_SQLITE_PATH" in database:
        with sqlite3.connect(database["BALAI_SQLITE_PATH"]) as copy:
            return copy.execute(
                "SELECT render_status, pdf, render_attempts FROM certificates_certificate WHERE id = ?", [pk]
            ).fetchone()
    certificate = CertificateFile.objects.get(pk=pk)
    return certificate.render_status, certificate.pdf.name, certificate.render_attempts


# A worker in another process reads what this test committed, so the test commits for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_db_worker_with_the_render_settings_renders_and_mails_the_queued_pdfs(
    training, coordinator, tmp_path, django_capture_on_commit_callbacks
):
    training.companion("Budi Santoso", email="budi@example.org")
    training.companion("Agus Wibowo")
    with django_capture_on_commit_callbacks(execute=True):
        issued = certificates_issue(cohort=training.cohort, by=coordinator)
    assert {c.render_status for c in Certificate.objects.all()} == {Certificate.RenderStatus.PENDING}

    database = database_for_worker(tmp_path)
    env = worker_environment(tmp_path, database)
    command = ["manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "certificates"]
    done = subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr

    for certificate in issued:
        status, name, attempts = read_back(database, certificate.pk)
        assert (status, attempts) == ("done", 1)
        assert (tmp_path / "certificates" / name).read_bytes().startswith(b"%PDF")
    budi = Certificate.objects.get(holder_name="Budi Santoso")
    assert "To: budi@example.org" in done.stdout and budi.number in done.stdout


@pytest.mark.django_db
def test_a_batch_of_jobs_looks_up_its_templates_pictures_once(django_assert_max_num_queries):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from certificates.services import render_jobs
    from tests.certificates.factories import CertificateFactory, CertificateTemplateFactory
    from tests.factories import ImageFactory

    template = CertificateTemplateFactory(logo=ImageFactory(), signatory_signature=ImageFactory())
    certificates = [CertificateFactory(template=template) for _ in range(4)]
    render_jobs([certificates[0].pk])  # the renditions are made once, here

    with CaptureQueriesContext(db) as one:
        [job] = render_jobs([certificates[0].pk])
    with CaptureQueriesContext(db) as four:
        jobs = render_jobs([certificate.pk for certificate in certificates])
    assert len(jobs) == 4 and len(four) == len(one)
    assert all(job["html"].count("file://") >= 3 for job in jobs)  # fonts, logo and signature
    assert "images/" in job["html"]


@pytest.mark.django_db
def test_a_job_renders_and_mails_its_edition_once_and_never_a_revoked_one(training, coordinator, settings):
    from django.core import mail

    from certificates.rendering.tasks import render
    from certificates.services import certificate_revoke, render_jobs

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "certificates"]}
    }
    training.companion("Budi Santoso", email="budi@example.org")
    training.companion("Agus Wibowo", email="agus@example.org")
    agus, budi = certificates_issue(cohort=training.cohort, by=coordinator)
    jobs = render_jobs([agus.pk, budi.pk])

    assert render(jobs[0]) is True
    assert render(jobs[0]) is False  # queued twice ("Buat ulang" while it waited): rendered and mailed once
    certificate_revoke(certificate=budi, by=coordinator, reason="Salah nama")
    assert render(jobs[1]) is False  # revoked while its job waited

    assert [message.to for message in mail.outbox] == [["agus@example.org"]]
    budi.refresh_from_db()
    assert budi.render_status == Certificate.RenderStatus.PENDING and not budi.pdf
    assert render_jobs([budi.pk]) == []


@pytest.mark.django_db
def test_the_progress_waits_for_no_revoked_certificate(training, coordinator, settings):
    from certificates.selectors import render_progress
    from certificates.services import certificate_revoke

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "certificates"]}
    }
    training.companion("Budi Santoso")
    training.companion("Agus Wibowo")
    agus, _budi = certificates_issue(cohort=training.cohort, by=coordinator)
    certificate_revoke(certificate=agus, by=coordinator, reason="Salah nama")  # before its PDF was made
    progress = render_progress(training.cohort)
    assert (progress.total, progress.done, progress.pending) == (1, 0, 1)
