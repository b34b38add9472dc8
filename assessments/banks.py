"""Question banks: import questions into a quiz from GIFT, Aiken, XLSX or CSV, and export to GIFT.

One service, `questions_import`, serves the admin screens and `manage.py import_questions`. A file
is read whole before anything is written: any error refuses it, each message naming its line or
row, and nothing is written. Questions are ordered rows of the quiz page and travel in its
revisions, so they are added to the page's latest revision and, when the quiz is live without a
pending draft, published; a draft keeps them until the editor publishes it. Adding rows beside the
revision would let a later publish of an older draft delete them.

Each imported question is tagged with a module of the quiz's programme, so scores roll up by topic:
the spreadsheet's `module` column, else a GIFT `$CATEGORY` whose last part is a module code
(`$course$/top/M05`), else the quiz's own module for a module quiz.
"""

import enum
import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import PurePath

from django.db import transaction
from django.utils.translation import gettext as _

from assessments import aiken, gift, resources
from assessments.errors import QuestionFileError, QuestionFileErrors
from assessments.models import Choice, Question, QuizKind, QuizPage
from assessments.specs import QuestionSpec
from courses.models import ModulePage
from people.models import User

WEIGHT_PLACES = Decimal("0.00001")  # Choice.weight keeps five decimals, as Moodle's 0.33333
MAX_FILE_BYTES = 1024 * 1024  # the preview carries the file in a signed form field
EXPORT_CATEGORY_ROOT = "$course$/top/"


class ImportFormat(enum.StrEnum):
    GIFT = "gift"
    AIKEN = "aiken"
    XLSX = "xlsx"
    CSV = "csv"

    @property
    def label(self) -> str:
        return {"gift": "GIFT", "aiken": "Aiken", "xlsx": "Excel (.xlsx)", "csv": "CSV"}[self.value]


EXTENSIONS = {
    ".gift": ImportFormat.GIFT,
    ".txt": ImportFormat.GIFT,
    ".aiken": ImportFormat.AIKEN,
    ".xlsx": ImportFormat.XLSX,
    ".csv": ImportFormat.CSV,
}


def format_for_filename(filename: str) -> ImportFormat | None:
    """The format a file's extension names (`.txt` is GIFT, as Moodle exports it), or None."""
    return EXTENSIONS.get(PurePath(filename).suffix.lower())


@dataclass(frozen=True)
class PlannedQuestion:
    """A question read from a file, with the module it will be tagged with."""

    spec: QuestionSpec
    module: ModulePage | None

    @property
    def line(self) -> int:
        return self.spec.line

    @property
    def kind_label(self) -> str:
        return dict(Question._meta.get_field("kind").choices).get(self.spec.kind.value, self.spec.kind.value)

    @property
    def choice_rows(self) -> list[dict]:
        """Each choice for the preview: its text, whether it earns marks, and its weight when partial."""
        return [
            {
                "text": choice.text,
                "right": choice.weight > 0,
                "percent": "" if choice.weight in (0, 1) else gift.percent(choice.weight),
            }
            for choice in self.spec.choices
        ]


@dataclass(frozen=True)
class QuestionImport:
    """What an import read (`planned`, in order) and, unless it was a dry run, what it created."""

    quiz: QuizPage
    planned: list[PlannedQuestion]
    created: list[Question]
    dry_run: bool
    published: bool


def _file_error(message: str, line: int = 0) -> QuestionFileErrors:
    return QuestionFileErrors([QuestionFileError(line, message)])


def _decoded(content: bytes | str) -> str:
    """The text of a question file: UTF-8 (with or without BOM), or UTF-16 with its BOM as Notepad saves it."""
    if isinstance(content, str):
        return content
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise _file_error(
            _(
                "Line %(line)d: the file is not text in UTF-8. Save it as UTF-8 text "
                "(in Notepad: Save As, Encoding UTF-8) and upload it again."
            )
            % {"line": line},
            line,
        ) from None


def _read_specs(content: bytes | str, fmt: ImportFormat) -> list[tuple[QuestionSpec, str]]:
    """(spec, module code written beside it) for each question of the file; raises QuestionFileErrors."""
    if fmt in (ImportFormat.GIFT, ImportFormat.AIKEN):
        text = _decoded(content)
        if not text.strip():
            raise _file_error(_("The file is empty."))
        parser = gift.parse if fmt == ImportFormat.GIFT else aiken.parse
        return [(spec, "") for spec in parser(text)]
    data = content.encode("utf-8") if isinstance(content, str) else content
    if not data.strip():
        raise _file_error(_("The file is empty."))
    try:
        rows = resources.parse(data, fmt.value)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _file_error(
            _(
                "Row %(row)d: the file is not CSV text in UTF-8. In the spreadsheet program choose "
                "Save As, “CSV UTF-8”, and upload it again."
            )
            % {"row": line},
            line,
        ) from None
    except ValueError:
        raise _file_error(_("The file is not an Excel workbook (.xlsx); save it again as .xlsx or as CSV.")) from None
    return [(row.spec, row.module_code) for row in rows]


def _category_code(category: str) -> str:
    """The module code a GIFT category may name: its last part, or that part's first word."""
    last = category.rstrip("/").rpartition("/")[2].strip()
    return last.split()[0] if last else ""


def _modules_by_code(quiz: QuizPage) -> dict[str, ModulePage]:
    program = quiz.program
    if program is None:
        return {}
    modules = ModulePage.objects.descendant_of(program).order_by("path")
    found: dict[str, ModulePage] = {}
    for module in modules:
        found.setdefault(module.code.strip().upper(), module)
    return found


