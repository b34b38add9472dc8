"""Who may receive a certificate, and every reason why not. Pure: the facts come from selectors.py.

The coordinator's screen, the bulk issue and the tests all call `assess`.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Rule:
    """A cohort's thresholds: its own override where set, else its program's."""

    min_attendance_percent: int
    pass_mark: int
    modules_complete: bool = False
    post_test_required: bool = True


@dataclass(frozen=True)
class Facts:
    """What one enrollment has done. `post_test` is None when no post-test was submitted."""

    attendance: Fraction
    post_test: Decimal | None
    modules_incomplete: int = 0
    active: bool = True


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reasons: tuple[str, ...]


def percent_text(value: Fraction | Decimal) -> str:
    """75, 87,5 or 66,7: whole numbers bare, others to one place, with the language's decimal mark.

    Rounded down, so a share just under the minimum never reads as the minimum itself.
    """
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    shown = Decimal(value).quantize(Decimal("0.1"), rounding="ROUND_FLOOR")
    if shown == shown.to_integral_value():
        return str(shown.to_integral_value())
    return number_format(shown, decimal_pos=1)


def assess(facts: Facts, rule: Rule) -> Verdict:
    reasons = []
    if not facts.active:
        reasons.append(_("no longer enrolled"))
    attendance = facts.attendance * 100
    if attendance < rule.min_attendance_percent:
        reasons.append(
            _("attendance %(share)s %% < %(minimum)s %%")
            % {"share": percent_text(attendance), "minimum": rule.min_attendance_percent}
        )
    if facts.post_test is None:
        if rule.post_test_required:
            reasons.append(_("no post-test submitted"))
    elif facts.post_test < rule.pass_mark:
        reasons.append(
            _("post-test score %(score)s < %(mark)s") % {"score": percent_text(facts.post_test), "mark": rule.pass_mark}
        )
    if rule.modules_complete and facts.modules_incomplete:
        count = facts.modules_incomplete
        reasons.append(
            ngettext("%(count)d module not finished", "%(count)d modules not finished", count) % {"count": count}
        )
    return Verdict(eligible=not reasons, reasons=tuple(reasons))
