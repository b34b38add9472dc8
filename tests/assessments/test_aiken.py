"""Moodle's Aiken format: questions, options, answers, and malformed files."""

import pytest

from django.utils import translation

from assessments.aiken import AikenError, AikenErrors, parse
from assessments.specs import ChoiceSpec, QuestionKind


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English source; the Indonesian awaits the catalogue merge.
    with translation.override("en"):
        yield


def errors_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(AikenErrors) as caught:
        parse(text)
    assert all(isinstance(error, AikenError) for error in caught.value.errors)
    return [(error.line, error.message) for error in caught.value.errors]


SAMPLE = """Program BPJS Ketenagakerjaan yang wajib bagi PMI adalah …
A. JHT
B) JKK dan JKM
C. JP
ANSWER: B

Siapa yang memilih pendamping Desmigratif?
Pilih satu.
A) Bupati
B) Musyawarah desa
ANSWER: b
"""


def test_questions_options_and_the_right_answer():
    first, second = parse(SAMPLE)
    assert first.kind == QuestionKind.SINGLE_CHOICE
    assert first.text == "Program BPJS Ketenagakerjaan yang wajib bagi PMI adalah …"
    assert first.choices == (ChoiceSpec("JHT", 0), ChoiceSpec("JKK dan JKM", 1), ChoiceSpec("JP", 0))
    assert first.line == 1
    assert second.text == "Siapa yang memilih pendamping Desmigratif?\nPilih satu."
    assert [choice.weight for choice in second.choices] == [0, 1]
    assert second.line == 7


def test_an_empty_file_has_no_questions():
    assert parse("") == []
    assert parse("\n  \n") == []


def test_a_question_without_answer_names_its_line():
    text = "Berapa pilar?\nA. 3\nB. 4\n\nTiga tahap pelindungan?\nA. sebelum, selama, setelah\nB. selama\nANSWER: A\n"
    assert errors_of(text) == [(1, "Line 1: the question has no ANSWER: line after its options.")]


def test_a_question_without_answer_at_the_end_of_the_file():
    assert errors_of("Berapa pilar?\nA. 3\nB. 4\n") == [
        (1, "Line 1: the question has no ANSWER: line after its options.")
    ]


def test_an_answer_letter_that_is_not_an_option():
    assert errors_of("Berapa pilar?\nA. 3\nB. 4\nANSWER: D\n") == [
        (4, "Line 4: the answer “D” is not one of the options A, B.")
    ]


def test_fewer_than_two_options():
    assert errors_of("Berapa pilar?\nA. 4\nANSWER: A\n") == [(1, "Line 1: a question needs at least two options.")]


def test_an_option_letter_given_twice():
    assert errors_of("Berapa pilar?\nA. 3\nA. 4\nANSWER: A\n") == [(1, "Line 1: the option A appears twice.")]


def test_an_answer_before_any_question():
    assert errors_of("ANSWER: A\n") == [(1, "Line 1: ANSWER: comes before any question.")]


def test_every_error_in_a_file_is_reported_at_once():
    text = "Satu?\nA. x\nANSWER: A\n\nDua?\nA. x\nB. y\nANSWER: C\n\nTiga?\nA. x\nB. y\n"
    assert [line for line, _message in errors_of(text)] == [1, 8, 10]


def test_a_line_like_an_option_before_any_question_text_is_question_text():
    [question] = parse("A. Apa arti PMI?\nA. Pekerja Migran Indonesia\nB. Penduduk Miskin Indonesia\nANSWER: A\n")
    assert question.text == "A. Apa arti PMI?"
    assert len(question.choices) == 2
