"""Report arithmetic on small data sets whose figures were worked out by hand (no database)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from assessments.stats import (
    AttemptScores,
    GainRow,
    LikertRow,
    bin_labels,
    group_gains,
    group_size,
    item_analysis,
    likert_averages,
    mean,
    median,
    normalized_gain,
    picks,
    rounded,
    score_bin,
    score_summary,
    topic_percentages,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("66.665"), Decimal("66.67")),
        (Fraction(200, 3), Decimal("66.67")),
        (Fraction(1, 3), Decimal("0.33")),
        (Fraction(-1, 8), Decimal("-0.13")),
        (70, Decimal("70.00")),
        (None, None),
    ],
)
def test_rounded_is_half_away_from_zero_with_two_places(value, expected):
    result = rounded(value)
    assert result == expected
    assert result is None or str(result) == str(expected)


def test_mean_and_median_are_exact_and_none_without_values():
    assert mean([Decimal("52.25"), Decimal("52.50")]) == Fraction(20950, 400)
    assert median([Decimal("60"), Decimal("52.25"), Decimal("52.50")]) == Fraction(105, 2)
    assert rounded(median([Decimal("52.25"), Decimal("52.50")])) == Decimal("52.38")  # 52.375
    assert mean([]) is None and median([]) is None


def test_score_bins_are_ten_points_wide_and_100_falls_in_the_last():
    assert [score_bin(score) for score in (0, Decimal("9.99"), 10, Decimal("69.99"), 70, 90, 100)] == [
        0,
        0,
        1,
        6,
        7,
        9,
        9,
    ]
    assert bin_labels()[0] == "0–9" and bin_labels()[-1] == "90–100" and len(bin_labels()) == 10


def test_score_summary_of_six_attempts():
    scores = [Decimal(score) for score in ("40", "55", "70", "70", "85", "100")]
    summary = score_summary(scores, pass_mark=70)
    assert summary.attempts == 6
    assert summary.mean == 70  # 420 / 6
    assert summary.median == 70  # (70 + 70) / 2
    assert summary.passed == 4  # 70 reaches the pass mark
    assert rounded(summary.pass_rate) == Decimal("66.67")  # 4 / 6
    assert summary.distribution == (0, 0, 0, 0, 1, 1, 0, 2, 1, 1)


def test_score_summary_without_attempts_or_pass_mark():
    empty = score_summary([], pass_mark=70)
    assert (empty.attempts, empty.mean, empty.median, empty.pass_rate) == (0, None, None, None)
    assert empty.distribution == (0,) * 10
    assert score_summary([Decimal("50")], pass_mark=None).pass_rate is None


@pytest.mark.parametrize(("attempts", "size"), [(1, 1), (2, 1), (4, 1), (10, 3), (20, 5), (100, 27), (240, 65)])
def test_upper_and_lower_groups_hold_27_percent_rounded(attempts, size):
    assert group_size(attempts) == size


def test_item_analysis_of_four_attempts():
    attempts = [
        AttemptScores(key=1, total=20, items={"q1": 0, "q2": 1}),
        AttemptScores(key=2, total=40, items={"q1": 0, "q2": Fraction(1, 2)}),
        AttemptScores(key=3, total=60, items={"q1": 1, "q2": 0}),
        AttemptScores(key=4, total=80, items={"q1": 1}),  # q2 unanswered: 0
    ]
    stats = item_analysis(attempts, ["q1", "q2"])
    assert list(stats) == ["q1", "q2"]
    # One attempt per group (27 % of 4 is 1.08): upper = attempt 4, lower = attempt 1.
    assert stats["q1"].difficulty == Fraction(1, 2) and stats["q1"].discrimination == 1
    assert stats["q2"].difficulty == Fraction(3, 8) and stats["q2"].discrimination == -1
    assert rounded(stats["q2"].difficulty) == Decimal("0.38")


def test_item_analysis_breaks_ties_at_the_group_edge_by_key():
    # Ten attempts, groups of three; attempts 3 and 4 tie at 30: the lower key (3) is lower.
    totals = [10, 20, 30, 30, 50, 60, 70, 80, 90, 100]
    attempts = [
        AttemptScores(key=index, total=total, items={"q": 1 if index in (4, 8, 9, 10) else 0})
        for index, total in enumerate(totals, start=1)
    ]
    stats = item_analysis(attempts, ["q"])
    # lower = 1, 2, 3 (mean 0); upper = 8, 9, 10 (mean 1)
    assert stats["q"].discrimination == 1
    assert stats["q"].difficulty == Fraction(4, 10)


def test_item_analysis_of_one_attempt_has_no_discrimination():
    stats = item_analysis([AttemptScores(key=1, total=50, items={"q": 1})], ["q"])
    assert stats["q"].difficulty == 1 and stats["q"].discrimination is None
    assert item_analysis([], ["q"])["q"].difficulty is None


def test_picks_count_each_chosen_option_once_per_answer():
    answers = [5, 5, [5, 6], [6, 6], None, "", [], True, False, True]
    assert picks(answers) == {5: 3, 6: 2, True: 2, False: 1}


@pytest.mark.parametrize(
    ("pre", "post", "gain"),
    [
        (40, 70, Fraction(1, 2)),  # 30 / 60
        (80, 85, Fraction(1, 4)),  # 5 / 20
        (50, 40, Fraction(-1, 5)),  # a loss: -10 / 50
        (Decimal("62.5"), 100, 1),
        (100, 100, None),  # nothing left to gain: undefined
        (None, 70, None),
        (40, None, None),
    ],
)
def test_normalized_gain(pre, post, gain):
    assert normalized_gain(pre, post) == gain


def test_group_gains_compare_companions_with_both_scores():
    rows = [
        ("Jawa Tengah", 40, 70),
        ("Jawa Tengah", 60, 80),
        ("Nusa Tenggara Barat", 50, None),  # no post-test: left out of the means
        ("Nusa Tenggara Barat", 30, 58),
        ("Bali", None, 90),
    ]
    assert group_gains(rows) == [
        GainRow("Jawa Tengah", 2, Fraction(50), Fraction(75), Fraction(1, 2)),  # 25 / 50
        GainRow("Nusa Tenggara Barat", 1, Fraction(30), Fraction(58), Fraction(2, 5)),  # 28 / 70
        GainRow("Bali", 0, None, None, None),
    ]


def test_topic_percentages_average_each_companions_questions_of_a_topic():
    rows = [("e1", "M01", 1), ("e1", "M01", 0), ("e1", "M02", Fraction(1, 2)), ("e2", "M01", 1)]
    assert topic_percentages(rows) == {("e1", "M01"): 50, ("e1", "M02"): 50, ("e2", "M01"): 100}


def test_likert_averages_count_only_answers_one_to_four():
    rows = [("M01", 4), ("M01", 3), ("M01", 3), ("M02", 2), ("M02", True), ("M02", 5), ("M02", 1), ("M02", "4")]
    assert likert_averages(rows) == [
        LikertRow("M01", 3, Fraction(10, 3), (0, 0, 2, 1)),
        LikertRow("M02", 2, Fraction(3, 2), (1, 1, 0, 0)),
    ]
    assert rounded(Fraction(10, 3)) == Decimal("3.33")
