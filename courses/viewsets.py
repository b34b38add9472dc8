"""The coordinator's admin screens for cohorts, enrollments and sessions; every save calls a service."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

from people.admin_views import ServiceCreateView, ServiceEditView
from people.exports import SafeExportIndexView

from .models import Cohort, Enrollment, Session
from .services import (
    cohort_create,
    cohort_update,
    enrollment_create,
    enrollment_update,
    session_create,
    session_delete,
    session_update,
    sessions_generate,
)


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


SESSION_FORM_FIELDS = ["cohort", "day", "starts_at", "ends_at", "title", "module", "jp_hours", "checkin_code"]


class SessionIndexView(SafeExportIndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(
                HeaderButton(_("Generate from schedule"), url=reverse("session:generate"), icon_name="calendar")
            )
        return buttons


class SessionCreateView(ServiceCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return session_create(by=self.request.user, **{field: data[field] for field in SESSION_FORM_FIELDS[:-1]})


class SessionEditView(ServiceEditView):
    def save_instance(self):
        return session_update(session=self.stored_object(), by=self.request.user, **self.changes())

    @cached_property
    def header_more_buttons(self):
        return [
            Button(_("Attendance"), url=reverse("staff:attendance", args=[self.object.pk]), icon_name="tasks"),
            Button(_("Check-in code"), url=reverse("staff:checkin-code", args=[self.object.pk]), icon_name="view"),
            *super().header_more_buttons,
        ]


class SessionDeleteView(DeleteView):
    def form_valid(self, form):
        try:
            session_delete(session=self.object, by=self.request.user)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect(self.edit_url_name, self.object.pk)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


class SessionGenerateForm(forms.Form):
    cohort = forms.ModelChoiceField(
        Cohort.objects.select_related("program"),
        label=_("Cohort"),
        help_text=_("Its sessions are made from its program's schedule; sessions it already has are kept."),
    )


class SessionGenerateView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Training › Sessions › Generate: one cohort's sessions from its program's schedule."""

    model = Session
    permission_required = "add"
    form_class = SessionGenerateForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = _("Generate sessions from the schedule")
    header_icon = "calendar"

    def get_initial(self):
        return {"cohort": self.request.GET.get("cohort")}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("session:index"), "label": gettext("Sessions")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("session:generate"), submit_button_label=gettext("Generate"), **kwargs
        )

    def form_valid(self, form):
        cohort = form.cleaned_data["cohort"]
        try:
            created = sessions_generate(cohort=cohort, by=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        message = ngettext(
            "%(count)d session created for %(cohort)s.", "%(count)d sessions created for %(cohort)s.", len(created)
        ) % {"count": len(created), "cohort": cohort.name}
        messages.success(self.request, message)
        return redirect(reverse("session:index") + f"?cohort={cohort.pk}")


class SessionViewSet(ModelViewSet):
    model = Session
    icon = "calendar"
    menu_label = _("Sessions")
    add_to_admin_menu = False
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    form_fields = SESSION_FORM_FIELDS
    list_display = ["title", "cohort", "day", "starts_at", "ends_at", "jp_hours"]
    list_filter = ["cohort", "day"]
    list_export = ["cohort", "day", "starts_at", "ends_at", "title", "module", "jp_hours"]
    search_fields = ["title"]
    export_filename = "sesi"
    ordering = ["cohort", "starts_at"]

    def get_form_class(self, for_update=False):
        if for_update:
            return super().get_form_class(for_update=True)
        # A new session's check-in code is drawn by session_create, unlike any other in its cohort.
        fields = [field for field in SESSION_FORM_FIELDS if field != "checkin_code"]
        return modelform_factory(self.model, formfield_callback=self.formfield_for_dbfield, fields=fields)

    @property
    def generate_view(self):
        return SessionGenerateView.as_view()

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("generate/", self.generate_view, name="generate")]
