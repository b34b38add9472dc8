"""Moodle's GIFT question format: `parse` a file into QuestionSpecs and `dump` them back.

The rules follow Moodle's own importer (question/format/gift/format.php):

- Questions are separated by blank lines; lines starting with `//` are comments; a
  `$CATEGORY: path` line sets the category of the questions after it.
- `::name::` opens a question; a `[html]`, `[markdown]`, `[plain]` or `[moodle]` tag at the start
  of a text is dropped (Balai keeps plain text).
- The answers are between the first `{` and the next `}`. With text after the `}` the question is
  the missing-word form and the answers' place becomes "_____".
- `\\~ \\= \\# \\{ \\} \\: \\\\` stand for the character itself and `\\n` for a new line; any other
  backslash is kept as written.
- `####` in the answers starts the general feedback; `#` after an answer starts its feedback.
- The kind follows from the answers, in Moodle's order:
  empty → essay; starting with `#` → numerical; containing `~` → choice; containing `=` and
  `->` → matching; `T`, `TRUE`, `F`, `FALSE` → true/false (Balai also accepts lower case);
  anything else → short answer.
- A choice question with at least one `=` is single choice (one radio button) and every `=` is
  fully right, so several `=` give several right answers. Without any `=` it is multiple choice
  (check boxes) and the `~%50%` weights say what each choice is worth. A `~` choice without a
  weight is worth 0. Weights lie between -100 and 100 and may have decimals (`~%33.33333%`).
  Balai also reads `=%50%` as a weight, which Moodle's writer never produces.
- True/false: `{T#feedback when wrong#feedback when right}`.
- Short answer: each `=` is an accepted answer; Moodle writes them as `=%100%answer`. Balai
  scores short answers right or wrong, so a weight other than 100 is refused.
- Numerical, matching and essay questions, and questions without answers (Moodle's
  "description"), are refused with their line: Balai cannot score them. Any error refuses the
  whole file, and every error is reported at once (`GiftErrors`).
- An empty file, or one of comments only, is not an error: it has no questions.
"""

import re
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from assessments.errors import QuestionFileError, QuestionFileErrors
from assessments.specs import ChoiceSpec, QuestionKind, QuestionSpec


class GiftError(QuestionFileError):
    """One problem in a GIFT file."""


class GiftErrors(QuestionFileErrors):
    """All the problems in a GIFT file."""


ESCAPABLE = "\\~=#{}:"
# Private-use code points stand in for escaped characters while the structure is read,
# as Moodle does, so `\=` is never taken for a right answer.
PLACEHOLDERS = {char: chr(0xE000 + position) for position, char in enumerate(ESCAPABLE)}
NEWLINE_PLACEHOLDER = chr(0xE000 + len(ESCAPABLE))
RESTORE = {placeholder: char for char, placeholder in PLACEHOLDERS.items()} | {NEWLINE_PLACEHOLDER: "\n"}
FORMAT_TAG = re.compile(r"^\[(?:html|markdown|plain|moodle)\]")
WEIGHT = re.compile(r"^%(-?[0-9]+(?:\.[0-9]+)?)%")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
BLANK = "_____"
CATEGORY_PREFIX = "$CATEGORY:"


def _hide_escapes(text: str) -> str:
    out = []
    position = 0
    while position < len(text):
        char = text[position]
        following = text[position + 1 : position + 2]
        if char == "\\" and following in PLACEHOLDERS:
            out.append(PLACEHOLDERS[following])
            position += 2
        elif char == "\\" and following == "n":
            out.append(NEWLINE_PLACEHOLDER)
            position += 2
        else:
            out.append(char)
            position += 1
    return "".join(out)


def _restore(text: str) -> str:
    return "".join(RESTORE.get(char, char) for char in text)


def _clean(text: str) -> str:
    """A text part as Balai stores it: trimmed, without a format tag, escapes resolved."""
    text = FORMAT_TAG.sub("", text.strip(), count=1).strip()
    return _restore(text)


def _chunks(text: str):
    """Yield (first line number, [(line number, line)]) for each blank-line separated block."""
    block: list[tuple[int, str]] = []
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            if block:
                yield block
            block = []
            continue
        # A comment keeps its place so that line numbers stay right.
        block.append((number, "" if line.startswith("//") else line))
    if block:
        yield block


class _Chunk:
    """One question's text with the line each character came from."""

    def __init__(self, lines: list[tuple[int, str]]):
        self.first_line = lines[0][0]
        self.text = "\n".join(line for _number, line in lines)

    def line_at(self, position: int) -> int:
        return self.first_line + self.text.count("\n", 0, position)


def _split_answers(answers: str, offset: int, markers: str) -> list[tuple[str, int]]:
    """Split at each marker character, keeping it, with each part's position in the chunk."""
    starts = [match.start() for match in re.finditer(f"[{re.escape(markers)}]", answers)]
    parts = []
    if not starts or answers[: starts[0]].strip():
        parts.append((answers[: starts[0]] if starts else answers, offset))
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(answers)
        parts.append((answers[start:end], offset + start))
    return parts


