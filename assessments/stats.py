"""Report arithmetic: pure functions over scores, without a database.

Every figure is computed exactly (Fractions, or Decimals turned into Fractions) and rounded once,
at the end, by `rounded`: the screen and the spreadsheet show the same Decimal, and no binary
floating point decides a figure. Scores are percentages (0–100); a question's score is a share
(0–1), as in assessments.scoring.

Definitions the reports rely on:
- pass rate: the share of attempts whose score reaches the pass mark (score ≥ pass mark);
- distribution: ten bins of 10 points, 0–9.99 … 80–89.99, and 90–100 (100 falls in the last);
- difficulty: the mean score of a question over the attempts (the share correct; a partially
  right multiple-choice answer counts its partial score, an unanswered question 0);
- discrimination: the upper–lower 27 % index (Kelley). The attempts are ranked by their score,
  the top and bottom 27 % (rounded, at least one each) form the upper and lower groups, and the
  index is the question's mean score in the upper group minus that in the lower group (−1…1).
  Chosen over the point-biserial correlation because it needs no square root, so it stays exact
  and a trainer can check it by hand; ties at a group's edge are broken by the attempt's key;
- normalised gain (Hake): (post − pre) / (100 − pre). With pre = 100 there is nothing left to
  gain and the gain is undefined: None, shown as "—" and left out of every mean. For a group
  (a topic, a province) the gain is that of the group's means, over the companions who took both
  tests, so that pre and post compare the same people.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

HUNDRED = Fraction(100)
BIN_COUNT = 10
UPPER_LOWER_SHARE = Fraction(27, 100)
LIKERT_VALUES = (1, 2, 3, 4)

Number = Fraction | Decimal | int


def rounded(value: Number | None, places: int = 2) -> Decimal | None:
    """`value` rounded to `places` decimals, half away from zero (66.665 → 66.67, −0.125 → −0.13)."""
    if value is None:
        return None
    exact = Fraction(value)
    scale = 10**places
    magnitude = math.floor(abs(exact) * scale + Fraction(1, 2))
    sign = -1 if exact < 0 else 1
    return Decimal(sign * magnitude).scaleb(-places)


def mean(values: Sequence[Number]) -> Fraction | None:
    """The exact mean; None for no values."""
    if not values:
        return None
    return sum((Fraction(value) for value in values), Fraction(0)) / len(values)


def median(values: Sequence[Number]) -> Fraction | None:
    """The middle value, or the mean of the two middle ones; None for no values."""
    if not values:
        return None
    ordered = sorted(Fraction(value) for value in values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def score_bin(score: Number) -> int:
    """The bin (0…9) of a score in 0…100: 10 points each, 100 in the last."""
    return min(BIN_COUNT - 1, max(0, math.floor(Fraction(score) / 10)))


def bin_labels() -> list[str]:
    return [f"{10 * index}–{10 * index + 9}" for index in range(BIN_COUNT - 1)] + ["90–100"]


@dataclass(frozen=True)
class ScoreSummary:
    """One quiz's submitted attempts at a glance. Figures are None when there is no attempt."""

    attempts: int
    passed: int
    mean: Fraction | None
    median: Fraction | None
    pass_rate: Fraction | None  # percent
    distribution: tuple[int, ...]  # attempts per bin, see score_bin


def score_summary(scores: Sequence[Number], *, pass_mark: Number | None) -> ScoreSummary:
    """Count, mean, median, pass rate and distribution of attempt scores (percentages).

    `pass_mark` None (an evaluation, or a quiz without one) leaves the pass rate None.
    """
    counts = Counter(score_bin(score) for score in scores)
    passed = 0 if pass_mark is None else sum(1 for score in scores if Fraction(score) >= Fraction(pass_mark))
    return ScoreSummary(
        attempts=len(scores),
        passed=passed,
        mean=mean(scores),
        median=median(scores),
        pass_rate=HUNDRED * passed / len(scores) if scores and pass_mark is not None else None,
        distribution=tuple(counts.get(index, 0) for index in range(BIN_COUNT)),
    )


@dataclass(frozen=True)
class AttemptScores:
    """One submitted attempt for item analysis: its score and each question's share (0…1).

    `key` orders attempts with equal scores (the attempt's id), so the groups are reproducible;
    a question missing from `items` was not answered and counts 0.
    """

    key: Hashable
    total: Number
    items: Mapping[Hashable, Number]


@dataclass(frozen=True)
class ItemStats:
    """One question over a set of attempts."""

    attempts: int
    difficulty: Fraction | None  # the mean share, 0…1
    discrimination: Fraction | None  # upper−lower 27 %, −1…1; None under two attempts


