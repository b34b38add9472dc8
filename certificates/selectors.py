"""Reads for certificates: the facts eligibility judges, and the lists the screens show.

Attendance and the post-test score belong to other apps; they are read here only, through
`courses.selectors.attendance_shares` and `assessments.selectors.final_scores`.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q

from assessments.models import QuizKind, QuizPage
from assessments.selectors import final_scores
from courses.models import Cohort, Enrollment, LessonPage, LessonProgress, ModulePage, ProgramPage
from courses.selectors import STEP, attendance_shares

from .eligibility import Facts, Rule, Verdict, assess
from .models import Certificate, CertificateTemplate, CohortCertificateRule
from .sharing import whatsapp_link


def attendance_of(enrollment_ids: list[int]) -> dict[int, Fraction]:
    return attendance_shares(enrollment_ids)


def post_test_scores(enrollment_ids: list[int]) -> dict[int, Decimal]:
    return final_scores(enrollment_ids, QuizKind.POST_TEST)


def cohort_rule(cohort: Cohort) -> Rule:
    """The cohort's own thresholds where it has them, else its program's."""
    return rule_of(cohort, CohortCertificateRule.objects.filter(cohort=cohort).first())


def rule_of(cohort: Cohort, own: CohortCertificateRule | None) -> Rule:
    program = cohort.program
    return Rule(
        min_attendance_percent=(
            own.min_attendance_percent
            if own and own.min_attendance_percent is not None
            else program.min_attendance_percent
        ),
        pass_mark=own.pass_mark if own and own.pass_mark is not None else program.pass_mark,
        modules_complete=bool(own and own.modules_complete),
        post_test_required=own.post_test_required if own else True,
    )


def cohort_template(cohort: Cohort) -> CertificateTemplate | None:
    """The cohort's template, else the first one; None prints with the built-in defaults."""
    own = CohortCertificateRule.objects.filter(cohort=cohort).select_related("template").first()
    if own and own.template:
        return own.template
    return CertificateTemplate.objects.order_by("pk").first()


def program_modules(program: ProgramPage) -> list[ModulePage]:
    return list(
        ModulePage.objects.live().child_of(program).order_by("path").only("id", "path", "title", "code", "jp_hours")
    )


def program_quizzes_with_jp(program: ProgramPage) -> list:
    """The pre-test, post-test and other quizzes that count lesson hours, in the program's order."""
    return list(QuizPage.objects.live().descendant_of(program).filter(jp_hours__gt=0).order_by("path"))


def modules_incomplete(*, program: ProgramPage, enrollment_ids: list[int]) -> dict[int, int]:
    """How many modules each enrollment has a live lesson of not yet marked done (two queries)."""
    lessons = list(LessonPage.objects.live().descendant_of(program).values_list("id", "path"))
    module_of = {lesson_id: path[: len(program.path) + STEP] for lesson_id, path in lessons}
    done: dict[int, set[int]] = {pk: set() for pk in enrollment_ids}
    for enrollment_id, lesson_id in LessonProgress.objects.filter(
        enrollment_id__in=enrollment_ids, lesson_id__in=module_of
    ).values_list("enrollment_id", "lesson_id"):
        done[enrollment_id].add(lesson_id)
    return {
        pk: len({module_of[lesson_id] for lesson_id in module_of if lesson_id not in done[pk]}) for pk in enrollment_ids
    }


@dataclass
class Standing:
    """One companion of a cohort on the certificate screen."""

    enrollment: Enrollment
    facts: Facts
    verdict: Verdict
    certificate: Certificate | None


def facts_of(enrollment_id: int, status: str, *, attendance: dict, scores: dict, incomplete: dict) -> Facts:
    """What eligibility judges of one enrollment, from the batch reads of its cohort."""
    return Facts(
        attendance=Fraction(attendance.get(enrollment_id, 0)),
        post_test=scores.get(enrollment_id),
        modules_incomplete=incomplete.get(enrollment_id, 0),
        active=status == Enrollment.Status.ACTIVE,
    )


