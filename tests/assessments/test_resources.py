"""Question spreadsheets (XLSX and CSV) read into question specs, without a database."""

import io
from fractions import Fraction

import openpyxl
import pytest

from django.utils import translation

from assessments.resources import QuestionRowResource, SpreadsheetErrors, parse
from assessments.specs import ChoiceSpec, QuestionKind


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def errors_of(content: bytes, fmt: str) -> list[tuple[int, str]]:
    with pytest.raises(SpreadsheetErrors) as caught:
        parse(content, fmt)
    return [(error.line, error.message) for error in caught.value.errors]


def test_the_columns_are_question_options_a_to_e_answer_and_module():
    assert QuestionRowResource.column_names() == ["question", "A", "B", "C", "D", "E", "answer", "module"]


def test_xlsx_rows_become_single_choice_questions_with_their_module():
    content = xlsx(
        [
            ["Question", "A", "B", "C", "D", "E", "Answer", "Module"],
            ["Berapa pilar Program Desmigratif?", 3, 4, 5, None, None, "b", "M01"],
            ["Lembaga yang menempatkan PMI?", "BP2MI", "P3MI", None, None, None, "B", None],
        ]
    )
    first, second = parse(content, "xlsx")
    assert first.spec.kind == QuestionKind.SINGLE_CHOICE
    assert first.spec.text == "Berapa pilar Program Desmigratif?"
    assert first.spec.choices == (ChoiceSpec("3", 0), ChoiceSpec("4", 1), ChoiceSpec("5", 0))
    assert (first.spec.line, first.module_code) == (2, "M01")
    assert (second.spec.line, second.module_code, len(second.spec.choices)) == (3, "", 2)


def test_several_answer_letters_make_multiple_choice_where_wrong_options_cost_the_same_share():
    content = b'question,A,B,C,answer\nProgram BPJS yang wajib?,JKK,JKM,JHT,"A, B"\n'
    [row] = parse(content, "csv")
    assert row.spec.kind == QuestionKind.MULTIPLE_CHOICE
    assert [choice.weight for choice in row.spec.choices] == [Fraction(1, 2), Fraction(1, 2), Fraction(-1, 2)]


def test_csv_with_semicolons_and_a_bom_as_an_indonesian_spreadsheet_saves_it():
    content = "\ufeffquestion;A;B;answer;module\nJHT wajib?;Ya;Tidak;B;M08\n".encode()
    [row] = parse(content, "csv")
    assert row.spec.text == "JHT wajib?"
    assert row.module_code == "M08"


def test_blank_rows_are_skipped_and_keep_the_row_numbers_of_the_rows_after_them():
    content = b"question,A,B,answer\nSatu?,a,b,A\n,,,\n\nDua?,a,,A\n"
    assert errors_of(content, "csv") == [(5, "Row 5: a question needs at least two options (A and B).")]


def test_every_row_error_names_its_row():
    content = xlsx(
        [
            ["question", "A", "B", "C", "answer", "module"],
            [None, "a", "b", None, "A", None],
            ["Celah", "a", None, "c", "A", None],
            ["Jawaban salah", "a", "b", None, "C", None],
            ["Tanpa jawaban", "a", "b", None, None, None],
            ["Dua kali", "a", "b", None, "A, A", None],
        ]
    )
    assert errors_of(content, "xlsx") == [
        (2, "Row 2: the question is empty."),
        (3, "Row 3: option B is empty but a later option is filled."),
        (4, "Row 4: the answer “C” is not one of the options A, B."),
        (5, "Row 5: the answer is empty; write the letter of the right option."),
        (6, "Row 6: the answer “A, A” is not one of the options A, B."),
    ]


def test_missing_columns_are_named_on_row_one():
    assert errors_of(b"pertanyaan,A,B\nx,a,b\n", "csv") == [
        (
            1,
            "Row 1: the columns question, answer are missing; "
            "the header row needs question, A, B, C, D, E, answer, module.",
        )
    ]


def test_a_file_that_is_not_a_workbook_raises_value_error():
    with pytest.raises(ValueError):
        parse(b"question,A,B,answer\n", "xlsx")


def test_csv_that_is_not_utf8_raises_unicode_decode_error():
    with pytest.raises(UnicodeDecodeError):
        parse("question,A,B,answer\nKué?,a,b,A\n".encode("cp1252"), "csv")


def test_a_header_without_rows_has_no_questions():
    assert parse(b"question,A,B,answer\n", "csv") == []