def _own_module(quiz: QuizPage) -> ModulePage | None:
    if quiz.kind != QuizKind.MODULE_QUIZ:
        return None
    parent = quiz.get_parent().specific
    return parent if isinstance(parent, ModulePage) else None


def _refusal(quiz: QuizPage) -> str | None:
    if quiz.question_source_id:
        return _("This quiz uses the questions of “%(source)s”; import the questions into that quiz instead.") % {
            "source": quiz.question_source.title
        }
    if quiz.kind == QuizKind.EVALUATION:
        return _(
            "An evaluation holds Likert and free-text questions, which question files cannot carry; "
            "add them in the page editor."
        )
    return None


def questions_read(*, quiz: QuizPage, content: bytes | str, fmt: ImportFormat | str) -> list[PlannedQuestion]:
    """The questions a file would add to the quiz, each with its module. Raises QuestionFileErrors.

    Reads only: the preview shows this list, and `questions_import` writes it.
    """
    fmt = ImportFormat(fmt)
    refusal = _refusal(quiz)
    if refusal:
        raise _file_error(refusal)
    if not isinstance(content, str) and len(content) > MAX_FILE_BYTES:
        raise _file_error(_("The file is larger than 1 MB; split it into several files."))
    specs = _read_specs(content, fmt)
    if not specs:
        raise _file_error(_("The file has no questions."))
    modules = _modules_by_code(quiz)
    own_module = _own_module(quiz)
    planned: list[PlannedQuestion] = []
    errors: list[QuestionFileError] = []
    for spec, code in specs:
        if code:
            module = modules.get(code.upper())
            if module is None:
                errors.append(
                    QuestionFileError(
                        spec.line,
                        _("Row %(row)d: the programme has no module with the code “%(code)s”; known codes: %(codes)s.")
                        % {"row": spec.line, "code": code, "codes": ", ".join(modules) or "-"},
                    )
                )
                continue
        else:
            module = modules.get(_category_code(spec.category).upper()) or own_module
        planned.append(PlannedQuestion(spec=spec, module=module))
    if errors:
        raise QuestionFileErrors(errors)
    return planned


def _weight(spec_weight) -> Decimal:
    return (Decimal(spec_weight.numerator) / Decimal(spec_weight.denominator)).quantize(
        WEIGHT_PLACES, rounding=ROUND_HALF_EVEN
    )


def _question_row(planned: PlannedQuestion, sort_order: int) -> Question:
    spec = planned.spec
    question = Question(
        kind=spec.kind.value,
        name=spec.name,
        text=spec.text,
        module=planned.module,
        accepted_answers="\n".join(spec.accepted_answers),
        correct=spec.correct,
        feedback_right=spec.feedback_right,
        feedback_wrong=spec.feedback_wrong,
        general_feedback=spec.general_feedback,
        sort_order=sort_order,
    )
    question.choices = [
        Choice(text=choice.text, weight=_weight(choice.weight), feedback=choice.feedback, sort_order=index)
        for index, choice in enumerate(spec.choices)
    ]
    return question


@transaction.atomic
def questions_import(
    *,
    quiz: QuizPage,
    content: bytes | str,
    fmt: ImportFormat | str,
    by: User | None,
    dry_run: bool = False,
) -> QuestionImport:
    """Add the file's questions after the quiz's own, or with `dry_run` only say what would be added.

    Raises QuestionFileErrors, with every problem and nothing written, when the file has any.
    """
    planned = questions_read(quiz=quiz, content=content, fmt=fmt)
    if dry_run:
        return QuestionImport(quiz=quiz, planned=planned, created=[], dry_run=True, published=False)
    # Locks the page row, so two imports into one quiz append one after the other.
    quiz = QuizPage.objects.select_for_update().get(pk=quiz.pk)
    publish = quiz.live and not quiz.has_unpublished_changes
    page = quiz if publish else quiz.get_latest_revision_as_object()
    existing = list(page.questions.all())
    start = max((question.sort_order or 0 for question in existing), default=-1) + 1
    new_rows = [_question_row(item, start + index) for index, item in enumerate(planned)]
    for row in new_rows:
        row.quiz = page
        row.full_clean(exclude=["quiz"])
        for choice in row.choices.all():
            choice.full_clean(exclude=["question"])
    page.questions = [*existing, *new_rows]
    revision = page.save_revision(user=by, log_action=True)
    if publish:
        revision.publish(user=by)
        created = list(Question.objects.filter(quiz=quiz, sort_order__gte=start).order_by("sort_order"))
    else:
        created = new_rows
    return QuestionImport(quiz=quiz, planned=planned, created=created, dry_run=False, published=publish)


def questions_for_export(*, quiz: QuizPage) -> list[QuestionSpec]:
    """The quiz's questions that GIFT can hold, each with its module as `$CATEGORY` (`$course$/top/M05`).

    Likert and free-text questions have no GIFT form and are left out.
    """
    specs = []
    for question in quiz.question_rows().select_related("module").prefetch_related("choices"):
        spec = question.to_spec()
        if spec.kind.is_scored:
            category = EXPORT_CATEGORY_ROOT + question.module.code if question.module_id else ""
            specs.append(replace(spec, category=category))
    return specs


def questions_export_gift(*, quiz: QuizPage) -> str:
    """The quiz's questions as a GIFT file that `questions_import` reads back into the same questions."""
    return gift.dump(questions_for_export(quiz=quiz))


def export_filename(quiz: QuizPage) -> str:
    return f"{re.sub(r'[^a-z0-9-]+', '-', quiz.slug.lower()).strip('-') or 'kuis'}.gift.txt"
