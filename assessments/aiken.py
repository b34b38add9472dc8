"""Moodle's Aiken format: single-choice questions in plain text.

    Program BPJS Ketenagakerjaan yang wajib bagi PMI adalah …
    A. JHT
    B) JKK dan JKM
    ANSWER: B

The question may span several lines; each option is a capital letter followed by `.` or `)`
and a space; `ANSWER:` and the letter of the right option end the question. Blank lines
between questions are ignored. Every error names its line and refuses the whole file; an empty
file has no questions.
"""

import re

from django.utils.translation import gettext as _

from assessments.errors import QuestionFileError, QuestionFileErrors
from assessments.specs import ChoiceSpec, QuestionKind, QuestionSpec

OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
ANSWER = re.compile(r"^ANSWER:\s*(.*)$", re.IGNORECASE)


class AikenError(QuestionFileError):
    """One problem in an Aiken file."""


class AikenErrors(QuestionFileErrors):
    """All the problems in an Aiken file."""


class _Draft:
    def __init__(self, line: int):
        self.line = line
        self.text_lines: list[str] = []
        self.options: list[tuple[str, str]] = []


def _finish(draft: _Draft, answer: str, answer_line: int, errors: list[AikenError]) -> QuestionSpec | None:
    letters = [letter for letter, _text in draft.options]
    problems = []
    if len(draft.options) < 2:
        problems.append(
            AikenError(draft.line, _("Line %(line)d: a question needs at least two options.") % {"line": draft.line})
        )
    duplicates = sorted({letter for letter in letters if letters.count(letter) > 1})
    if duplicates:
        problems.append(
            AikenError(
                draft.line,
                _("Line %(line)d: the option %(letter)s appears twice.")
                % {"line": draft.line, "letter": duplicates[0]},
            )
        )
    if answer not in letters:
        problems.append(
            AikenError(
                answer_line,
                _("Line %(line)d: the answer “%(answer)s” is not one of the options %(letters)s.")
                % {"line": answer_line, "answer": answer, "letters": ", ".join(letters) or "-"},
            )
        )
    if problems:
        errors.extend(problems)
        return None
    return QuestionSpec(
        kind=QuestionKind.SINGLE_CHOICE,
        text="\n".join(draft.text_lines),
        choices=tuple(ChoiceSpec(text, 1 if letter == answer else 0) for letter, text in draft.options),
        line=draft.line,
    )


def _missing_answer(draft: _Draft) -> AikenError:
    return AikenError(
        draft.line, _("Line %(line)d: the question has no ANSWER: line after its options.") % {"line": draft.line}
    )


def parse(text: str) -> list[QuestionSpec]:
    """The questions of an Aiken file, in order. Raises AikenErrors listing every problem found."""
    questions: list[QuestionSpec] = []
    errors: list[AikenError] = []
    draft: _Draft | None = None
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = ANSWER.match(line)
        option = OPTION.match(line)
        if answer:
            if draft is None:
                errors.append(
                    AikenError(number, _("Line %(line)d: ANSWER: comes before any question.") % {"line": number})
                )
                continue
            question = _finish(draft, answer.group(1).strip().upper(), number, errors)
            if question is not None:
                questions.append(question)
            draft = None
        elif option and draft is not None and draft.text_lines:
            draft.options.append((option.group(1), option.group(2).strip()))
        else:
            if draft is not None and draft.options:
                # Text after the options starts the next question: this one never got its answer.
                errors.append(_missing_answer(draft))
                draft = None
            draft = draft or _Draft(number)
            draft.text_lines.append(line)
    if draft is not None:
        errors.append(_missing_answer(draft))
    if errors:
        raise AikenErrors(errors)
    return questions
