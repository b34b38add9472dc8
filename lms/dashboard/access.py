"""Who sees which cohorts' figures, and whose personal data."""

from django.db.models import QuerySet

from courses.models import Cohort

EVERY_COHORT = "courses.change_cohort"  # coordinators: they run every cohort
TRAINED_COHORTS = "courses.view_cohort"  # trainers: the cohorts they teach
FULL_NIK = "people.view_companion"  # the companion list, which shows the full NIK, is the coordinators'


def reads_every_cohort(user) -> bool:
    return user.is_active and user.has_perm(EVERY_COHORT)


def reads_cohorts(user) -> bool:
    """Whether the user has any business with the dashboard at all."""
    return user.is_active and (user.has_perm(EVERY_COHORT) or user.has_perm(TRAINED_COHORTS))


def cohorts_for(user) -> QuerySet[Cohort]:
    """Every cohort for coordinators, the cohorts a trainer teaches, none for anyone else."""
    if reads_every_cohort(user):
        return Cohort.objects.all()
    if reads_cohorts(user):
        return Cohort.objects.filter(trainers=user)
    return Cohort.objects.none()


def sees_personal_data(user) -> bool:
    """The NIK, birth date and phone: on coordinators' screens and exports only (UU 27/2022)."""
    return user.is_active and user.has_perm(FULL_NIK)
