"""The demo's quiz content (lms/demo/quizzes.json), read directly: complete, answerable, 2017-true."""

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

from assessments.scoring import score_answer
from assessments.specs import ChoiceSpec, QuestionKind, QuestionSpec
from tests.lms.test_demo_content import COST_FREEDOM, WAITS_FOR_REGULATION

DEMO = Path(__file__).resolve().parents[2] / "lms" / "demo"
CONTENT = json.loads((DEMO / "quizzes.json").read_text(encoding="utf-8"))
with (DEMO / "schedule.csv").open(encoding="utf-8", newline="") as handle:
    MODULE_CODES = {row["code"] for row in csv.DictReader(handle) if row["code"].startswith("M")}


def spec(question: dict) -> QuestionSpec:
    return QuestionSpec(
        kind=question["kind"],
        text=question["text"],
        choices=[ChoiceSpec(text=c["text"], weight=Decimal(c["weight"])) for c in question.get("choices", [])],
        accepted_answers=question.get("accepted_answers", ()),
        correct=question.get("correct"),
    )


def best_answer(question: QuestionSpec):
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return max(range(len(question.choices)), key=lambda index: question.choices[index].weight)
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return [index for index, choice in enumerate(question.choices) if choice.weight > 0]
    if question.kind == QuestionKind.TRUE_FALSE:
        return question.correct
    return question.accepted_answers[0]


def every_question():
    return CONTENT["pre_test"] + [question for quiz in CONTENT["module_quizzes"].values() for question in quiz]


def test_the_pre_test_has_20_questions_across_at_least_ten_modules():
    modules = [question["module"] for question in CONTENT["pre_test"]]
    assert len(modules) == 20
    assert set(modules) <= MODULE_CODES and len(set(modules)) >= 10


def test_five_modules_have_a_short_quiz_on_their_own_topic():
    quizzes = CONTENT["module_quizzes"]
    assert len(quizzes) >= 5 and set(quizzes) <= MODULE_CODES
    for code, questions in quizzes.items():
        assert 3 <= len(questions) <= 5
        assert {question["module"] for question in questions} == {code}


def test_every_question_has_a_fully_right_answer_and_distinct_choices():
    for question in every_question():
        parsed = spec(question)
        assert parsed.kind.is_scored
        assert score_answer(parsed, best_answer(parsed)) == 1, question["text"]
        texts = [choice.text for choice in parsed.choices]
        assert len(set(texts)) == len(texts), question["text"]


def test_no_question_calls_placement_free_without_the_wait_for_its_regulation():
    texts = [question["text"] for question in every_question()]
    assert [text for text in texts if re.search(COST_FREEDOM, text) and not re.search(WAITS_FOR_REGULATION, text)] == []


def test_jkk_and_jkm_are_called_mandatory_only_with_their_regulation():
    texts = [question["text"] for question in every_question() if re.search(r"wajib", question["text"])]
    assert texts and all("Permenaker" in text for text in texts)


def test_the_evaluation_has_four_likert_labels_and_suggestions():
    evaluation = CONTENT["evaluation"]
    assert evaluation["likert_labels"] == ["Kurang", "Cukup", "Baik", "Sangat baik"]
    assert "{code}" in evaluation["module_item"] and len(evaluation["suggestions"]) >= 5
