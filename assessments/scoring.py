"""Scoring: pure functions from a question and an answer to a score, without a database.

A question's score is an exact Fraction between 0 and 1; an attempt's score is a percentage.
Answers arrive from a browser, so they are distrusted: a wrong type, an index out of range or a
repeated index scores 0 and never raises.

Answers by kind: single choice an `int` (the choice's index), multiple choice a list or tuple of
`int`, true/false a `bool`, short answer a `str`. Likert and free text are not scored (None).
"""

import math
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable
from decimal import Decimal
from fractions import Fraction

from assessments.specs import QuestionKind, QuestionSpec

ZERO = Fraction(0)
ONE = Fraction(1)


def _is_index(value) -> bool:
    # bool is a subclass of int; True must not select choice 1.
    return isinstance(value, int) and not isinstance(value, bool)


def score_single_choice(question: QuestionSpec, answer) -> Fraction:
    """The chosen choice's weight; a negative weight scores 0, as one question cannot cost marks."""
    if not _is_index(answer) or not 0 <= answer < len(question.choices):
        return ZERO
    return max(ZERO, question.choices[answer].weight)


def score_multiple_choice(question: QuestionSpec, answer) -> Fraction:
    """The sum of the chosen choices' weights, clamped to 0…1.

    Clamped because Moodle's penalties (negative weights) should cancel right choices inside
    the question but never take marks from other questions, and ticking every box must not
    earn more than the question is worth.
    """
    if not isinstance(answer, list | tuple) or not all(_is_index(index) for index in answer):
        return ZERO
    if len(set(answer)) != len(answer) or not all(0 <= index < len(question.choices) for index in answer):
        return ZERO
    total = sum((question.choices[index].weight for index in answer), ZERO)
    return min(ONE, max(ZERO, total))


def score_true_false(question: QuestionSpec, answer) -> Fraction:
    """1 when the answer is the question's truth value, else 0."""
    if not isinstance(answer, bool) or question.correct is None:
        return ZERO
    return ONE if answer is question.correct else ZERO


def normalize_short_answer(text: str) -> str:
    """The form in which short answers are compared.

    NFC so that "é" typed as one or two code points is the same, case folded, inner and outer
    runs of spaces made one, and one trailing full stop dropped ("JKK dan JKM." is "jkk dan jkm").
    """
    text = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return text.removesuffix(".").rstrip()


def score_short_answer(question: QuestionSpec, answer) -> Fraction:
    """1 when the answer equals one of the accepted answers once both are normalised, else 0."""
    if not isinstance(answer, str):
        return ZERO
    given = normalize_short_answer(answer)
    if not given:
        return ZERO
    accepted = {normalize_short_answer(text) for text in question.accepted_answers}
    return ONE if given in accepted else ZERO


SCORERS = {
    QuestionKind.SINGLE_CHOICE: score_single_choice,
    QuestionKind.MULTIPLE_CHOICE: score_multiple_choice,
    QuestionKind.TRUE_FALSE: score_true_false,
    QuestionKind.SHORT_ANSWER: score_short_answer,
}


def score_answer(question: QuestionSpec, answer) -> Fraction | None:
    """The answer's score in 0…1, or None for a kind that is not scored (Likert, free text).

    An unanswered question (`answer is None`) scores 0.
    """
    scorer = SCORERS.get(question.kind)
    if scorer is None:
        return None
    return scorer(question, answer)


def to_percent(share: Fraction) -> Decimal:
    """A share in 0…1 as a percentage with two decimals, rounded half up (66.665 → 66.67).

    Rounded from the exact fraction, so no binary floating point ever decides a pass.
    """
    hundredths = share * 10000
    return Decimal(math.floor(hundredths + Fraction(1, 2))) / 100


def score_attempt(questions_and_answers: Iterable[tuple[QuestionSpec, object]]) -> Decimal | None:
    """The attempt's score in percent (0.00–100.00): the mean of its scored questions.

    Every scored question counts the same. Unscored questions are left out; an attempt with
    no scored question (an evaluation) has no score: None.
    """
    scores = [score_answer(question, answer) for question, answer in questions_and_answers]
    scored = [score for score in scores if score is not None]
    if not scored:
        return None
    return to_percent(sum(scored, ZERO) / len(scored))


def score_by_topic(
    topics_questions_and_answers: Iterable[tuple[Hashable, QuestionSpec, object]],
) -> dict[Hashable, Decimal]:
    """The percentage per topic (the module code, e.g. "M08") over that topic's scored questions.

    Topics with no scored question do not appear. Keys keep the order topics first appear in.
    """
    by_topic: dict[Hashable, list[Fraction]] = defaultdict(list)
    for topic, question, answer in topics_questions_and_answers:
        score = score_answer(question, answer)
        if score is not None:
            by_topic[topic].append(score)
    return {topic: to_percent(sum(scores, ZERO) / len(scores)) for topic, scores in by_topic.items()}
