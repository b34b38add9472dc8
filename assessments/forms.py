"""The quiz editor's form: the rules that need the page's place in the tree or its nested rows."""

from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminPageForm

from courses.models import ModulePage


def program_path(parent) -> str:
    """The tree path of the program a quiz under `parent` (a program or one of its modules) belongs to."""
    return parent.path[: -parent.steplen] if isinstance(parent, ModulePage) else parent.path


class QuizPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        from .models import KIND_PARENTS, QuizKind  # models.py names this form: import late

        kind = cleaned.get("kind")
        parent = self.parent_page.specific if self.parent_page is not None else None
        if kind and parent is not None and not isinstance(parent, KIND_PARENTS[QuizKind(kind)]):
            if kind == QuizKind.MODULE_QUIZ:
                self.add_error("kind", _("A module quiz belongs under its module."))
            else:
                self.add_error("kind", _("A pre-test, post-test or evaluation belongs under the program."))

        source = cleaned.get("question_source")
        if source is not None:
            if source.question_source_id is not None:
                self.add_error("question_source", _("Choose a quiz that has its own questions."))
            elif self.instance.pk and source.pk == self.instance.pk:
                self.add_error("question_source", _("A quiz cannot use its own questions as its source."))
            elif parent is not None and not source.path.startswith(program_path(parent)):
                self.add_error("question_source", _("Choose a quiz of the same program."))
        return cleaned

    def is_valid(self):
        # The question rows are cleaned after the page's own fields, so their rules are checked here.
        valid = super().is_valid()
        questions = self.formsets.get("questions")
        if not valid or questions is None:
            return valid
        from .models import Response

        deleted = set(questions.deleted_forms)
        kept = [form for form in questions.forms if form not in deleted and (form.instance.pk or form.has_changed())]
        if self.cleaned_data.get("question_source") is not None and kept:
            self.add_error(
                "question_source", _("A quiz that uses another quiz's questions has no questions of its own.")
            )
        removed = [form.instance.pk for form in deleted if form.instance.pk]
        if removed and Response.objects.filter(question_id__in=removed).exists():
            self.add_error(
                None, _("A question companions have already answered cannot be deleted. Edit its text instead.")
            )
        return not self.errors
