"""The dashboard's place in the admin, and the cohort and companion screens with their progress."""

from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from courses import viewsets as courses_viewsets
from people import viewsets as people_viewsets

from .access import reads_cohorts
from .views import (
    CohortDashboardView,
    CohortIndexView,
    CohortProgressView,
    CohortTableExportView,
    CompanionProgressView,
    DashboardExportView,
    DashboardRefreshView,
    DashboardView,
)


class ExportFormatConverter:
    regex = "xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormatConverter, "export_format")


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return reads_cohorts(request.user)


class DashboardViewSet(ViewSet):
    name = "dashboard"
    url_prefix = "dasbor"
    icon = "table"
    menu_label = _("Dashboard")
    add_to_admin_menu = False

    def get_urlpatterns(self):
        return [
            path("", DashboardView.as_view(), name="index"),
            path("ekspor/<slug:slug>.<export_format:fmt>", DashboardExportView.as_view(), name="export"),
            path("hitung-ulang/", DashboardRefreshView.as_view(), name="refresh"),
            path("angkatan/<int:pk>/", CohortDashboardView.as_view(), name="cohort"),
            path(
                "angkatan/<int:pk>/ekspor/<slug:slug>.<export_format:fmt>",
                DashboardExportView.as_view(),
                name="cohort_export",
            ),
            path(
                "angkatan/<int:pk>/daftar/<slug:slug>.<export_format:fmt>",
                CohortTableExportView.as_view(),
                name="cohort_table",
            ),
        ]

    menu_item_class = DashboardMenuItem


class CohortViewSet(courses_viewsets.CohortViewSet):
    """The cohort screens, with the list limited to a trainer's own and a "Progress" screen."""

    index_view_class = CohortIndexView
    inspect_view_enabled = True
    inspect_view_class = CohortProgressView


class CompanionViewSet(people_viewsets.CompanionViewSet):
    """The companion screens, with a page of the companion's progress in each cohort."""

    inspect_view_enabled = True
    inspect_view_class = CompanionProgressView
