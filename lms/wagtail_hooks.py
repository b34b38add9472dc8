from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import base_page_viewset

from assessments.bank_views import QuestionBankViewSet
from assessments.report_views import AssessmentReportViewSet
from assessments.viewsets import QuizWindowViewSet
from certificates.admin_views import CertificateViewSet
from certificates.viewsets import CertificateTemplateViewSet
from courses.access_views import AccessViewSet
from courses.viewsets import EnrollmentViewSet, SessionViewSet
from people.import_views import RosterImportViewSet
from people.viewsets import VillageViewSet

from .admin_fixes import PageSearchView
from .dashboard.panels import RecentCohortsPanel
from .dashboard.viewsets import CohortViewSet, CompanionViewSet, DashboardViewSet

# The page search's views are built from this on first use, after the hooks are loaded.
base_page_viewset.search_view_class = PageSearchView


class TrainingGroup(ViewSetGroup):
    """Everything a coordinator manages, under one menu."""

    menu_label = _("Training")
    menu_icon = "group"
    menu_order = 150
    items = (
        DashboardViewSet,
        CohortViewSet,
        EnrollmentViewSet,
        SessionViewSet,
        QuizWindowViewSet,
        CompanionViewSet,
        AccessViewSet,
        VillageViewSet,
        RosterImportViewSet,
        QuestionBankViewSet,
        AssessmentReportViewSet,
        CertificateViewSet,
        CertificateTemplateViewSet,
    )


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingGroup()


@hooks.register("construct_homepage_panels")
def add_recent_cohorts_panel(request, panels):
    panels.insert(0, RecentCohortsPanel(user=request.user))
