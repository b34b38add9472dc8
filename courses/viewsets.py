"""The coordinator's admin screens for cohorts, enrollments and sessions; every save calls a service."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

from people.admin_views import ServiceCreateView, ServiceEditView
from people.exports import SafeExportIndexView
from people.models import Companion
from people.viewsets import companion_chooser_viewset

from .models import Cohort, Enrollment, Session
from .selectors import Replacement, enrollment_replacements
from .services import (
    cohort_create,
    cohort_update,
    enrollment_create,
    enrollment_replace,
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


class EnrollmentForm(WagtailAdminModelForm):
    class Meta:
        model = Enrollment
        fields = ["cohort", "companion", "status"]
        # Said here, not left to the chooser's registration: admin forms may be built before it runs.
        widgets = {"companion": companion_chooser_viewset.widget_class}


class EnrollmentCreateView(ServiceCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return enrollment_create(
            by=self.request.user, cohort=data["cohort"], companion=data["companion"], status=data["status"]
        )


class EnrollmentEditView(ServiceEditView):
    def save_instance(self):
        return enrollment_update(enrollment=self.stored_object(), by=self.request.user, **self.changes())

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.object.status == Enrollment.Status.ACTIVE and can_replace(self.request.user):
            url = reverse("enrollment:replace", args=[self.object.pk])
            buttons.append(Button(_("Replace companion"), url=url, icon_name="resubmit", priority=15))
        return buttons


def can_replace(user) -> bool:
    return user.has_perms(["courses.add_enrollment", "courses.change_enrollment"])


def replacement_text(replacement: Replacement | None) -> str:
    if replacement is None:
        return ""
    facts = {"name": replacement.other.companion, "date": date_format(replacement.at, "j F Y")}
    if replacement.replaced_by:
        return gettext("Replaced by %(name)s (%(date)s)") % facts
    return gettext("Replaces %(name)s (%(date)s)") % facts


class EnrollmentIndexView(SafeExportIndexView):
    """The list says who replaced whom, read from the audit log for the page shown."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("companion__user", "cohort")

    def get_table(self, object_list):
        self.replacements = enrollment_replacements(enrollment_ids=[enrollment.pk for enrollment in object_list])
        return super().get_table(object_list)

    @cached_property
    def columns(self):
        return [
            *super().columns,
            Column(
                "replacement",
                label=_("Replacement"),
                accessor=lambda enrollment: replacement_text(self.replacements.get(enrollment.pk)),
            ),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == Enrollment.Status.ACTIVE and can_replace(self.request.user):
            url = reverse("enrollment:replace", args=[instance.pk])
            buttons.append(MenuItem(_("Replace companion"), url=url, icon_name="resubmit", priority=15))
        return buttons


class EnrollmentReplaceForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=_("New companion"),
        queryset=Companion.objects.all(),
        widget=companion_chooser_viewset.widget_class(),
        help_text=_("The companion the village sends instead."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: left to work abroad. Kept in the enrollment's history."),
    )


class EnrollmentReplaceView(WagtailAdminTemplateMixin, FormView):
    """Mark an active enrollment replaced and enroll the successor, through enrollment_replace."""

    form_class = EnrollmentReplaceForm
    template_name = "courses/enrollment_replace.html"
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not can_replace(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def enrollment(self) -> Enrollment:
        return get_object_or_404(Enrollment.objects.select_related("companion__user", "cohort"), pk=self.kwargs["pk"])

    def get_page_title(self):
        return gettext("Replace %(name)s") % {"name": self.enrollment.companion}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("enrollment:index"), "label": _("Enrollments")},
            {"url": reverse("enrollment:edit", args=[self.enrollment.pk]), "label": str(self.enrollment)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(enrollment=self.enrollment, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            successor = enrollment_replace(
                enrollment=self.enrollment, by=self.request.user, successor=data["successor"], reason=data["reason"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("%(new)s replaces %(old)s in %(cohort)s.")
            % {"new": successor.companion, "old": self.enrollment.companion, "cohort": self.enrollment.cohort},
        )
        return redirect("enrollment:edit", successor.pk)


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
    index_view_class = EnrollmentIndexView
    add_view_class = EnrollmentCreateView
    edit_view_class = EnrollmentEditView
    form_fields = ["cohort", "companion", "status"]
    list_display = ["companion", "cohort", "status", "enrolled_at"]
    list_filter = ["cohort", "status"]
    list_export = ["companion", "cohort", "status", "enrolled_at"]
    search_fields = ["companion__user__full_name", "companion__user__username", "companion__village__name"]
    export_filename = "peserta"

    def get_form_class(self, for_update=False):
        return EnrollmentForm

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("replace/<str:pk>/", EnrollmentReplaceView.as_view(), name="replace")]


SESSION_FORM_FIELDS = ["cohort", "day", "starts_at", "ends_at", "title", "module", "jp_hours", "checkin_code"]


class SessionIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("cohort")

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
