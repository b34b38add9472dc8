"""Scoring per question kind, with wrong and odd answers; no database."""

from decimal import Decimal
from fractions import Fraction

import pytest

from assessments.scoring import (
    normalize_short_answer,
    score_answer,
    score_attempt,
    score_by_topic,
    to_percent,
)
from assessments.specs import ChoiceSpec, QuestionKind, QuestionSpec

PILLARS = QuestionSpec(
    kind=QuestionKind.SINGLE_CHOICE,
    text="Berapa pilar Program Desmigratif?",
    choices=(ChoiceSpec("3"), ChoiceSpec("4", Fraction(1)), ChoiceSpec("5", Fraction(-1, 2))),
)
BPJS = QuestionSpec(
    kind=QuestionKind.MULTIPLE_CHOICE,
    text="Program BPJS Ketenagakerjaan yang wajib bagi PMI adalah …",
    choices=(
        ChoiceSpec("JKK", Fraction(1, 2)),
        ChoiceSpec("JKM", Fraction(1, 2)),
        ChoiceSpec("JHT", Fraction(-1, 2)),
        ChoiceSpec("JP", Fraction(-1)),
    ),
)
COSTS = QuestionSpec(
    kind=QuestionKind.TRUE_FALSE,
    text="Menurut UU 18/2017, biaya penempatan boleh dibebankan kepada PMI.",
    correct=False,
)
PROTECTION = QuestionSpec(
    kind=QuestionKind.SHORT_ANSWER,
    text="Ciri khas perdagangan orang adalah perekrutan untuk tujuan …",
    accepted_answers=("eksploitasi", "pemerasan tenaga"),
)
LIKERT = QuestionSpec(kind=QuestionKind.LIKERT, text="Materi mudah dipahami.")
FREE_TEXT = QuestionSpec(kind=QuestionKind.FREE_TEXT, text="Saran untuk panitia")


def test_single_choice_scores_the_chosen_choice_weight():
    assert score_answer(PILLARS, 1) == 1
    assert score_answer(PILLARS, 0) == 0


def test_single_choice_with_a_negative_weight_scores_zero_not_less():
    assert score_answer(PILLARS, 2) == 0


@pytest.mark.parametrize("answer", [None, -1, 3, 99, True, False, "1", 1.0, [1], {"i": 1}])
def test_single_choice_wrong_or_odd_answers_score_zero(answer):
    assert score_answer(PILLARS, answer) == 0


def test_single_choice_with_several_right_choices_accepts_each():
    question = QuestionSpec(
        kind=QuestionKind.SINGLE_CHOICE,
        text="Siapa yang memilih pendamping Desmigratif?",
        choices=(ChoiceSpec("musyawarah desa", 1), ChoiceSpec("musdes", 1), ChoiceSpec("bupati")),
    )
    assert score_answer(question, 0) == score_answer(question, 1) == 1
    assert score_answer(question, 2) == 0


def test_multiple_choice_sums_the_chosen_weights():
    assert score_answer(BPJS, [0, 1]) == 1
    assert score_answer(BPJS, [0]) == Fraction(1, 2)
    assert score_answer(BPJS, (1,)) == Fraction(1, 2)


def test_multiple_choice_negative_weights_cancel_right_choices():
    assert score_answer(BPJS, [0, 1, 2]) == Fraction(1, 2)


def test_multiple_choice_is_clamped_at_zero_when_penalties_outweigh():
    assert score_answer(BPJS, [0, 3]) == 0
    assert score_answer(BPJS, [2, 3]) == 0


def test_multiple_choice_choosing_every_choice_earns_no_more_than_the_weights_allow():
    assert score_answer(BPJS, [0, 1, 2, 3]) == 0


def test_multiple_choice_is_clamped_at_one():
    question = QuestionSpec(
        kind=QuestionKind.MULTIPLE_CHOICE,
        text="Tiga tahap pelindungan PMI adalah …",
        choices=(ChoiceSpec("sebelum", 1), ChoiceSpec("selama", 1), ChoiceSpec("setelah", 1)),
    )
    assert score_answer(question, [0, 1, 2]) == 1


def test_multiple_choice_choosing_none_scores_zero():
    assert score_answer(BPJS, []) == 0


@pytest.mark.parametrize(
    "answer",
    [None, 0, "0,1", [0, 4], [-1, 0], [0, 0], [1, 1, 0], [True, False], [0, "1"], [0.0], {0, 1}],
)
def test_multiple_choice_unknown_repeated_or_odd_indexes_score_zero(answer):
    assert score_answer(BPJS, answer) == 0


