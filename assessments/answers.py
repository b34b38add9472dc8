"""Answers as stored and as sent: their shape per question kind, without a database.

Stored answers (`Response.answer`) name choices by their database id, so that an answer keeps
its meaning whatever order the choices were shown in; the scoring functions take the choice's
position instead, so `to_scoring` maps one to the other.

    single choice    choice id (int)          multiple choice  [choice ids] (distinct)
    true/false       bool                     short answer     str
    free text        str                      likert           int 1…4

None is "no answer" for every kind (a companion may clear an answer).
"""

from django.utils.translation import gettext as _

from .specs import QuestionKind

MAX_TEXT = 2000  # characters of a short answer or free text; a long free text is a paragraph, not a file
LIKERT_POINTS = (1, 2, 3, 4)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def answer_problem(kind: str, answer, choice_ids) -> str | None:
    """Why `answer` cannot be an answer to a question of `kind` with `choice_ids`, or None when it can."""
    if answer is None:
        return None
    kind = QuestionKind(kind)
    if kind is QuestionKind.SINGLE_CHOICE:
        if not _is_int(answer) or answer not in choice_ids:
            return _("Choose one of the question's choices.")
    elif kind is QuestionKind.MULTIPLE_CHOICE:
        if not isinstance(answer, list) or not all(_is_int(item) for item in answer):
            return _("Choose among the question's choices.")
        if len(set(answer)) != len(answer) or not set(answer) <= set(choice_ids):
            return _("Choose among the question's choices.")
    elif kind is QuestionKind.TRUE_FALSE:
        if not isinstance(answer, bool):
            return _("Answer true or false.")
    elif kind is QuestionKind.LIKERT:
        if not _is_int(answer) or answer not in LIKERT_POINTS:
            return _("Choose a point from 1 to 4.")
    elif not isinstance(answer, str):
        return _("Write the answer as text.")
    elif len(answer) > MAX_TEXT:
        return _("An answer has at most %(count)d characters.") % {"count": MAX_TEXT}
    return None


def answer_from_form(kind: str, values: list[str]):
    """The answer a plain HTML form sent (every value a string), in the stored shape; None when empty or odd.

    Odd values (a tampered form) become None rather than an error: the companion submitting
    the whole form should not lose the other answers over one field.
    """
    kind = QuestionKind(kind)
    values = [value for value in values if value != ""]
    if kind is QuestionKind.MULTIPLE_CHOICE:
        try:
            return sorted({int(value) for value in values}) or None
        except ValueError:
            return None
    if not values:
        return None
    value = values[0]
    if kind in (QuestionKind.SHORT_ANSWER, QuestionKind.FREE_TEXT):
        return value.strip() or None
    if kind is QuestionKind.TRUE_FALSE:
        return {"true": True, "false": False}.get(value)
    try:
        return int(value)
    except ValueError:
        return None


def to_scoring(kind: str, answer, choice_ids: list[int]):
    """The stored answer in the form `assessments.scoring` takes: choice ids become positions in `choice_ids`.

    `choice_ids` are the question's choices in the editor's order (the order of its spec). An id
    that is no longer a choice (deleted since) makes the answer score 0, never another choice.
    """
    kind = QuestionKind(kind)
    position = {choice_id: index for index, choice_id in enumerate(choice_ids)}
    if kind is QuestionKind.SINGLE_CHOICE:
        return position.get(answer, -1) if _is_int(answer) else None
    if kind is QuestionKind.MULTIPLE_CHOICE:
        if not isinstance(answer, list):
            return None
        return [position.get(item, -1) if _is_int(item) else -1 for item in answer]
    return answer
