"""The coordinator's certificate screens in the Wagtail admin (Training → Certificates).

Each action calls one service; reads come from selectors.py. Files are streamed from the
private storage, never linked by their path.
"""

import io
import zipfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from wagtail.admin.auth import permission_denied
from wagtail.admin.viewsets.base import ViewSet

from courses import urls as courses_urls  # noqa: F401 - registers the `rowid` converter
from courses.models import Cohort

from .forms import ReissueForm, RevokeForm, RuleForm
from .models import Certificate
from .selectors import cohort_standings, render_progress
from .services import (
    certificate_reissue,
    certificate_revoke,
    certificates_issue,
    certificates_render_again,
    cohort_rule_update,
)
from .sharing import whatsapp_link

MANAGE = "certificates.change_certificate"


def coordinators_only(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm(MANAGE):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__module__ = view.__module__
    return wrapped


def screen(request, template: str, context: dict, *, title: str):
    context = {
        "header_title": title,
        "page_title": title,
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("certificates_admin:index"), "label": _("Certificates")},
            {"url": "", "label": title},
        ],
        **context,
    }
    return TemplateResponse(request, template, context)


@require_safe
@coordinators_only
def cohort_index(request):
    cohorts = Cohort.objects.select_related("program").annotate(
        enrolled=Count("enrollments", distinct=True),
        issued=Count("enrollments__certificate", distinct=True),
        revoked=Count("enrollments__certificate", filter=Q(enrollments__certificate__revoked_at__isnull=False)),
    )
    return screen(request, "certificates/admin/index.html", {"cohorts": cohorts}, title=_("Certificates"))


@require_safe
@coordinators_only
def cohort_certificates(request, cohort_id):
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_id)
    standings = cohort_standings(cohort)
    for standing in standings:
        if standing.certificate is not None:
            standing.whatsapp = whatsapp_link(standing.certificate, phone=standing.enrollment.companion.user.phone)
    progress = render_progress(cohort)
    context = {
        "cohort": cohort,
        "standings": standings,
        "progress": progress,
        "eligible_without": sum(1 for s in standings if s.verdict.eligible and s.certificate is None),
        "eligible": sum(1 for s in standings if s.verdict.eligible),
        # The page reloads itself while PDFs are being made: a meta refresh, no script.
        "refresh": progress.pending > 0,
    }
    return screen(request, "certificates/admin/cohort.html", context, title=str(cohort))


@require_POST
@coordinators_only
def issue_all(request, cohort_id):
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    issued = certificates_issue(cohort=cohort, by=request.user)
    if issued:
        messages.success(
            request, _("%(count)d certificates issued; their PDFs are being made.") % {"count": len(issued)}
        )
    else:
        messages.warning(request, _("No eligible companion is waiting for a certificate."))
    return redirect("certificates_admin:cohort", cohort_id=cohort.pk)


@require_POST
@coordinators_only
def issue_one(request, cohort_id, enrollment_id):
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    enrollment = get_object_or_404(cohort.enrollments, pk=enrollment_id)
    try:
        [certificate] = certificates_issue(cohort=cohort, by=request.user, enrollment_ids=[enrollment.pk])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Certificate %(number)s issued.") % {"number": certificate.number})
    return redirect("certificates_admin:cohort", cohort_id=cohort.pk)


@require_POST
@coordinators_only
def render_again(request, cohort_id):
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    count = certificates_render_again(cohort=cohort, by=request.user)
    messages.success(request, _("%(count)d PDFs queued to be made again.") % {"count": count})
    return redirect("certificates_admin:cohort", cohort_id=cohort.pk)