def test_true_false_scores_the_truth_value():
    assert score_answer(COSTS, False) == 1
    assert score_answer(COSTS, True) == 0


@pytest.mark.parametrize("answer", [None, 0, 1, "False", "F", ""])
def test_true_false_accepts_only_a_bool(answer):
    assert score_answer(COSTS, answer) == 0


def test_true_false_without_a_truth_value_scores_zero():
    assert score_answer(QuestionSpec(kind=QuestionKind.TRUE_FALSE, text="?"), True) == 0


@pytest.mark.parametrize(
    "answer",
    ["eksploitasi", "Eksploitasi", "EKSPLOITASI.", "  eksploitasi  ", "pemerasan   tenaga", "Pemerasan\ttenaga ."],
)
def test_short_answer_ignores_case_spaces_and_a_trailing_full_stop(answer):
    assert score_answer(PROTECTION, answer) == 1


@pytest.mark.parametrize("answer", ["eksploitas", "eksploitasi!", "", "   ", ".", None, 1, ["eksploitasi"]])
def test_short_answer_wrong_or_odd_answers_score_zero(answer):
    assert score_answer(PROTECTION, answer) == 0


def test_short_answer_compares_non_ascii_text_after_nfc_normalisation():
    question = QuestionSpec(
        kind=QuestionKind.SHORT_ANSWER, text="Nama kue khas daerah?", accepted_answers=("Kué Lapis",)
    )
    decomposed = "kue\u0301 lapis"
    assert score_answer(question, decomposed) == 1
    assert score_answer(question, "KUÉ LAPIS") == 1
    assert score_answer(question, "kue lapis") == 0


def test_normalize_short_answer_drops_only_one_trailing_full_stop():
    assert normalize_short_answer(" Sebelum,  Selama,  Setelah. ") == "sebelum, selama, setelah"
    assert normalize_short_answer("dst..") == "dst."


def test_likert_and_free_text_are_not_scored():
    assert score_answer(LIKERT, 4) is None
    assert score_answer(FREE_TEXT, "Bagus") is None


def test_attempt_score_is_the_mean_of_scored_questions_in_percent():
    answers = [(PILLARS, 1), (BPJS, [0]), (COSTS, True), (PROTECTION, "eksploitasi"), (LIKERT, 3)]
    assert score_attempt(answers) == Decimal("62.50")


def test_attempt_score_rounds_half_up_to_two_decimals():
    # 2 of 3 right: 66.666… → 66.67; 1 of 3: 33.333… → 33.33.
    assert score_attempt([(PILLARS, 1), (PILLARS, 1), (PILLARS, 0)]) == Decimal("66.67")
    assert score_attempt([(PILLARS, 1), (PILLARS, 0), (PILLARS, 0)]) == Decimal("33.33")
    assert to_percent(Fraction(66665, 100000)) == Decimal("66.67")
    assert to_percent(Fraction(66664, 100000)) == Decimal("66.66")


def test_attempt_score_bounds():
    assert score_attempt([(PILLARS, 1), (COSTS, False)]) == Decimal("100.00")
    assert score_attempt([(PILLARS, None), (COSTS, None)]) == Decimal("0.00")


def test_attempt_without_scored_questions_has_no_score():
    assert score_attempt([(LIKERT, 4), (FREE_TEXT, "Bagus")]) is None
    assert score_attempt([]) is None


def test_scores_roll_up_by_topic():
    answers = [
        ("M01", PILLARS, 1),
        ("M08", BPJS, [0, 1]),
        ("M08", BPJS, [0]),
        ("M05", COSTS, True),
        ("M09", PROTECTION, "Eksploitasi."),
        ("M09", PILLARS, 0),
        ("EVAL", LIKERT, 2),
    ]
    assert score_by_topic(answers) == {
        "M01": Decimal("100.00"),
        "M08": Decimal("75.00"),
        "M05": Decimal("0.00"),
        "M09": Decimal("50.00"),
    }


def test_a_choice_weight_outside_minus_one_to_one_is_refused():
    with pytest.raises(ValueError):
        ChoiceSpec("x", Fraction(3, 2))
    with pytest.raises(TypeError):
        ChoiceSpec("x", 0.5)


def test_a_choice_weight_given_as_decimal_is_kept_exactly():
    assert ChoiceSpec("x", Decimal("0.3333333")).weight == Fraction(3333333, 10000000)
