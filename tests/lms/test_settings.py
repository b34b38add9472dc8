import os
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.db.utils import ConnectionHandler

from lms.settings.base import database_from_environment

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_language_time_zone_and_languages():
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]
    assert settings.TIME_ZONE == "Asia/Jakarta"


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="lms.settings.production", ALLOWED_HOSTS="balai.example.org")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="lms.settings.production", SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "Set the ALLOWED_HOSTS environment variable" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY="a-long-production-secret-" + "q7Zp" * 12,
        ALLOWED_HOSTS="balai.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_database_url_switches_to_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://balai:rahasia@127.0.0.1:5432/balai")
    database = database_from_environment(sqlite_path=Path("unused.sqlite3"))
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "balai"
    assert database["CONN_MAX_AGE"] == 600


def test_sqlite_uses_wal_and_immediate_transactions(monkeypatch, tmp_path, django_db_blocker):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = database_from_environment(sqlite_path=tmp_path / "db.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    handler = ConnectionHandler({"default": database})
    with django_db_blocker.unblock(), handler["default"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    handler.close_all()


def test_concurrent_writes_queue_instead_of_failing(monkeypatch, tmp_path, django_db_blocker):
    """Eight writers that each read then write in one transaction: none gets "database is locked"."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    django_db_blocker.unblock()
    handler = ConnectionHandler({"default": database_from_environment(sqlite_path=tmp_path / "db.sqlite3")})
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE attendance (id INTEGER PRIMARY KEY, seen INTEGER)")
    errors, writes_per_thread, threads = [], 25, 8

    def writer():
        # connections is thread-local: this thread's "default" becomes the file database.
        connections["default"] = handler["default"]
        try:
            for _ in range(writes_per_thread):
                with transaction.atomic(), connections["default"].cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM attendance")
                    seen = cursor.fetchone()[0]
                    cursor.execute("INSERT INTO attendance (seen) VALUES (%s)", [seen])
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)
        finally:
            connections["default"].close()

    workers = [threading.Thread(target=writer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT seen) FROM attendance")
        assert cursor.fetchone() == (threads * writes_per_thread, threads * writes_per_thread)
    handler.close_all()
    django_db_blocker.restore()


def test_system_checks_pass():
    """pytest skips Django's system checks; `migrate` and `runserver` do not, so run them here."""
    from django.core import checks

    errors = [message for message in checks.run_checks() if message.level >= checks.ERROR]
    assert errors == []
