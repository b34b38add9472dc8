"""The dashboard, the progress screens and their exports, in the Wagtail admin.

Coordinators see every cohort; trainers the cohorts they teach, read-only; a cohort outside
the user's is answered 404, as if it did not exist.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import InspectView

from courses.models import Cohort, Enrollment
from people.exports import SafeExportIndexView

from . import selectors
from .access import cohorts_for, reads_cohorts, reads_every_cohort, sees_personal_data
from .charts import bar_chart
from .exports import table_response
from .snapshot import every_cohort_dashboard, refresh_snapshot_task
from .tables import Kind, Table


@dataclass
class Section:
    """A table on the screen with its chart and its two export links."""

    table: Table
    xlsx_url: str
    csv_url: str

    @property
    def chart(self) -> SafeString:
        chart = self.table.chart
        if chart is None:
            return SafeString("")
        unit = " %" if self.table.columns[chart.value_column].kind == Kind.PERCENT else ""
        return bar_chart(self.table, unit=unit)


def sections(tables: list[Table], *, cohort: Cohort | None = None) -> list[Section]:
    def url(slug: str, fmt: str) -> str:
        if cohort is None:
            return reverse("dashboard:export", args=[slug, fmt])
        return reverse("dashboard:cohort_export", args=[cohort.pk, slug, fmt])

    return [Section(table=table, xlsx_url=url(table.slug, "xlsx"), csv_url=url(table.slug, "csv")) for table in tables]


def every_or_own_cohorts(user) -> QuerySet[Cohort] | None:
    """The dashboard's cohorts: None (every one, read without a filter) for coordinators."""
    return None if reads_every_cohort(user) else cohorts_for(user)


def board_of(user, cohorts: QuerySet[Cohort] | None, *, context=None) -> selectors.Dashboard:
    """Every cohort's dashboard from the stored figures (for coordinators); any other, counted now.

    `context.snapshot` is set to the stored row read, if any, so the screen can say how old it is.
    """
    if cohorts is None:
        board, stored = every_cohort_dashboard()
        if context is not None:
            context.snapshot = stored
        return board
    return selectors.dashboard(cohorts=cohorts)


class CohortReaderMixin:
    """Staff with cohorts to read (trainers, coordinators); others go back to the admin's home."""

    object = None  # the cohort of an address with a `pk`, one of the user's

    def dispatch(self, request, *args, **kwargs):
        if not reads_cohorts(request.user):
            return permission_denied(request)
        if "pk" in kwargs:  # before the method check: another's cohort is not found, whatever the method
            self.object = get_object_or_404(cohorts_for(request.user).select_related("program"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class DashboardView(CohortReaderMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "lms/dashboard/dashboard.html"
    page_title = _("Dashboard")
    header_icon = "table"

    def get_cohorts(self) -> QuerySet[Cohort] | None:
        return every_or_own_cohorts(self.request.user)

    def get_board(self) -> selectors.Dashboard:
        return board_of(self.request.user, self.get_cohorts(), context=self)

    def get_context_data(self, **kwargs):
        self.snapshot = None
        context = super().get_context_data(**kwargs)
        board = self.get_board()
        context["board"] = board
        context["snapshot"] = self.snapshot
        context["refresh_url"] = reverse("dashboard:refresh")
        context["summary"] = sections([board.summary], cohort=self.object)[0]
        context["sections"] = sections(board.tables()[1:], cohort=self.object)
        return context


class CohortDashboardView(DashboardView):
    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("dashboard:index"), "label": _("Dashboard")},
            {"url": "", "label": str(self.object)},
        ]

    def get_cohorts(self) -> QuerySet[Cohort]:
        return Cohort.objects.filter(pk=self.object.pk)

    def get_board(self) -> selectors.Dashboard:
        return selectors.dashboard(cohorts=self.get_cohorts())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.object
        context["progress_url"] = reverse("cohort:inspect", args=[self.object.pk])
        return context


class DashboardExportView(CohortReaderMixin, View):
    """One table of the dashboard as XLSX or CSV: the same rows the screen shows."""

    def get(self, request, slug: str, fmt: str, pk: int | None = None):
        cohorts = every_or_own_cohorts(request.user) if pk is None else Cohort.objects.filter(pk=self.object.pk)
        table = board_of(request.user, cohorts).table(slug)
        if table is None:
            raise Http404
        return table_response(table, fmt=fmt, filename=f"dasbor-{slug}" if pk is None else f"angkatan-{pk}-{slug}")


class DashboardRefreshView(View):
    """Count every cohort's figures again, in the background; coordinators only."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not reads_every_cohort(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        refresh_snapshot_task.enqueue()
        messages.success(request, _("The figures are being counted again; reload the page in a minute."))
        return redirect("dashboard:index")


class CohortTableExportView(CohortReaderMixin, View):
    """The cohort's roster, attendance, progress or results; the NIK only for coordinators."""

    def get(self, request, pk: int, slug: str, fmt: str):
        cohort = self.object
        table = selectors.cohort_table(cohort=cohort, slug=slug, personal=sees_personal_data(request.user))
        if table is None:
            raise Http404
        return table_response(table, fmt=fmt, filename=f"angkatan-{cohort.pk}-{slug}")


class CohortIndexView(SafeExportIndexView):
    """The cohort list: every cohort for coordinators, their own for trainers."""

    def get_base_queryset(self):
        return super().get_base_queryset().filter(pk__in=cohorts_for(self.request.user).values("pk"))

    def get_list_more_buttons(self, instance):
        """Wagtail's "Inspect" is this cohort's progress screen, so it says so; the dashboard is next to it."""
        buttons = super().get_list_more_buttons(instance)
        inspect_url = self.get_inspect_url(instance)
        for button in buttons:
            if button.url == inspect_url:
                button.label = _("Progress")
        dashboard_url = reverse("dashboard:cohort", args=[instance.pk])
        buttons.append(MenuItem(_("Dashboard"), url=dashboard_url, icon_name="table", priority=25))
        return buttons


class CohortProgressView(InspectView):
    """The cohort's screen: its details, then each companion's progress (the "Kemajuan" table)."""

    template_name = "lms/dashboard/cohort_progress.html"
    page_title = _("Progress")
    fields = ["program", "name", "start_date", "end_date", "venue", "trainers"]

    def get_object(self, queryset=None):
        return get_object_or_404(cohorts_for(self.request.user), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = self.object
        context["progress"] = sections([selectors.progress_table(enrollments=cohort.enrollments.all())], cohort=cohort)[
            0
        ]
        context["dashboard_url"] = reverse("dashboard:cohort", args=[cohort.pk])
        context["exports"] = [
            (
                label,
                reverse("dashboard:cohort_table", args=[cohort.pk, slug, "xlsx"]),
                reverse("dashboard:cohort_table", args=[cohort.pk, slug, "csv"]),
            )
            for slug, label in COHORT_EXPORTS
        ]
        return context


COHORT_EXPORTS = [
    ("peserta", _("Companions")),
    ("kehadiran", _("Attendance")),
    ("kemajuan", _("Progress")),
    ("hasil", _("Results")),
]


class CompanionProgressView(InspectView):
    """A companion's page: who they are, then their progress in each cohort."""

    template_name = "lms/dashboard/companion_progress.html"
    fields = ["user", "nik", "gender", "birth_date", "village"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrollments = Enrollment.objects.filter(companion=self.object)
        context["progress"] = selectors.progress_table(enrollments=enrollments, by_cohort=True)
        return context
