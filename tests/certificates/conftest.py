from dataclasses import dataclass
from decimal import Decimal

import pytest

from assessments.models import QuizKind
from tests.assessments.factories import QuizPageFactory
from tests.certificates.factories import record_results
from tests.courses.factories import SessionFactory
from tests.factories import (
    CohortFactory,
    CompanionFactory,
    EnrollmentFactory,
    LessonPageFactory,
    ModulePageFactory,
    ProgramPageFactory,
    UserFactory,
    VillageFactory,
)


@dataclass
class Training:
    program: object
    cohort: object
    post_test: object
    sessions: list
    lesson: object

    def companion(self, name: str, *, attended: int = 5, score="85", email: str = ""):
        """An enrolled companion with `attended` of the five sessions and a post-test `score` (None: not taken)."""
        user = UserFactory(full_name=name, email=email, groups=["Companion"])
        village = VillageFactory(name=f"Desa {name.split()[0]}", kabupaten="Wonosobo", provinsi="Jawa Tengah")
        enrollment = EnrollmentFactory(cohort=self.cohort, companion=CompanionFactory(user=user, village=village))
        record_results(
            enrollment,
            sessions=self.sessions,
            attended=attended,
            post_test=self.post_test,
            score=None if score is None else Decimal(score),
        )
        return enrollment


@pytest.fixture
def training(db):
    """A program (two modules of 3 JP, a post-test of 2 JP; pass mark 70, attendance 80 %) and a cohort
    of five sessions."""
    program = ProgramPageFactory(title="Bimtek Pendamping Desmigratif 2017", slug="bimtek-2017")
    first = ModulePageFactory(parent=program, title="Kebijakan Program Desmigratif", code="M01", jp_hours=3)
    ModulePageFactory(parent=program, title="Migrasi Aman", code="M02", jp_hours=3)
    lesson = LessonPageFactory(parent=first)
    post_test = QuizPageFactory(parent=program, title="Post-test", kind=QuizKind.POST_TEST, jp_hours=2)
    cohort = CohortFactory(program=program, name="Angkatan I 2017", venue="Jakarta")
    sessions = [SessionFactory(cohort=cohort) for _ in range(5)]
    return Training(program=program, cohort=cohort, post_test=post_test, sessions=sessions, lesson=lesson)


@pytest.fixture
def coordinator(db):
    return UserFactory(username="koordinator-uji", full_name="Koordinator Uji", groups=["Coordinator"])
