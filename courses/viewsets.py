"""The coordinator's admin screens for cohorts and enrollments; every save calls a service."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from .models import Cohort, Enrollment
from .services import cohort_create, cohort_update, enrollment_create, enrollment_update


class CohortCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        cohort = cohort_create(
            program=data["program"],
            name=data["name"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            venue=data["venue"],
            trainers=data["trainers"],
        )
        log(instance=cohort, action="wagtail.create", user=self.request.user)
        return cohort


class CohortEditView(EditView):
    def save_instance(self):
        cohort = cohort_update(cohort=self.form.instance, trainers=self.form.cleaned_data["trainers"])
        log(instance=cohort, action="wagtail.edit", user=self.request.user)
        return cohort


class EnrollmentCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        enrollment = enrollment_create(cohort=data["cohort"], companion=data["companion"], status=data["status"])
        log(instance=enrollment, action="wagtail.create", user=self.request.user)
        return enrollment


class EnrollmentEditView(EditView):
    def save_instance(self):
        enrollment = enrollment_update(enrollment=self.form.instance)
        log(instance=enrollment, action="wagtail.edit", user=self.request.user)
        return enrollment


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    add_to_admin_menu = False
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
    add_view_class = EnrollmentCreateView
    edit_view_class = EnrollmentEditView
    form_fields = ["cohort", "companion", "status"]
    list_display = ["companion", "cohort", "status", "enrolled_at"]
    list_filter = ["cohort", "status"]
    list_export = ["companion", "cohort", "status", "enrolled_at"]
    search_fields = ["companion__user__full_name", "companion__user__username", "companion__village__name"]
    export_filename = "peserta"
