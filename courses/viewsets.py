from django.utils.translation import gettext_lazy as _

from wagtail.admin.viewsets.model import ModelViewSet

from .models import Cohort, Enrollment


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    add_to_admin_menu = False
    form_fields = ["program", "name", "start_date", "end_date", "venue", "trainers"]
    list_display = ["name", "program", "start_date", "end_date", "venue"]
    list_filter = ["program", "start_date"]
    list_export = ["name", "program", "start_date", "end_date", "venue"]
    search_fields = ["name", "venue"]
    export_filename = "angkatan"


class EnrollmentViewSet(ModelViewSet):
    model = Enrollment
    icon = "user"
    menu_label = _("Enrollments")
    add_to_admin_menu = False
    form_fields = ["cohort", "companion", "status"]
    list_display = ["companion", "cohort", "status", "enrolled_at"]
    list_filter = ["cohort", "status"]
    list_export = ["companion", "cohort", "status", "enrolled_at"]
    search_fields = ["companion__user__full_name", "companion__user__username", "companion__village__name"]
    export_filename = "peserta"