def group_size(attempts: int) -> int:
    """The size of the upper and of the lower group: 27 % of the attempts, rounded, at least 1."""
    return max(1, math.floor(UPPER_LOWER_SHARE * attempts + Fraction(1, 2)))


def item_analysis(attempts: Sequence[AttemptScores], question_keys: Iterable[Hashable]) -> dict[Hashable, ItemStats]:
    """Difficulty and discrimination of each question, in the order of `question_keys`."""
    ranked = sorted(attempts, key=lambda attempt: (Fraction(attempt.total), attempt.key))
    size = group_size(len(ranked))
    lower, upper = ranked[:size], ranked[-size:]

    def share(group, question):
        return mean([group_attempt.items.get(question, 0) for group_attempt in group])

    result = {}
    for question in question_keys:
        result[question] = ItemStats(
            attempts=len(ranked),
            difficulty=share(ranked, question),
            discrimination=share(upper, question) - share(lower, question) if len(ranked) >= 2 else None,
        )
    return result


def picks(answers: Iterable[object]) -> Counter:
    """How often each option was picked: a choice id (single), each id of a list (multiple), a bool.

    Unanswered (None, "" or []) answers pick nothing; the caller counts them from the attempts.
    """
    counter: Counter = Counter()
    for answer in answers:
        if isinstance(answer, list | tuple):
            counter.update(set(answer))
        elif answer is not None and answer != "":
            counter[answer] += 1
    return counter


def normalized_gain(pre: Number | None, post: Number | None) -> Fraction | None:
    """Hake's normalised gain (post − pre) / (100 − pre); None when either is missing or pre is 100."""
    if pre is None or post is None:
        return None
    pre, post = Fraction(pre), Fraction(post)
    if pre >= HUNDRED:
        return None
    return (post - pre) / (HUNDRED - pre)


@dataclass(frozen=True)
class GainRow:
    """The pre and post means of a group over its companions with both scores, and their gain."""

    group: Hashable
    companions: int
    pre_mean: Fraction | None
    post_mean: Fraction | None
    gain: Fraction | None


def group_gains(rows: Iterable[tuple[Hashable, Number | None, Number | None]]) -> list[GainRow]:
    """One GainRow per group from (group, pre, post) rows, in the order groups first appear.

    A row missing pre or post is left out: the means compare the same companions.
    """
    pairs: dict[Hashable, list[tuple[Fraction, Fraction]]] = {}
    for group, pre, post in rows:
        bucket = pairs.setdefault(group, [])
        if pre is not None and post is not None:
            bucket.append((Fraction(pre), Fraction(post)))
    result = []
    for group, bucket in pairs.items():
        pre_mean = mean([pre for pre, _post in bucket])
        post_mean = mean([post for _pre, post in bucket])
        result.append(
            GainRow(
                group=group,
                companions=len(bucket),
                pre_mean=pre_mean,
                post_mean=post_mean,
                gain=normalized_gain(pre_mean, post_mean),
            )
        )
    return result


def topic_percentages(rows: Iterable[tuple[Hashable, Hashable, Number]]) -> dict[tuple[Hashable, Hashable], Fraction]:
    """Each (owner, topic)'s percentage from (owner, topic, share) rows: the mean share × 100.

    An owner is a companion's enrollment; a topic a module. Every scored question of the quiz
    must have a row (unanswered: share 0), or the percentage leaves it out.
    """
    shares: dict[tuple[Hashable, Hashable], list[Fraction]] = defaultdict(list)
    for owner, topic, share in rows:
        shares[(owner, topic)].append(Fraction(share))
    return {key: HUNDRED * mean(values) for key, values in shares.items()}


@dataclass(frozen=True)
class LikertRow:
    """The answers to the Likert questions (1–4) of one module."""

    topic: Hashable
    answers: int
    mean: Fraction | None
    counts: tuple[int, ...]  # how many answered 1, 2, 3, 4


def likert_averages(rows: Iterable[tuple[Hashable, object]]) -> list[LikertRow]:
    """Mean and counts per topic from (topic, answer) rows, topics in first-seen order.

    Only the integers 1…4 count; anything else (a blank, a bool, a stray 5) is left out.
    """
    values: dict[Hashable, list[int]] = {}
    for topic, answer in rows:
        bucket = values.setdefault(topic, [])
        if isinstance(answer, int) and not isinstance(answer, bool) and answer in LIKERT_VALUES:
            bucket.append(answer)
    result = []
    for topic, bucket in values.items():
        counts = Counter(bucket)
        result.append(
            LikertRow(
                topic=topic,
                answers=len(bucket),
                mean=mean(bucket),
                counts=tuple(counts.get(value, 0) for value in LIKERT_VALUES),
            )
        )
    return result
