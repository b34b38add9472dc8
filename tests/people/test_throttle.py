"""The login throttle: one count for every login path, atomic, and hard for a stranger to abuse."""

import threading

import pytest

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, connections
from django.db.utils import ConnectionHandler
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from lms.settings.base import database_from_environment
from people.models import LoginCounter, User
from people.throttle import client_address
from tests.factories import TEST_PASSWORD, UserFactory

INVALID_LOGIN_ID = "Nama pengguna, nomor HP, atau kata sandi salah. Periksa lagi lalu coba kembali."
THROTTLED_ID = "Terlalu banyak percobaan gagal. Tunggu 15 menit, lalu coba lagi."
STRANGER, OWNER = "36.80.1.2", "114.124.9.9"


def test_client_address_is_the_socket_without_a_proxy_header():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.5"


@override_settings(CLIENT_ADDRESS_HEADER="HTTP_X_FORWARDED_FOR")
def test_client_address_is_the_entry_the_trusted_proxy_added():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 36.80.1.2")
    assert client_address(request) == "36.80.1.2"


@pytest.fixture
def budi(db):
    return UserFactory(username="budi", phone="+6281234567890", groups=["Companion"])


def log_in(client, username, password=TEST_PASSWORD, *, address="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def admin_log_in(client, username, password=TEST_PASSWORD, *, address="127.0.0.1"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_wrong_passwords_at_the_admin_login_are_counted(client, budi):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        assert errors(admin_log_in(client, "budi", "salah")) == [INVALID_LOGIN_ID]
    response = admin_log_in(client, "budi")
    assert errors(response) == [THROTTLED_ID]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_account_paused_at_masuk_cannot_log_in_through_the_admin(client, budi):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, "budi", "salah")
    response = admin_log_in(client, "budi")
    assert errors(response) == [THROTTLED_ID]
    assert "_auth_user_id" not in client.session
    assert client.get("/").templates[0].name == "lms/landing.html"


@pytest.mark.django_db
def test_failures_at_both_logins_count_together(client, budi):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        (log_in if attempt % 2 else admin_log_in)(client, "budi", "salah")
    assert errors(log_in(client, "budi")) == [THROTTLED_ID]


@pytest.mark.django_db
def test_a_strangers_failures_do_not_pause_the_owner_elsewhere(client, budi):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, "budi", "salah", address=STRANGER)
    assert errors(log_in(client, "budi", address=STRANGER)) == [THROTTLED_ID]
    response = log_in(client, "budi", address=OWNER)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(budi.pk)


@pytest.mark.django_db
def test_the_account_pauses_everywhere_after_the_higher_limit_from_many_addresses(client, budi):
    per_address = settings.LOGIN_FAILURE_LIMIT
    for attempt in range(settings.LOGIN_FAILURE_ACCOUNT_LIMIT):
        log_in(client, "budi", "salah", address=f"36.80.2.{attempt // per_address}")
    assert errors(log_in(client, "budi", address=OWNER)) == [THROTTLED_ID]


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_ADDRESS_LIMIT=8)
def test_one_address_trying_many_accounts_is_paused(client, budi):
    for number in range(8):
        assert errors(log_in(client, f"pendamping{number:03d}", "salah")) == [INVALID_LOGIN_ID]
    assert errors(log_in(client, "budi")) == [THROTTLED_ID]
    assert log_in(client, "budi", address=OWNER).status_code == 302


@pytest.mark.django_db
def test_a_refused_attempt_does_not_count_again(client, budi):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT + 10):
        log_in(client, "budi", "salah", address=STRANGER)
    counts = dict(LoginCounter.objects.values_list("key", "count"))
    assert counts[f"account-address:user-{budi.pk}:{STRANGER}"] == settings.LOGIN_FAILURE_LIMIT
    assert counts[f"account:user-{budi.pk}"] == settings.LOGIN_FAILURE_LIMIT


@pytest.mark.django_db
def test_a_window_that_closed_starts_the_count_again(client, budi, settings):
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, "budi", "salah")
    LoginCounter.objects.update(window_ends="2017-10-30T08:00:00+07:00")
    assert log_in(client, "budi").status_code == 302


@pytest.fixture
def own_database(db, tmp_path, django_db_blocker):
    """Connections of their own, outside the test's transaction, so that requests really race.

    PostgreSQL: new connections to the test database. SQLite: a file database in WAL mode, as in
    production, with the tables a login needs.
    """
    if connection.vendor == "sqlite":
        handler = ConnectionHandler({"default": database_from_environment(sqlite_path=tmp_path / "db.sqlite3")})
    else:
        handler = ConnectionHandler({"default": dict(connection.settings_dict)})
    test_connection = connections["default"]
    connections["default"] = handler["default"]
    try:
        if connection.vendor == "sqlite":
            call_command("migrate", "people", verbosity=0)
            call_command("migrate", "sessions", verbosity=0)
        User.objects.create(username="siti", password=make_password(TEST_PASSWORD))
    finally:
        connections["default"] = test_connection
    yield handler
    connections["default"] = handler["default"]
    try:
        LoginCounter.objects.all().delete()
        User.objects.filter(username="siti")._raw_delete(User.objects.db)  # nothing refers to it
    finally:
        handler.close_all()
        connections["default"] = test_connection


def thirty_at_once(own_database) -> list[str]:
    """Thirty wrong passwords for one account, sent at the same moment; what each was told."""
    requests, barrier, results = 30, threading.Barrier(30), []

    def attempt():
        connections["default"] = own_database["default"]  # this thread's own connection
        try:
            client = Client()
            barrier.wait(timeout=30)
            response = client.post(reverse("login"), {"username": "siti", "password": "salah"})
            # Not response.context: the test client collects it through a signal shared by all threads.
            html = response.content.decode()
            results.append("throttled" if THROTTLED_ID in html else "judged" if INVALID_LOGIN_ID in html else html)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=attempt) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == requests
    return results


def counts_in(own_database) -> dict[str, int]:
    connections["default"] = own_database["default"]
    try:
        return dict(LoginCounter.objects.values_list("key", "count"))
    finally:
        connections["default"].close()


@pytest.mark.django_db
def test_thirty_simultaneous_wrong_passwords_are_judged_five_times(own_database):
    results = thirty_at_once(own_database)
    assert results.count("judged") == settings.LOGIN_FAILURE_LIMIT
    assert results.count("throttled") == 30 - settings.LOGIN_FAILURE_LIMIT
    assert sorted(counts_in(own_database).values()) == [5, 5, 5]


@pytest.mark.django_db
def test_thirty_simultaneous_attempts_as_a_window_closes_are_judged_five_times(own_database):
    thirty_at_once(own_database)
    connections["default"] = own_database["default"]
    try:
        LoginCounter.objects.update(window_ends="2017-10-30T08:00:00+07:00")  # the window has closed
    finally:
        connections["default"].close()
    results = thirty_at_once(own_database)
    assert results.count("judged") == settings.LOGIN_FAILURE_LIMIT
    assert sorted(counts_in(own_database).values()) == [5, 5, 5]


@pytest.mark.django_db
def test_pruning_removes_closed_windows_only(budi, client):
    from people.throttle import login_counters_prune

    log_in(client, "budi", "salah")
    LoginCounter.objects.create(key="address:10.9.9.9", count=3, window_ends="2017-10-30T08:00:00+07:00")
    assert login_counters_prune() == 1
    assert LoginCounter.objects.count() == 3
