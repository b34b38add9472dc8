"""The across-cohorts dashboard reads stored figures, refreshed on request; a cohort's is counted live."""

import datetime
import io

import pytest

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lms.dashboard.selectors import dashboard, dashboard_figures, dashboard_of
from lms.dashboard.snapshot import EVERY_COHORT, refresh_snapshot
from lms.models import DashboardSnapshot
from tests.factories import CohortFactory, UserFactory
from tests.lms.test_dashboard import add_companion, assert_screen_equals_exports, build_cohort, screen_tables

pytestmark = pytest.mark.django_db

WIB = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def coordinator_client(client):
    client.force_login(UserFactory(groups=["Coordinator"]))
    return client


def summary_of(client, url=None) -> list[str]:
    return screen_tables(client.get(url or reverse("dashboard:index")))["ringkasan"][0]


def test_first_view_counts_and_stores_the_figures(coordinator_client, program):
    build_cohort(program, companions=3)
    assert summary_of(coordinator_client)[:2] == ["1", "3"]
    assert DashboardSnapshot.objects.filter(key=EVERY_COHORT).count() == 1


def test_screen_and_export_show_the_stored_figures_until_they_are_counted_again(coordinator_client, program):
    build_cohort(program, companions=3)
    coordinator_client.get(reverse("dashboard:index"))
    build_cohort(program, name="Angkatan II 2018", companions=2)

    stale = summary_of(coordinator_client)
    assert stale[:2] == ["1", "3"]
    assert_screen_equals_exports(
        coordinator_client,
        [stale],
        reverse("dashboard:export", args=["ringkasan", "xlsx"]),
        reverse("dashboard:export", args=["ringkasan", "csv"]),
    )

    response = coordinator_client.post(reverse("dashboard:refresh"))  # the immediate task backend in tests
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:index")
    fresh = summary_of(coordinator_client)
    assert fresh[:2] == ["2", "5"]
    assert_screen_equals_exports(
        coordinator_client,
        [fresh],
        reverse("dashboard:export", args=["ringkasan", "xlsx"]),
        reverse("dashboard:export", args=["ringkasan", "csv"]),
    )


def test_screen_says_when_the_figures_were_counted(coordinator_client, program):
    build_cohort(program, companions=1)
    refresh_snapshot()
    DashboardSnapshot.objects.update(computed_at=datetime.datetime(2017, 11, 2, 14, 5, tzinfo=WIB))
    html = coordinator_client.get(reverse("dashboard:index")).content.decode()
    assert "2 November 2017, 14:05 WIB" in html
    assert reverse("dashboard:refresh") in html


def test_a_cohorts_dashboard_is_counted_live(coordinator_client, program):
    cohort, _ = build_cohort(program, companions=2)
    coordinator_client.get(reverse("dashboard:index"))
    add_companion(cohort, name="Datang Kemudian")
    url = reverse("dashboard:cohort", args=[cohort.pk])
    assert summary_of(coordinator_client, url)[:2] == ["1", "3"]
    assert reverse("dashboard:refresh") not in coordinator_client.get(url).content.decode()


def test_trainers_dashboard_of_their_cohorts_is_counted_live(client, program):
    trainer = UserFactory(groups=["Trainer"])
    cohort, _ = build_cohort(program, companions=2, trainer=trainer)
    client.force_login(trainer)
    assert summary_of(client)[:2] == ["1", "2"]
    add_companion(cohort, name="Datang Kemudian")
    assert summary_of(client)[:2] == ["1", "3"]
    assert not DashboardSnapshot.objects.exists()


def test_stored_figures_make_the_same_tables_as_counting_now(program):
    build_cohort(program)
    build_cohort(program, name="Angkatan II 2018", companions=3)
    CohortFactory(program=program, name="Angkatan Kosong")
    stored = dashboard_of(refresh_snapshot().figures)
    stored_again = dashboard_of(DashboardSnapshot.objects.get().figures)  # through JSON and back
    live = dashboard(cohorts=None)
    for expected, table, again in zip(live.tables(), stored.tables(), stored_again.tables(), strict=True):
        assert table.rows == expected.rows
        assert again.rows == expected.rows


def test_refresh_command_stores_the_figures_of_now(program):
    build_cohort(program, companions=2)
    before = timezone.now()
    call_command("refresh_dashboard", stdout=io.StringIO())
    snapshot = DashboardSnapshot.objects.get(key=EVERY_COHORT)
    assert snapshot.computed_at >= before
    assert snapshot.figures == dashboard_figures(cohorts=None)
