"""Admin screens for question banks: a list of quizzes, upload → preview → confirm, and GIFT export.

Trainers and coordinators open them (the `assessments.add_question` permission); they reach them
from Training → Question banks, or from a quiz page's "More" menu in the page explorer. The preview
carries the uploaded file to the confirm step in a signed form field, so no upload is kept on disk.
django-import-export is used only through assessments/resources.py.
"""

import base64

from django import forms
from django.contrib import messages
from django.core import signing
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import Button

from assessments.banks import (
    MAX_FILE_BYTES,
    ImportFormat,
    export_filename,
    format_for_filename,
    questions_export_gift,
    questions_import,
)
from assessments.errors import QuestionFileErrors
from assessments.models import QuizPage

PERMISSION = "assessments.add_question"
SIGNING_SALT = "assessments.question-bank-upload"
UPLOAD_MAX_AGE = 60 * 60  # an hour between the preview and the confirmation


def may_use_question_banks(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


class QuestionFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question file"),
        help_text=gettext_lazy(
            "GIFT (.gift or .txt, as Moodle exports it), Aiken (.aiken), Excel (.xlsx) or CSV (.csv) with the "
            "columns question, A–E, answer and module. At most 1 MB."
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        required=False,
        choices=[("", gettext_lazy("From the file's extension")), *((f.value, f.label) for f in ImportFormat)],
        help_text=gettext_lazy("Choose it only when the extension does not say it, e.g. an Aiken file saved as .txt."),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        fmt = cleaned.get("format") or format_for_filename(upload.name)
        if not fmt:
            self.add_error(
                "file",
                _("“%(name)s” is not a question file: upload a .gift, .txt, .aiken, .xlsx or .csv file.")
                % {"name": upload.name},
            )
        elif upload.size > MAX_FILE_BYTES:
            self.add_error("file", _("The file is larger than 1 MB; split it into several files."))
        else:
            cleaned["format"] = ImportFormat(fmt)
        return cleaned


class ConfirmForm(forms.Form):
    upload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, quiz: QuizPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.quiz = quiz

    @staticmethod
    def sign(*, quiz: QuizPage, name: str, fmt: ImportFormat, content: bytes) -> str:
        payload = {"quiz": quiz.pk, "name": name, "format": fmt.value, "content": base64.b64encode(content).decode()}
        return signing.dumps(payload, salt=SIGNING_SALT, compress=True)

    def clean_upload(self):
        try:
            payload = signing.loads(self.cleaned_data["upload"], salt=SIGNING_SALT, max_age=UPLOAD_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(_("The preview has expired; upload the file again.")) from None
        if payload.get("quiz") != self.quiz.pk:
            raise forms.ValidationError(_("The preview belongs to another quiz; upload the file again."))
        payload["content"] = base64.b64decode(payload["content"])
        return payload


class QuestionBankMixin(WagtailAdminTemplateMixin):
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        if not may_use_question_banks(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("question_banks:index"), "label": _("Question banks")},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self):
        return []


class QuizListView(QuestionBankMixin, View):
    """Every quiz with its question count, to import into or export from."""

    template_name = "assessments/question_banks/index.html"
    page_title = gettext_lazy("Question banks")

    def get(self, request):
        quizzes = (
            QuizPage.objects.annotate(question_count=Count("questions"))
            .select_related("question_source")
            .order_by("path")
        )
        return TemplateResponse(request, self.template_name, self.get_context_data(quizzes=quizzes))


class QuizImportView(QuestionBankMixin, View):
    """Upload a file (GET shows the form) → POST shows the preview → POST with the signed upload writes."""

    template_name = "assessments/question_banks/import.html"
    preview_template_name = "assessments/question_banks/preview.html"
    page_title = gettext_lazy("Import questions")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.quiz = get_object_or_404(QuizPage, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return self.quiz.title

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.quiz.title}]

    def get(self, request, pk):
        return self.render_upload(QuestionFileForm())

    def post(self, request, pk):
        if "upload" in request.POST:
            return self.confirm(ConfirmForm(request.POST, quiz=self.quiz))
        form = QuestionFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_upload(form)
        upload = form.cleaned_data["file"]
        content = upload.read()
        fmt = form.cleaned_data["format"]
        try:
            result = questions_import(quiz=self.quiz, content=content, fmt=fmt, by=request.user, dry_run=True)
        except QuestionFileErrors as errors:
            form.add_error("file", [error.message for error in errors.errors])
            return self.render_upload(form)
        signed = ConfirmForm.sign(quiz=self.quiz, name=upload.name, fmt=fmt, content=content)
        return TemplateResponse(
            request,
            self.preview_template_name,
            self.get_context_data(
                quiz=self.quiz,
                planned=result.planned,
                file_name=upload.name,
                format_label=fmt.label,
                confirm_form=ConfirmForm(initial={"upload": signed}, quiz=self.quiz),
            ),
        )

    def confirm(self, form: ConfirmForm):
        if not form.is_valid():
            return self.render_upload(QuestionFileForm(), errors=form.errors["upload"])
        payload = form.cleaned_data["upload"]
        try:
            result = questions_import(
                quiz=self.quiz, content=payload["content"], fmt=payload["format"], by=self.request.user
            )
        except QuestionFileErrors as errors:
            # The programme changed between preview and confirmation (a module gone, say).
            return self.render_upload(QuestionFileForm(), errors=[error.message for error in errors.errors])
        if result.published:
            message = _("%(count)d questions from “%(name)s” were added to “%(quiz)s” and published.")
        else:
            message = _(
                "%(count)d questions from “%(name)s” were added to the draft of “%(quiz)s”; publish it to use them."
            )
        messages.success(
            self.request, message % {"count": len(result.planned), "name": payload["name"], "quiz": self.quiz.title}
        )
        return redirect("question_banks:index")

    def render_upload(self, form, errors=()):
        """The upload form; `errors` are those of a confirmation, which has no file field to put them by."""
        context = self.get_context_data(quiz=self.quiz, form=form, confirm_errors=list(errors))
        return TemplateResponse(self.request, self.template_name, context)


class QuizExportView(QuestionBankMixin, View):
    """The quiz's questions as a GIFT file to download; importing it gives the same questions."""

    def get(self, request, pk):
        quiz = get_object_or_404(QuizPage, pk=pk)
        response = HttpResponse(questions_export_gift(quiz=quiz), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export_filename(quiz)}"'
        return response


class QuestionBankMenuItem(MenuItem):
    def is_shown(self, request):
        return may_use_question_banks(request.user)


class QuestionBankViewSet(ViewSet):
    """Training → Question banks."""

    name = "question_banks"
    url_prefix = "bank-soal"
    icon = "form"
    menu_label = gettext_lazy("Question banks")
    menu_item_class = QuestionBankMenuItem

    def get_urlpatterns(self):
        return [
            path("", QuizListView.as_view(), name="index"),
            path("<int:pk>/impor/", QuizImportView.as_view(), name="import"),
            path("<int:pk>/ekspor/", QuizExportView.as_view(), name="export"),
        ]


def quiz_buttons(page, user, priority: int):
    # specific_class comes from the cached content type: no query per row of a page listing.
    if not issubclass(page.specific_class or type(page), QuizPage) or not may_use_question_banks(user):
        return
    yield Button(
        _("Import questions"), reverse("question_banks:import", args=[page.pk]), icon_name="upload", priority=priority
    )
    yield Button(
        _("Export questions to GIFT"),
        reverse("question_banks:export", args=[page.pk]),
        icon_name="download",
        priority=priority + 1,
    )


@hooks.register("register_page_listing_more_buttons")
def quiz_listing_more_buttons(page, user, next_url=None):
    yield from quiz_buttons(page, user, priority=55)


@hooks.register("register_page_header_buttons")
def quiz_header_buttons(page, user, view_name, next_url=None):
    yield from quiz_buttons(page, user, priority=75)
