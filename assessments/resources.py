"""Question banks as spreadsheets (XLSX or CSV), through django-import-export.

One row is one question: the columns `question`, `A` … `E` (the options, at least two),
`answer` (the letter of the right option; several letters such as `A, C` make a multiple-choice
question) and `module` (a module code such as `M04`, optional). Column names are read without
case or surrounding spaces. Rows are numbered as a spreadsheet program shows them: the header is
row 1, so the first question is row 2. Every error names its row and refuses the whole file.

A single right letter makes single choice. Several right letters make multiple choice in which
the right options share the mark equally and each wrong option costs the same share, so ticking
every box earns no more than leaving the wrong ones out (the sum is clamped to 0…1 at scoring).
"""

import csv
import io
import re
from dataclasses import dataclass
from fractions import Fraction

import tablib
from import_export import fields, resources
from import_export.formats.base_formats import XLSX

from django.utils.translation import gettext as _

from assessments.errors import QuestionFileError, QuestionFileErrors
from assessments.specs import ChoiceSpec, QuestionKind, QuestionSpec

LETTERS = ("A", "B", "C", "D", "E")
ANSWER_LETTERS = re.compile(r"[\s,;/]+")


class SpreadsheetError(QuestionFileError):
    """One problem in a spreadsheet row; `line` holds the row number."""


class SpreadsheetErrors(QuestionFileErrors):
    """All the problems in a spreadsheet."""


class QuestionRowResource(resources.Resource):
    """The columns of a question spreadsheet; its export is the template a trainer fills in."""

    question = fields.Field(column_name="question")
    A = fields.Field(column_name="A")
    B = fields.Field(column_name="B")
    C = fields.Field(column_name="C")
    D = fields.Field(column_name="D")
    E = fields.Field(column_name="E")
    answer = fields.Field(column_name="answer")
    module = fields.Field(column_name="module")

    class Meta:
        fields = ("question", *LETTERS, "answer", "module")

    @classmethod
    def column_names(cls) -> list[str]:
        return [field.column_name for field in cls().get_export_fields()]


@dataclass(frozen=True)
class SpreadsheetQuestion:
    """A question read from a row, with the module code written beside it ("" when none)."""

    spec: QuestionSpec
    module_code: str


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet gives 4 as 4.0
    return str(value).strip()


def _csv_dataset(text: str) -> tablib.Dataset:
    """CSV rows as tablib reads them, but keeping blank rows so row numbers match a spreadsheet's.

    The delimiter is `;` when the header has more of them than commas: a spreadsheet program set
    to Indonesian, where the comma is the decimal mark, saves CSV that way.
    """
    header_line = text.partition("\n")[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    dataset = tablib.Dataset()
    if not rows:
        return dataset
    dataset.headers = rows[0]
    width = len(rows[0])
    for row in rows[1:]:
        dataset.append((row + [""] * width)[:width])
    return dataset


def load_dataset(content: bytes, fmt: str) -> tablib.Dataset:
    """The rows of an XLSX file or of UTF-8 CSV text.

    Raises ValueError for bytes that are not a workbook and UnicodeDecodeError for CSV that is
    not UTF-8.
    """
    if fmt == "xlsx":
        try:
            return XLSX().create_dataset(content)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise ValueError(str(error)) from error
    return _csv_dataset(content.decode("utf-8-sig"))


def _row_question(number: int, row: dict[str, str], errors: list[SpreadsheetError]) -> SpreadsheetQuestion | None:
    problems = []
    text = row.get("question", "")
    if not text:
        problems.append(_("Row %(row)d: the question is empty.") % {"row": number})
    options = [(letter, row.get(letter.lower(), "")) for letter in LETTERS]
    # Options are filled from A onwards; a gap (A, B, D) would shift the letters the answer names.
    last = max((index for index, (_letter, value) in enumerate(options) if value), default=-1)
    gaps = [letter for letter, value in options[: last + 1] if not value]
    if gaps:
        problems.append(
            _("Row %(row)d: option %(letter)s is empty but a later option is filled.")
            % {"row": number, "letter": gaps[0]}
        )
    options = options[: last + 1]
    if len(options) < 2:
        problems.append(_("Row %(row)d: a question needs at least two options (A and B).") % {"row": number})
    answer = row.get("answer", "").upper()
    letters = [letter for letter in ANSWER_LETTERS.split(answer) if letter]
    known = [letter for letter, _value in options]
    if not letters:
        problems.append(_("Row %(row)d: the answer is empty; write the letter of the right option.") % {"row": number})
    elif any(letter not in known for letter in letters) or len(set(letters)) != len(letters):
        problems.append(
            _("Row %(row)d: the answer “%(answer)s” is not one of the options %(letters)s.")
            % {"row": number, "answer": row.get("answer", ""), "letters": ", ".join(known) or "-"}
        )
    if problems:
        errors.extend(SpreadsheetError(number, problem) for problem in problems)
        return None
    if len(letters) == 1:
        kind = QuestionKind.SINGLE_CHOICE
        choices = [ChoiceSpec(value, 1 if letter == letters[0] else 0) for letter, value in options]
    else:
        kind = QuestionKind.MULTIPLE_CHOICE
        share = Fraction(1, len(letters))
        choices = [ChoiceSpec(value, share if letter in letters else -share) for letter, value in options]
    spec = QuestionSpec(kind=kind, text=text, choices=tuple(choices), line=number)
    return SpreadsheetQuestion(spec=spec, module_code=row.get("module", ""))


def parse(content: bytes, fmt: str) -> list[SpreadsheetQuestion]:
    """The questions of an XLSX or CSV file, in row order. Raises SpreadsheetErrors.

    A file whose bytes are not text in UTF-8 raises UnicodeDecodeError and one that is not a
    workbook ValueError: the caller says which file it expected.
    """
    dataset = load_dataset(content, fmt)
    headers = [_cell(header).lower() for header in (dataset.headers or [])]
    if not any(headers) and not len(dataset):
        return []
    required = {"question", "a", "b", "answer"}
    missing = [name for name in QuestionRowResource.column_names() if name.lower() in required - set(headers)]
    if missing:
        raise SpreadsheetErrors(
            [
                SpreadsheetError(
                    1,
                    _("Row 1: the columns %(missing)s are missing; the header row needs %(columns)s.")
                    % {"missing": ", ".join(missing), "columns": ", ".join(QuestionRowResource.column_names())},
                )
            ]
        )
    errors: list[SpreadsheetError] = []
    questions = []
    for number, values in enumerate(dataset, start=2):
        row = {header: _cell(value) for header, value in zip(headers, values, strict=False) if header}
        if not any(row.values()):
            continue  # a blank row between questions, as spreadsheets often keep
        question = _row_question(number, row, errors)
        if question is not None:
            questions.append(question)
    if errors:
        raise SpreadsheetErrors(errors)
    return questions
