"""Reads of quizzes and attempts that span relations. Each costs a fixed number of queries."""

from decimal import Decimal

from django.db.models import F, Max

from .models import Attempt


def final_scores(enrollment_ids, kind) -> dict[int, Decimal]:
    """The best submitted score of `kind` of quiz (a QuizKind) per enrollment, in its own program.

    Enrollments without a scored, submitted attempt of that kind are left out.
    Used by the dashboard and by certificates.
    """
    rows = (
        Attempt.objects.filter(
            enrollment_id__in=list(enrollment_ids),
            quiz__kind=kind,
            submitted_at__isnull=False,
            score__isnull=False,
            quiz__path__startswith=F("enrollment__cohort__program__path"),
        )
        .values("enrollment_id")
        .annotate(best=Max("score"))
    )
    return {row["enrollment_id"]: row["best"] for row in rows}
