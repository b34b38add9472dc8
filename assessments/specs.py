"""The shape of a question, independent of how it is stored.

GIFT and Aiken parsers produce these specs, the GIFT writer reads them, and the scoring
functions take them; the database models are built from them and can turn back into them.
Moodle's partial credit is kept: every choice carries a weight between -1 and 1.
"""

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction


class QuestionKind(enum.StrEnum):
    """What a companion does with a question; the values are stored, so they never change."""

    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    LIKERT = "likert"
    FREE_TEXT = "free_text"

    @property
    def is_scored(self) -> bool:
        """Likert and free text belong to evaluations, which are read, not scored."""
        return self not in (QuestionKind.LIKERT, QuestionKind.FREE_TEXT)


@dataclass(frozen=True)
class ChoiceSpec:
    """One choice of a choice question.

    `weight` is the share of the question's mark the choice is worth: 1 fully right, 0 wrong,
    a fraction for partial credit and a negative value for a penalty (Moodle's `~%-50%`). It is
    kept as an exact Fraction so that three choices of 1/3 add up to exactly 1.
    """

    text: str
    weight: Fraction = Fraction(0)
    feedback: str = ""

    def __post_init__(self):
        weight = self.weight
        if isinstance(weight, Decimal | int):
            weight = Fraction(weight)
        if not isinstance(weight, Fraction) or isinstance(weight, bool):
            raise TypeError(f"A choice weight is a Fraction, Decimal or int, not {type(self.weight).__name__}.")
        if not -1 <= weight <= 1:
            raise ValueError(f"A choice weight lies between -1 and 1, not {weight}.")
        object.__setattr__(self, "weight", weight)


@dataclass(frozen=True)
class QuestionSpec:
    """A question as a trainer writes it.

    - `choices` for single and multiple choice (and, in the order 1…4, for Likert labels);
    - `accepted_answers` for short answer: any of them is fully right;
    - `correct` for true/false, with `feedback_right` / `feedback_wrong` shown after answering;
    - `general_feedback` is shown whatever the answer;
    - `category` is the GIFT `$CATEGORY` the question came under, and `line` the line of the
      source file it starts on (0 when it did not come from a file), so errors can point at it.
    """

    kind: QuestionKind
    text: str
    name: str = ""
    choices: tuple[ChoiceSpec, ...] = ()
    accepted_answers: tuple[str, ...] = ()
    correct: bool | None = None
    feedback_right: str = ""
    feedback_wrong: str = ""
    general_feedback: str = ""
    category: str = ""
    line: int = field(default=0, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "kind", QuestionKind(self.kind))
        object.__setattr__(self, "choices", tuple(self.choices))
        object.__setattr__(self, "accepted_answers", tuple(self.accepted_answers))
