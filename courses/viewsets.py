"""The coordinator's admin screens for cohorts and enrollments; every save calls a service."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.viewsets.model import ModelViewSet

from people.admin_views import ServiceCreateView, ServiceEditView
from people.exports import SafeExportIndexView

from .models import Cohort, Enrollment
from .services import cohort_create, cohort_update, enrollment_create, enrollment_update


class CohortCreateView(ServiceCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return cohort_create(
            by=self.request.user,
            program=data["program"],
            name=data["name"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            venue=data["venue"],
            trainers=data["trainers"],
        )


class CohortEditView(ServiceEditView):
    def save_instance(self):
        return cohort_update(cohort=self.stored_object(), by=self.request.user, **self.changes())


class EnrollmentCreateView(ServiceCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return enrollment_create(
            by=self.request.user, cohort=data["cohort"], companion=data["companion"], status=data["status"]
        )


class EnrollmentEditView(ServiceEditView):
    def save_instance(self):
        return enrollment_update(enrollment=self.stored_object(), by=self.request.user, **self.changes())


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    add_to_admin_menu = False
    index_view_class = SafeExportIndexView
    add_view_class = CohortCreateView
    edit_view_class = CohortEditView
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
    index_view_class = SafeExportIndexView
    add_view_class = EnrollmentCreateView
    edit_view_class = EnrollmentEditView
    form_fields = ["cohort", "companion", "status"]
    list_display = ["companion", "cohort", "status", "enrolled_at"]
    list_filter = ["cohort", "status"]
    list_export = ["companion", "cohort", "status", "enrolled_at"]
    search_fields = ["companion__user__full_name", "companion__user__username", "companion__village__name"]
    export_filename = "peserta"