@coordinators_only
def cohort_rule(request, cohort_id):
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_id)
    rule = getattr(cohort, "certificate_rule", None)
    form = RuleForm(request.POST if request.method == "POST" else None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            cohort_rule_update(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The cohort's certificate rule is saved."))
            return redirect("certificates_admin:cohort", cohort_id=cohort.pk)
    return screen(
        request, "certificates/admin/rule.html", {"cohort": cohort, "form": form}, title=_("Rule for %s") % cohort
    )


def certificate_form_view(request, pk, *, form_class, action, template: str, title: str, done: str):
    certificate = get_object_or_404(Certificate.objects.select_related("enrollment"), pk=pk)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            action(certificate=certificate, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done % {"number": certificate.number})
            return redirect("certificates_admin:cohort", cohort_id=certificate.enrollment.cohort_id)
    context = {"certificate": certificate, "form": form}
    return screen(request, template, context, title=title % {"number": certificate.number})


@coordinators_only
def revoke(request, pk):
    return certificate_form_view(
        request,
        pk,
        form_class=RevokeForm,
        action=certificate_revoke,
        template="certificates/admin/revoke.html",
        title=_("Revoke %(number)s"),
        done=_("Certificate %(number)s revoked."),
    )


@coordinators_only
def reissue(request, pk):
    return certificate_form_view(
        request,
        pk,
        form_class=ReissueForm,
        action=certificate_reissue,
        template="certificates/admin/reissue.html",
        title=_("Reissue %(number)s"),
        done=_("Certificate %(number)s reissued; its new PDF is being made."),
    )


def rendered(cohort) -> list[Certificate]:
    return list(
        Certificate.objects.filter(enrollment__cohort=cohort, revoked_at__isnull=True)
        .exclude(pdf="")
        .order_by("year", "sequence")
    )


@require_safe
@coordinators_only
def cohort_zip(request, cohort_id):
    """Every valid certificate's PDF in one ZIP; PDFs are compressed already, so stored as they are."""
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in rendered(cohort):
            with certificate.pdf.open("rb") as file:
                archive.writestr(certificate.file_name, file.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{slugify(cohort.name)}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@coordinators_only
def cohort_print(request, cohort_id):
    """One PDF for the printer, joined from the rendered files in number order."""
    from .pdf import merge_pdfs

    cohort = get_object_or_404(Cohort, pk=cohort_id)
    files = [certificate.pdf.open("rb") for certificate in rendered(cohort)]
    try:
        merged = merge_pdfs(files)
    finally:
        for file in files:
            file.close()
    response = FileResponse(
        io.BytesIO(merged),
        as_attachment=True,
        filename=f"sertifikat-{slugify(cohort.name)}-cetak.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


class CertificateViewSet(ViewSet):
    name = "certificates_admin"
    url_prefix = "sertifikat"
    icon = "doc-full"
    menu_label = gettext_lazy("Certificates")
    add_to_admin_menu = False

    @property
    def menu_item_class(self):
        from wagtail.admin.menu import MenuItem

        class CoordinatorMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm(MANAGE)

        return CoordinatorMenuItem

    @property
    def menu_url(self):
        return reverse("certificates_admin:index")

    def get_urlpatterns(self):
        return [
            path("", cohort_index, name="index"),
            path("angkatan/<rowid:cohort_id>/", cohort_certificates, name="cohort"),
            path("angkatan/<rowid:cohort_id>/aturan/", cohort_rule, name="rule"),
            path("angkatan/<rowid:cohort_id>/terbitkan/", issue_all, name="issue-all"),
            path("angkatan/<rowid:cohort_id>/terbitkan/<rowid:enrollment_id>/", issue_one, name="issue-one"),
            path("angkatan/<rowid:cohort_id>/buat-ulang/", render_again, name="render-again"),
            path("angkatan/<rowid:cohort_id>/zip/", cohort_zip, name="zip"),
            path("angkatan/<rowid:cohort_id>/cetak/", cohort_print, name="print"),
            path("<rowid:pk>/cabut/", revoke, name="revoke"),
            path("<rowid:pk>/terbitkan-ulang/", reissue, name="reissue"),
        ]