def _split_feedback(answer: str) -> tuple[str, str]:
    text, _hash, feedback = answer.partition("#")
    return _clean(text), _clean(feedback)


def _weight(answer: str, line: int, errors: list[GiftError]) -> tuple[Fraction | None, str]:
    """The `%n%` weight at the start of an answer (None without one) and the rest."""
    match = WEIGHT.match(answer)
    if not match:
        return None, answer
    percent = Fraction(match.group(1))
    if not -100 <= percent <= 100:
        errors.append(
            GiftError(
                line,
                _("Line %(line)d: a weight must lie between -100 and 100, not %(weight)s.")
                % {"line": line, "weight": match.group(1)},
            )
        )
        percent = Fraction(0)
    return percent / 100, answer[match.end() :]


def _parse_choices(chunk, answers, offset, line, errors) -> tuple[QuestionKind, tuple[ChoiceSpec, ...]]:
    kind = QuestionKind.SINGLE_CHOICE if "=" in answers else QuestionKind.MULTIPLE_CHOICE
    choices = []
    for part, position in _split_answers(answers, offset, "~="):
        part_line = chunk.line_at(position)
        part = part.strip()
        if part.startswith("="):
            weight, part = _weight(part[1:].lstrip(), part_line, errors)
            weight = Fraction(1) if weight is None else weight
        else:
            weight, part = _weight(part.removeprefix("~").lstrip(), part_line, errors)
            weight = Fraction(0) if weight is None else weight
        text, feedback = _split_feedback(part)
        if not text:
            errors.append(GiftError(part_line, _("Line %(line)d: an answer is empty.") % {"line": part_line}))
        choices.append(ChoiceSpec(text, weight, feedback))
    if len(choices) < 2:
        errors.append(
            GiftError(line, _("Line %(line)d: a choice question needs at least two choices.") % {"line": line})
        )
    elif not any(choice.weight > 0 for choice in choices):
        errors.append(GiftError(line, _("Line %(line)d: the question has no right answer.") % {"line": line}))
    return kind, tuple(choices)


def _parse_short_answers(chunk, answers, offset, line, errors) -> tuple[tuple[str, ...], str]:
    accepted = []
    feedback_right = ""
    for part, position in _split_answers(answers, offset, "="):
        part_line = chunk.line_at(position)
        weight, part = _weight(part.strip().removeprefix("=").lstrip(), part_line, errors)
        text, feedback = _split_feedback(part)
        if not text:
            errors.append(GiftError(part_line, _("Line %(line)d: an answer is empty.") % {"line": part_line}))
            continue
        if weight is not None and weight != 1:
            errors.append(
                GiftError(
                    part_line,
                    _(
                        "Line %(line)d: Balai scores short answers as right or wrong; "
                        "remove the partial weight from “%(answer)s”."
                    )
                    % {"line": part_line, "answer": text},
                )
            )
            continue
        accepted.append(text)
        feedback_right = feedback_right or feedback
    return tuple(accepted), feedback_right


def _parse_question(chunk: _Chunk, category: str, errors: list[GiftError]) -> QuestionSpec | None:
    text = _hide_escapes(chunk.text)
    line = chunk.first_line
    name = ""
    body_start = 0
    if text.startswith("::"):
        name_end = text.find("::", 2)
        if name_end == -1:
            errors.append(
                GiftError(
                    line,
                    _("Line %(line)d: the question name that starts with :: is not closed with ::.") % {"line": line},
                )
            )
            return None
        name = _restore(text[2:name_end].strip())
        body_start = name_end + 2
    opening = text.find("{", body_start)
    if opening == -1:
        errors.append(
            GiftError(line, _("Line %(line)d: the question has no answers between { and }.") % {"line": line})
        )
        return None
    brace_line = chunk.line_at(opening)
    closing = text.find("}", opening)
    if closing == -1:
        errors.append(
            GiftError(
                brace_line,
                _("Line %(line)d: the { that opens the answers is not closed with }.") % {"line": brace_line},
            )
        )
        return None
    after = text[closing + 1 :]
    question_text = text[body_start:opening] + (BLANK + after if after.strip() else "")
    question = {"name": name, "text": _clean(question_text), "category": category, "line": line}
    answers = text[opening + 1 : closing]
    answers_offset = opening + 1
    answers, _marker, general_feedback = answers.partition("####")
    question["general_feedback"] = _clean(general_feedback)
    stripped = answers.strip()

    refusal = None
    if not stripped:
        refusal = _(
            "Line %(line)d: Balai cannot score essay questions ({}); remove it or turn it into multiple choice."
        )
    elif stripped.startswith("#"):
        refusal = _(
            "Line %(line)d: Balai cannot score numerical questions ({#…}); remove it or turn it into multiple choice."
        )
    elif "~" not in stripped and "=" in stripped and "->" in stripped:
        refusal = _(
            "Line %(line)d: Balai cannot score matching questions (->); remove it or turn it into multiple choice."
        )
    if refusal:
        errors.append(GiftError(brace_line, refusal % {"line": brace_line}))
        return None

    if not question["text"]:
        errors.append(GiftError(line, _("Line %(line)d: the question has no text.") % {"line": line}))
    if "~" in stripped:
        kind, choices = _parse_choices(chunk, answers, answers_offset, brace_line, errors)
        return QuestionSpec(kind=kind, choices=choices, **question)
    truth, _hash, feedbacks = stripped.partition("#")
    if truth.strip().upper() in TRUE_FALSE:
        wrong, _hash, right = feedbacks.partition("#")
        return QuestionSpec(
            kind=QuestionKind.TRUE_FALSE,
            correct=TRUE_FALSE[truth.strip().upper()],
            feedback_wrong=_clean(wrong),
            feedback_right=_clean(right),
            **question,
        )
    accepted, feedback_right = _parse_short_answers(chunk, answers, answers_offset, brace_line, errors)
    return QuestionSpec(
        kind=QuestionKind.SHORT_ANSWER, accepted_answers=accepted, feedback_right=feedback_right, **question
    )


