"""The coordinator's roster import in the admin: choose a cohort and a file, see the preview, confirm.

Each upload becomes an ImportJob. Small files are checked and imported inside the request;
large ones by the background worker, while the job's page refreshes itself to show progress.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from courses.models import Cohort

from .models import ImportJob
from .roster import import_job_create, import_job_start

# Importing creates companions and enrolls them: both are the coordinator's.
IMPORT_PERMISSIONS = ("people.add_companion", "people.change_companion", "courses.add_enrollment")
UPLOAD_LIMIT = 10 * 1024 * 1024
CHANGE_LABELS = {
    "full_name": _("name"),
    "phone": _("mobile phone"),
    "village": _("village"),
    "enrollment": _("enrolled in this cohort"),
}


def may_import(user) -> bool:
    return user.has_perms(IMPORT_PERMISSIONS)


def job_may_be_confirmed(job: ImportJob) -> bool:
    """Checked, without an error, and with something to write."""
    result = job.result or {}
    counts = result.get("counts", {})
    return (
        job.status == ImportJob.Status.CHECKED
        and not result.get("file_errors")
        and not counts.get("error")
        and bool(counts.get("new") or counts.get("updated"))
    )


class RosterUploadForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.all(), help_text=_("The companions are enrolled in this cohort.")
    )
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(
            "Excel (.xlsx) or CSV. The first row names the columns: nama, NIK, jenis kelamin, tanggal lahir, "
            "no HP, desa, kecamatan, kabupaten/kota, provinsi, kode wilayah."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".xlsm", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an Excel file (.xlsx) or a CSV file."))
        if upload.size > UPLOAD_LIMIT:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_import(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class RosterUploadView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    page_title = _("Import companions")
    header_icon = "upload"
    template_name = "people/roster_import/upload.html"
    form_class = RosterUploadForm

    def get_initial(self):
        return {"cohort": self.request.GET.get("cohort")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_jobs"] = ImportJob.objects.select_related("cohort", "created_by")[:10]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = import_job_create(
            cohort=form.cleaned_data["cohort"], filename=upload.name, data=upload.read(), by=self.request.user
        )
        import_job_start(job=job)
        return redirect("roster_import:job", pk=job.pk)


class ImportJobView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """The preview while and after the file is checked; POST confirms the import."""

    page_title = _("Import companions")
    header_icon = "upload"
    template_name = "people/roster_import/job.html"

    def get_job(self) -> ImportJob:
        return get_object_or_404(ImportJob.objects.select_related("cohort", "created_by"), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.job.cohort)

    def get(self, request, *args, **kwargs):
        self.job = self.get_job()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.job = job = self.get_job()
        if job_may_be_confirmed(job):
            import_job_start(job=job, confirm=True)
        else:
            messages.error(request, _("Only a checked file without errors can be imported."))
        return redirect("roster_import:job", pk=job.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = self.job.result or {}
        rows = result.get("rows", [])
        for row in rows:
            row["change_labels"] = [str(CHANGE_LABELS.get(change, change)) for change in row["changes"]]
        counts = result.get("counts", {})
        context.update(
            job=self.job,
            result=result,
            counts=counts,
            error_rows=[row for row in rows if row["errors"]],
            warning_rows=[row for row in rows if row["warnings"]],
            new_rows=[row for row in rows if row["status"] == "new"],
            updated_rows=[row for row in rows if row["status"] == "updated"],
            can_confirm=job_may_be_confirmed(self.job),
            upload_url=reverse("roster_import:upload") + f"?cohort={self.job.cohort_id}",
        )
        return context


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import(request.user)


class RosterImportViewSet(ViewSet):
    """The "Import companions" item of the Training menu, shown to those who may import."""

    name = "roster_import"
    url_prefix = "impor-peserta"
    icon = "upload"
    menu_label = _("Import companions")

    @property
    def menu_item_class(self):
        return ImportMenuItem

    def get_urlpatterns(self):
        return [
            path("", RosterUploadView.as_view(), name="upload"),
            path("<int:pk>/", ImportJobView.as_view(), name="job"),
        ]
