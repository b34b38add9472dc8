"""Eligibility is a pure function: every reason, in the reader's language, without a database."""

from decimal import Decimal
from fractions import Fraction

import pytest

from django.utils import translation

from certificates.eligibility import Facts, Rule, assess, percent_text

RULE = Rule(min_attendance_percent=80, pass_mark=70)


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def test_a_companion_who_attended_and_passed_is_eligible_with_no_reason():
    verdict = assess(Facts(attendance=Fraction(9, 10), post_test=Decimal("85")), RULE)
    assert verdict.eligible and verdict.reasons == ()


def test_the_thresholds_themselves_pass():
    assert assess(Facts(attendance=Fraction(4, 5), post_test=Decimal("70.00")), RULE).eligible


def test_low_attendance_is_told_with_both_percentages():
    verdict = assess(Facts(attendance=Fraction(3, 4), post_test=Decimal("90")), RULE)
    assert not verdict.eligible
    assert verdict.reasons == ("kehadiran 75 % < 80 %",)


def test_a_low_post_test_score_is_told_with_the_pass_mark():
    verdict = assess(Facts(attendance=Fraction(1), post_test=Decimal("65.00")), RULE)
    assert verdict.reasons == ("nilai post-test 65 < 70",)


def test_no_post_test_is_a_reason_of_its_own():
    assert assess(Facts(attendance=Fraction(1), post_test=None), RULE).reasons == ("belum mengerjakan post-test",)


def test_unfinished_modules_count_only_when_the_rule_asks_for_them():
    facts = Facts(attendance=Fraction(1), post_test=Decimal("80"), modules_incomplete=3)
    assert assess(facts, RULE).eligible
    strict = Rule(min_attendance_percent=80, pass_mark=70, modules_complete=True)
    assert assess(facts, strict).reasons == ("3 modul belum selesai",)


def test_every_reason_is_given_at_once():
    facts = Facts(attendance=Fraction(3, 4), post_test=Decimal("65"), modules_incomplete=3, active=False)
    verdict = assess(facts, Rule(min_attendance_percent=80, pass_mark=70, modules_complete=True))
    assert verdict.reasons == (
        "tidak lagi terdaftar",
        "kehadiran 75 % < 80 %",
        "nilai post-test 65 < 70",
        "3 modul belum selesai",
    )


def test_a_cohort_override_lowers_the_bar():
    facts = Facts(attendance=Fraction(3, 4), post_test=Decimal("65"))
    assert assess(facts, Rule(min_attendance_percent=75, pass_mark=60)).eligible


def test_a_share_just_under_the_minimum_never_reads_as_the_minimum():
    verdict = assess(Facts(attendance=Fraction(7999, 10000), post_test=Decimal("90")), RULE)
    assert verdict.reasons == ("kehadiran 79,9 % < 80 %",)


def test_percentages_read_as_a_person_writes_them():
    assert percent_text(Fraction(1, 2) * 100) == "50"
    assert percent_text(Fraction(2, 3) * 100) == "66,6"
    assert percent_text(Decimal("87.50")) == "87,5"