def parse(text: str) -> list[QuestionSpec]:
    """The questions of a GIFT file, in order. Raises GiftErrors listing every problem found."""
    questions = []
    errors: list[GiftError] = []
    category = ""
    for block in _chunks(text):
        lines = [(number, line) for number, line in block if line]
        if lines and lines[0][1].startswith(CATEGORY_PREFIX):
            category = lines[0][1].removeprefix(CATEGORY_PREFIX).strip()
            lines = lines[1:]
        if not lines:
            continue
        start = block.index(lines[0])
        question = _parse_question(_Chunk(block[start:]), category, errors)
        if question is not None:
            questions.append(question)
    if errors:
        raise GiftErrors(errors)
    return questions


def _escape(text: str) -> str:
    for char in ESCAPABLE:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _escape_text(text: str) -> str:
    """Escape a text that opens a line or follows a marker, guarding what parse would strip."""
    escaped = _escape(text)
    if FORMAT_TAG.match(text) or text.startswith(("//", "%")):
        # A leading tag is dropped once, so a literal one survives; so does a leading // or %.
        escaped = "[plain]" + escaped
    return escaped


def percent(weight: Fraction) -> str:
    """A weight as GIFT writes it in `%…%`: 50, -33.33333, 12.5."""
    value = weight * 100
    if value.denominator == 1:
        return str(value.numerator)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(exact) == value:
        return format(exact.normalize(), "f")
    # A weight such as 1/3 has no finite decimal; Moodle writes it as 33.33333.
    return f"{exact:.5f}"


def _feedback(text: str) -> str:
    return f"#{_escape_text(text)}" if text else ""


def _dump_choices(question: QuestionSpec) -> list[str]:
    lines = []
    if question.kind == QuestionKind.SINGLE_CHOICE:
        # Single choice needs an `=`; without a fully right choice the best one carries it with its weight.
        marked = next((choice for choice in question.choices if choice.weight == 1), None)
        marked = marked or max(question.choices, key=lambda choice: choice.weight, default=None)
        for choice in question.choices:
            if choice is marked or choice.weight == 1:
                marker = "=" if choice.weight == 1 else f"=%{percent(choice.weight)}%"
            elif choice.weight == 0:
                marker = "~"
            else:
                marker = f"~%{percent(choice.weight)}%"
            lines.append(f"\t{marker}{_escape_text(choice.text)}{_feedback(choice.feedback)}")
    else:
        for choice in question.choices:
            lines.append(f"\t~%{percent(choice.weight)}%{_escape_text(choice.text)}{_feedback(choice.feedback)}")
    return lines


def _dump_question(question: QuestionSpec) -> str:
    head = f"::{_escape(question.name)}::" if question.name else ""
    text = _escape_text(question.text)
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        answers = _dump_choices(question)
    elif question.kind == QuestionKind.TRUE_FALSE:
        truth = "TRUE" if question.correct else "FALSE"
        feedback = ""
        if question.feedback_wrong or question.feedback_right:
            feedback = f"#{_escape_text(question.feedback_wrong)}"
        if question.feedback_right:
            feedback += f"#{_escape_text(question.feedback_right)}"
        answers = [f"\t{truth}{feedback}"]
    elif question.kind == QuestionKind.SHORT_ANSWER:
        answers = [
            f"\t=%100%{_escape_text(answer)}{_feedback(question.feedback_right) if index == 0 else ''}"
            for index, answer in enumerate(question.accepted_answers)
        ]
    else:
        raise ValueError(f"GIFT has no form for {question.kind} questions.")
    if question.general_feedback:
        answers.append(f"\t####{_escape_text(question.general_feedback)}")
    return "\n".join([f"{head}{text} {{", *answers, "}"])


def dump(questions: list[QuestionSpec]) -> str:
    """The questions as a GIFT file that `parse` reads back into equal questions.

    Likert and free-text questions have no GIFT form and raise ValueError.
    """
    blocks = []
    category = ""
    for question in questions:
        if question.category != category:
            blocks.append(f"{CATEGORY_PREFIX} {question.category}")
            category = question.category
        blocks.append(_dump_question(question))
    return "\n\n".join(blocks) + "\n" if blocks else ""
