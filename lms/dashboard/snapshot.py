"""The stored figures of the across-cohorts dashboard: read by its screen and export, refreshed in the background.

Counting every cohort's attendance and answers takes seconds at national scale, too long for a
page view; so coordinators read the sums as of `computed_at`, and refresh them with a button (a
background task) or `manage.py refresh_dashboard`. A cohort's own dashboard is counted live.
"""

from django_tasks import task

from django.utils import timezone

from lms.models import DashboardSnapshot

from .selectors import Dashboard, dashboard_figures, dashboard_of

EVERY_COHORT = "all"


def refresh_snapshot() -> DashboardSnapshot:
    """Count every cohort now and store the figures.

    Not an audited write: the row is derived from data whose own changes are audited, and
    holds no person's data.
    """
    computed_at = timezone.now()
    figures = dashboard_figures(cohorts=None)
    snapshot, _created = DashboardSnapshot.objects.update_or_create(
        key=EVERY_COHORT, defaults={"figures": figures, "computed_at": computed_at}
    )
    return snapshot


@task()
def refresh_snapshot_task() -> None:
    refresh_snapshot()


def every_cohort_dashboard() -> tuple[Dashboard, DashboardSnapshot]:
    """The stored dashboard of every cohort; counted (once, here) when nothing is stored yet."""
    snapshot = DashboardSnapshot.objects.filter(key=EVERY_COHORT).first() or refresh_snapshot()
    return dashboard_of(snapshot.figures), snapshot