def cohort_standings(cohort: Cohort, *, enrollment_ids: list[int] | None = None) -> list[Standing]:
    """Every enrollment of the cohort (or those named) with its facts, verdict and certificate.

    A fixed number of queries whatever the cohort's size.
    """
    enrollments = cohort.enrollments.select_related("companion__user", "companion__village").order_by(
        "companion__user__full_name", "pk"
    )
    if enrollment_ids is not None:
        enrollments = enrollments.filter(pk__in=enrollment_ids)
    enrollments = list(enrollments)
    ids = [enrollment.pk for enrollment in enrollments]
    rule = cohort_rule(cohort)
    attendance = attendance_of(ids)
    scores = post_test_scores(ids)
    incomplete = modules_incomplete(program=cohort.program, enrollment_ids=ids) if rule.modules_complete else {}
    certificates = {
        certificate.enrollment_id: certificate for certificate in Certificate.objects.filter(enrollment_id__in=ids)
    }
    standings = []
    for enrollment in enrollments:
        facts = facts_of(enrollment.pk, enrollment.status, attendance=attendance, scores=scores, incomplete=incomplete)
        standings.append(
            Standing(
                enrollment=enrollment,
                facts=facts,
                verdict=assess(facts, rule),
                certificate=certificates.get(enrollment.pk),
            )
        )
    return standings


def certificate_counts(enrollment_ids: list[int]) -> tuple[int, int]:
    """Valid certificates issued to these enrollments, and how many of them are eligible, across
    cohorts, with each cohort's rule: a fixed number of queries (two more per cohort that asks for
    complete modules)."""
    rows = list(Enrollment.objects.filter(pk__in=enrollment_ids).values_list("pk", "cohort_id", "status"))
    cohorts = list(
        Cohort.objects.filter(pk__in={cohort_id for _pk, cohort_id, _status in rows}).select_related("program")
    )
    own = {rule.cohort_id: rule for rule in CohortCertificateRule.objects.filter(cohort__in=cohorts)}
    rules = {cohort.pk: rule_of(cohort, own.get(cohort.pk)) for cohort in cohorts}
    ids = [pk for pk, _cohort_id, _status in rows]
    attendance, scores = attendance_of(ids), post_test_scores(ids)
    incomplete: dict[int, int] = {}
    for cohort in cohorts:
        if rules[cohort.pk].modules_complete:
            members = [pk for pk, cohort_id, _status in rows if cohort_id == cohort.pk]
            incomplete.update(modules_incomplete(program=cohort.program, enrollment_ids=members))
    eligible = sum(
        assess(
            facts_of(pk, status, attendance=attendance, scores=scores, incomplete=incomplete), rules[cohort_id]
        ).eligible
        for pk, cohort_id, status in rows
    )
    return Certificate.objects.valid().filter(enrollment_id__in=ids).count(), eligible


@dataclass(frozen=True)
class RenderProgress:
    total: int
    done: int
    pending: int
    failed: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def render_progress(cohort: Cohort) -> RenderProgress:
    """The PDFs of the cohort's valid certificates: a revoked one is never rendered, so it is not waited for."""
    status = Certificate.RenderStatus
    counts = (
        Certificate.objects.valid()
        .filter(enrollment__cohort=cohort)
        .aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(render_status=status.DONE)),
            pending=Count("pk", filter=Q(render_status=status.PENDING)),
            failed=Count("pk", filter=Q(render_status=status.FAILED)),
        )
    )
    return RenderProgress(**counts)


def certificates_of_user(user) -> list[Certificate]:
    """A companion's certificates with a WhatsApp link each; revoked ones too, so the home page can say so."""
    certificates = list(Certificate.objects.of_user(user).order_by("-dated"))
    for certificate in certificates:
        certificate.whatsapp = whatsapp_link(certificate)
    return certificates


def certificate_by_number_and_name(*, number: str, name: str) -> Certificate | None:
    """The certificate with this number whose holder's name matches, ignoring case and spacing."""
    certificate = Certificate.objects.filter(number=number.strip()).first()
    if certificate is None or normalized_name(certificate.holder_name) != normalized_name(name):
        return None
    return certificate


def normalized_name(name: str) -> str:
    return " ".join(name.split()).casefold()
