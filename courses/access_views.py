"""The coordinator's screens for handing companions their access without e-mail.

Per cohort or per companion: a one-time login link to send over WhatsApp, a reset of access, a
correction of name or phone, and a printed login sheet with a one-time code per companion. The
secrets are shown once, in the answer to the POST that made them; only their hashes are kept.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from people.access import code_display, expiry_display, handover_message, wa_me_url
from people.models import AccessGrant, Companion
from people.pdf import LoginSheetRow, login_sheet_pdf
from people.selectors import latest_access_grants
from people.services import access_grants_issue, access_link_issue, access_reset, companion_update

from .models import Cohort, Enrollment

PERMISSION = "people.add_accessgrant"


class AccessView(WagtailAdminTemplateMixin, TemplateView):
    """Coordinators only: the permission to hand over access (lms migration 0004_roles_handover)."""

    permissions = (PERMISSION,)
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perms(self.permissions):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("access:index"), "label": _("Login access")},
            {"url": "", "label": self.get_page_title()},
        ]


class CompanionAccessView(AccessView):
    @cached_property
    def companion(self) -> Companion:
        return get_object_or_404(Companion.objects.select_related("user", "village"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(companion=self.companion, **kwargs)


class CohortAccessView(AccessView):
    @cached_property
    def cohort(self) -> Cohort:
        return get_object_or_404(Cohort.objects.select_related("program"), pk=self.kwargs["pk"])

    @cached_property
    def enrollments(self) -> list[Enrollment]:
        return list(
            self.cohort.enrollments.active()
            .select_related("companion__user", "companion__village")
            .order_by(Lower("companion__user__full_name"), "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(cohort=self.cohort, **kwargs)


class IndexView(AccessView):
    template_name = "courses/access/index.html"
    page_title = gettext_lazy("Login access")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        cohorts = (
            Cohort.objects.select_related("program")
            .annotate(active=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ACTIVE)))
            .order_by("-start_date", "name")
        )
        return super().get_context_data(cohorts=cohorts, **kwargs)


class CohortView(CohortAccessView):
    template_name = "courses/access/cohort.html"
    http_method_names = ["get", "head", "options"]

    def get_page_title(self):
        return self.cohort.name

    def get_context_data(self, **kwargs):
        now = timezone.now()
        grants = latest_access_grants(user_ids=[enrollment.companion.user_id for enrollment in self.enrollments])
        rows = []
        for enrollment in self.enrollments:
            grant = grants.get(enrollment.companion.user_id)
            rows.append({"companion": enrollment.companion, "grant": grant, "state": grant and grant.state(now)})
        return super().get_context_data(rows=rows, **kwargs)


class CompanionView(CompanionAccessView):
    template_name = "courses/access/companion.html"
    http_method_names = ["get", "head", "options"]

    def get_page_title(self):
        return str(self.companion)

    def get_context_data(self, **kwargs):
        grant = latest_access_grants(user_ids=[self.companion.user_id]).get(self.companion.user_id)
        cohorts = Cohort.objects.filter(enrollments__companion=self.companion).order_by("-start_date")
        return super().get_context_data(
            grant=grant,
            state=grant and grant.state(timezone.now()),
            cohorts=cohorts,
            has_password=self.companion.user.has_usable_password(),
            **kwargs,
        )


class LinkView(CompanionAccessView):
    """GET asks, POST makes the link and shows it once, with its WhatsApp address."""

    template_name = "courses/access/link_confirm.html"
    result_template_name = "courses/access/link_result.html"
    reset = False

    def get_page_title(self):
        return _("Reset access") if self.reset else _("Create login link")

    def post(self, request, *args, **kwargs):
        user = self.companion.user
        issued = (access_reset if self.reset else access_link_issue)(user=user, by=request.user)
        url = request.build_absolute_uri(reverse("people:access-link", args=[issued.secret]))
        message = handover_message(user=user, url=url, expires_at=issued.grant.expires_at)
        context = self.get_context_data(
            url=url,
            message=message,
            wa_url=wa_me_url(phone=user.phone, text=message) if user.phone else "",
            expires=expiry_display(issued.grant.expires_at),
        )
        # No cache keeps it: the admin's views are all sent with Cache-Control: no-store.
        return self.response_class(request=request, template=[self.result_template_name], context=context)


class ResetView(LinkView):
    template_name = "courses/access/reset_confirm.html"
    reset = True


class PersonForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("For example 0812-3456-7890. WhatsApp links go to this number."),
    )


class EditView(CompanionAccessView):
    """Correct a name or phone, through companion_update and its audit log."""

    permissions = (PERMISSION, "people.change_companion")
    template_name = "courses/access/edit.html"

    def get_page_title(self):
        return _("Correct name or phone")

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "form", PersonForm(initial={"full_name": self.companion.user.full_name, "phone": self.companion.phone})
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = PersonForm(request.POST)
        if form.is_valid():
            changes = {field: form.cleaned_data[field] for field in ("full_name", "phone")}
            try:
                companion_update(companion=self.companion, by=request.user, **changes)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved: %(name)s.") % {"name": self.companion.user.full_name})
                return redirect("access:companion", pk=self.companion.pk)
        return self.render_to_response(self.get_context_data(form=form))


class SheetView(CohortAccessView):
    """GET says what printing does; POST makes a code for every active companion and returns the PDF."""

    template_name = "courses/access/sheet_confirm.html"

    def get_page_title(self):
        return _("Print login sheet")

    def get_context_data(self, **kwargs):
        return super().get_context_data(count=len(self.enrollments), **kwargs)

    def post(self, request, *args, **kwargs):
        companions = [enrollment.companion for enrollment in self.enrollments]
        if not companions:
            messages.error(request, _("This cohort has no active companions."))
            return redirect("access:cohort", pk=self.cohort.pk)
        issued = access_grants_issue(
            users=[companion.user for companion in companions], kind=AccessGrant.Kind.CODE, by=request.user
        )
        rows = [
            LoginSheetRow(
                full_name=companion.user.full_name,
                village=str(companion.village),
                username=companion.user.username,
                code=code_display(item.secret),
            )
            for companion, item in zip(companions, issued, strict=True)
        ]
        with translation.override("id"):  # the slips go to companions, whatever the coordinator's language
            pdf = login_sheet_pdf(
                title=_("Login sheet: %(cohort)s") % {"cohort": self.cohort.name},
                login_url=request.build_absolute_uri(reverse("people:access-code")),
                expires=expiry_display(issued[0].grant.expires_at),
                rows=rows,
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="lembar-masuk-{slugify(self.cohort.name)}.pdf"'
        return response


class AccessMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


class AccessViewSet(ViewSet):
    """Under the Training menu: login links, resets, corrections and login sheets."""

    name = "access"
    url_prefix = "akses"
    icon = "key"
    menu_icon = "key"
    menu_label = gettext_lazy("Login access")
    menu_item_class = AccessMenuItem

    def get_urlpatterns(self):
        return [
            path("", IndexView.as_view(), name="index"),
            path("angkatan/<int:pk>/", CohortView.as_view(), name="cohort"),
            path("angkatan/<int:pk>/lembar/", SheetView.as_view(), name="sheet"),
            path("pendamping/<int:pk>/", CompanionView.as_view(), name="companion"),
            path("pendamping/<int:pk>/tautan/", LinkView.as_view(), name="link"),
            path("pendamping/<int:pk>/atur-ulang/", ResetView.as_view(), name="reset"),
            path("pendamping/<int:pk>/ubah/", EditView.as_view(), name="edit"),
        ]
