"""Who may open which address: every URL pattern × persona × method, checked against one table.

Every pattern outside the Wagtail admin is read from the URL conf, and so is every admin screen
of Balai's own models (cohorts, enrollments, companions, villages, users); Wagtail's other admin
screens are covered by a representative list. A pattern without a row fails
`test_every_url_pattern_has_a_row`, a row whose pattern is gone fails `test_every_row_names_a_pattern`.

The matrix: 188 rows (169 patterns, a few with several targets) × 6 personas × 2 methods = 2256 cases.

To add a row, add an entry to EXPECTED keyed by the pattern's name (`namespace:name`, or its
route when it has none), built with `same_for_all`, `reader_only`, `admin` or `personas`:

    "courses:quiz": reader_only(get=OK, post=(302, "/")),

If the route takes arguments other than the `pk` of an object in WORLD_PKS, add a builder to
URL_BUILDERS, and the object it needs to `build_world`. Two targets of one pattern are two rows
whose keys differ after a `|` (`wagtail_serve|module`); a query string is part of the key
(`cohort:index?export=csv`).
"""

import datetime
import io
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from pypdf import PdfWriter

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from assessments.models import Attempt
from certificates.models import certificate_storage
from courses.models import Enrollment
from people.models import ImportJob, User
from people.services import access_link_issue
from tests.assessments.factories import QuizPageFactory, QuizWindowFactory, single_choice
from tests.certificates.factories import CertificateFactory, CertificateTemplateFactory
from tests.courses.factories import SessionFactory
from tests.factories import (
    CohortFactory,
    DocumentFactory,
    EnrollmentFactory,
    ImageFactory,
    LessonPageFactory,
    ModulePageFactory,
    ProgramPageFactory,
    UserFactory,
    site_root,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "companion_a", "companion_b", "withdrawn", "trainer", "coordinator")
METHODS = ("GET", "POST")
PROJECT_APPS = {"lms", "courses", "people", "assessments", "certificates"}

OK = 200
NOT_FOUND = 404
NOT_ALLOWED = 405
# A redirect is (status, Location); "{next}" stands for the requested address, quoted as Django does.
LOGIN = (302, "/masuk/?next={next}")
ADMIN_LOGIN = (302, "/admin/login/?next={next}")
# Wagtail's answer to staff without the permission: back to the dashboard, with a message.
DENIED = (302, "/admin/")
HOME = (302, "/")


def personas(*, anonymous, companion_a, companion_b, withdrawn, trainer, coordinator) -> dict:
    """A row: each persona's expectation, one for both methods or a {"GET": …, "POST": …} dict."""
    given = locals()
    return {
        persona: given[persona] if isinstance(given[persona], dict) else dict.fromkeys(METHODS, given[persona])
        for persona in PERSONAS
    }


def same_for_all(expected) -> dict:
    return personas(**dict.fromkeys(PERSONAS, expected))


def reader_only(*, get=OK, post=None) -> dict:
    """Curriculum of programme A: companion A and staff read it, anonymous logs in, others get 404."""
    reader = {"GET": get, "POST": get if post is None else post}
    return personas(
        anonymous=LOGIN,
        companion_a=reader,
        companion_b=NOT_FOUND,
        withdrawn=NOT_FOUND,
        trainer=reader,
        coordinator=reader,
    )


def admin(*, trainer, coordinator) -> dict:
    """An admin screen: visitors and companions are sent to the admin login, staff per permissions."""
    return personas(
        anonymous=ADMIN_LOGIN,
        companion_a=ADMIN_LOGIN,
        companion_b=ADMIN_LOGIN,
        withdrawn=ADMIN_LOGIN,
        trainer=trainer,
        coordinator=coordinator,
    )


def get_post(get, post) -> dict:
    return {"GET": get, "POST": post}


# Listings and reports answer GET only; an empty POST to a form shows it with its errors.
READ_ONLY = get_post(OK, NOT_ALLOWED)
FORM = OK


def viewset(namespace: str, *, trainer: dict, coordinator: dict) -> dict:
    """The rows of one ModelViewSet; `trainer` and `coordinator` map each screen to its expectation."""
    assert trainer.keys() == coordinator.keys()
    return {
        f"{namespace}:{screen}": admin(trainer=trainer[screen], coordinator=coordinator[screen]) for screen in trainer
    }


VIEWER = {  # the view permission only
    "index": READ_ONLY,
    "index_results": READ_ONLY,
    "index?export=csv": READ_ONLY,
    "add": DENIED,
    "edit": DENIED,
    "delete": DENIED,
    "history": DENIED,
    "history_results": DENIED,
    "usage": DENIED,
    "copy": DENIED,
}
MANAGER = {  # add, change and view, no delete
    "index": READ_ONLY,
    "index_results": READ_ONLY,
    "index?export=csv": READ_ONLY,
    "add": FORM,
    "edit": FORM,
    "delete": DENIED,
    "history": READ_ONLY,
    "history_results": READ_ONLY,
    "usage": READ_ONLY,
    "copy": FORM,
}
NOTHING = dict.fromkeys(VIEWER, DENIED)


def without(screens: dict, *names: str) -> dict:
    return {screen: expected for screen, expected in screens.items() if screen not in names}


USERS = without(NOTHING, "index?export=csv")  # the user list has no export

# Certificate templates, a snippet: coordinators add, change and view them, and delete none.
SNIPPET_MANAGER = {
    "list": READ_ONLY,
    "list_results": READ_ONLY,
    "add": FORM,
    "edit": FORM,
    "delete": DENIED,
    "history": READ_ONLY,
    "history_results": READ_ONLY,
    "usage": READ_ONLY,
    "copy": FORM,
}
SNIPPET_SCREENS = tuple(SNIPPET_MANAGER)


EXPECTED: dict[str, dict[str, dict[str, object]]] = {
    # The companion site.
    "home": same_for_all(OK),  # the view reads only; a POST renders the same page, harmlessly
    "login": same_for_all(OK),  # an empty POST shows the form with its errors
    "logout": same_for_all(get_post(NOT_ALLOWED, HOME)),
    "set_language": same_for_all(HOME),  # a GET only redirects; a POST also sets the cookie
    "courses:lesson": reader_only(),  # no method check: a POST renders the lesson, harmlessly
    "courses:lesson-complete": personas(
        anonymous=get_post(NOT_ALLOWED, LOGIN),
        companion_a=get_post(NOT_ALLOWED, HOME),  # the last lesson: done, back home
        companion_b=get_post(NOT_ALLOWED, NOT_FOUND),
        withdrawn=get_post(NOT_ALLOWED, NOT_FOUND),
        trainer=get_post(NOT_ALLOWED, NOT_FOUND),  # staff read, but have nothing to mark
        coordinator=get_post(NOT_ALLOWED, NOT_FOUND),
    ),
    # Lesson documents (item 5 of issue #5): only for those who may read a lesson that links them.
    "wagtaildocs_serve": reader_only(),
    "wagtaildocs_serve|unlinked": personas(
        anonymous=LOGIN,
        companion_a=NOT_FOUND,
        companion_b=NOT_FOUND,
        withdrawn=NOT_FOUND,
        trainer=OK,
        coordinator=OK,
    ),
    # Uploaded files: image renditions (what lessons show) are public; originals are for staff.
    "media-image": same_for_all(get_post(OK, NOT_ALLOWED)),
    "media-original-image": personas(
        anonymous=get_post(LOGIN, NOT_ALLOWED),
        companion_a=get_post(NOT_FOUND, NOT_ALLOWED),
        companion_b=get_post(NOT_FOUND, NOT_ALLOWED),
        withdrawn=get_post(NOT_FOUND, NOT_ALLOWED),
        trainer=get_post(OK, NOT_ALLOWED),
        coordinator=get_post(OK, NOT_ALLOWED),
    ),
    # Wagtail's password forms for private collections and pages: a form, open to all.
    "wagtaildocs_authenticate_with_password": same_for_all(OK),
    "wagtailcore_authenticate_with_password": same_for_all(OK),
    "wagtailcore_login": same_for_all(OK),
    # Wagtail serves the curriculum pages; a POST is served like a GET, harmlessly.
    "wagtail_serve|program": reader_only(),
    "wagtail_serve|module": reader_only(),
    # The tree address of a lesson sends its readers to the reader, and no one else.
    "wagtail_serve|lesson": reader_only(get=(302, "{lesson_reader}")),
    "wagtail_serve|unknown": same_for_all(NOT_FOUND),
    # Wagtail's admin: a representative list of its own screens.
    "wagtailadmin_login": personas(
        anonymous=FORM,
        companion_a=FORM,
        companion_b=FORM,
        withdrawn=FORM,
        trainer=get_post(DENIED, FORM),  # staff already in are sent on, unless they post the form again
        coordinator=get_post(DENIED, FORM),
    ),
    "wagtailadmin_logout": admin(
        trainer=get_post(NOT_ALLOWED, (302, "/admin/login/")),
        coordinator=get_post(NOT_ALLOWED, (302, "/admin/login/")),
    ),
    "wagtailadmin_password_reset": same_for_all(FORM),
    "wagtailadmin_home": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    "wagtailadmin_account": admin(trainer=FORM, coordinator=FORM),
    "wagtailadmin_explore_root": admin(trainer=READ_ONLY, coordinator=DENIED),
    "wagtailadmin_explore|program": admin(trainer=READ_ONLY, coordinator=DENIED),
    "wagtailadmin_pages:edit": admin(trainer=FORM, coordinator=DENIED),
    "wagtailadmin_pages:add": admin(trainer=FORM, coordinator=DENIED),
    "wagtailimages:index": admin(trainer=READ_ONLY, coordinator=DENIED),
    "wagtailimages:add": admin(trainer=FORM, coordinator=DENIED),
    "wagtailimages:edit": admin(trainer=DENIED, coordinator=DENIED),  # someone else's: trainers may add, not change
    "wagtaildocs:index": admin(trainer=READ_ONLY, coordinator=DENIED),
    "wagtaildocs:add": admin(trainer=FORM, coordinator=DENIED),
    "wagtaildocs:edit": admin(trainer=DENIED, coordinator=DENIED),
    "wagtailusers_groups:index": admin(trainer=DENIED, coordinator=DENIED),
    "wagtailusers_groups:edit": admin(trainer=DENIED, coordinator=DENIED),
    "wagtailadmin_reports:site_history": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    "wagtailadmin_reports:aging_pages": admin(trainer=READ_ONLY, coordinator=DENIED),  # a report on pages
    "wagtailsites:index": admin(trainer=DENIED, coordinator=DENIED),
    "wagtailadmin_collections:index": admin(trainer=DENIED, coordinator=DENIED),
    "wagtailredirects:index": admin(trainer=DENIED, coordinator=DENIED),
    "wagtailadmin_workflows:index": admin(trainer=DENIED, coordinator=DENIED),
    # The Training menu, read from the URL conf: trainers see cohorts and enrollments; only
    # coordinators open companions, whose full NIK the list shows.
    **viewset("cohort", trainer=VIEWER, coordinator=MANAGER),
    **viewset("enrollment", trainer=VIEWER, coordinator=MANAGER),
    **viewset("companion", trainer=without(NOTHING, "copy"), coordinator=without(MANAGER, "copy")),
    **viewset("village", trainer=NOTHING, coordinator=MANAGER),
    # The user admin: roles are given here, so neither staff role opens it.
    **viewset("wagtailusers_users", trainer=USERS, coordinator=USERS),
    # --- dashboard ---
    # Staff read the dashboard of their cohorts: all for coordinators, their own for trainers
    # (the world's trainer trains cohort A, so reads its screens and exports, without the NIK).
    "dashboard:index": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    "dashboard:export": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    "dashboard:export|csv": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    # Counting every cohort again is the coordinators' (trainers' dashboards are counted live).
    "dashboard:refresh": admin(trainer=DENIED, coordinator=get_post(NOT_ALLOWED, (302, "/admin/dasbor/"))),
    "dashboard:cohort": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    "dashboard:cohort_export": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    "dashboard:cohort_table": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    "dashboard:cohort_table|roster-csv": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    "dashboard:cohort_table|unknown": admin(
        trainer=get_post(NOT_FOUND, NOT_ALLOWED), coordinator=get_post(NOT_FOUND, NOT_ALLOWED)
    ),
    "cohort:inspect": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    "companion:inspect": admin(trainer=DENIED, coordinator=READ_ONLY),
    # --- attendance ---
    # Sessions in the Training menu: coordinators generate, edit and delete them (one without
    # attendance); trainers see them. The phone screens under /panitia/: coordinators mark,
    # the cohort's own trainers read (the world's trainer trains cohort A), the rest get 404.
    **viewset(
        "session",
        trainer={**VIEWER, "generate": DENIED},
        coordinator={**MANAGER, "delete": get_post(OK, (302, "/admin/session/")), "generate": FORM},
    ),
    "courses:checkin": personas(
        anonymous=LOGIN,
        companion_a=OK,  # an empty POST shows the form with its error
        companion_b=OK,  # enrolled elsewhere: the form, whose code then matches none of A's sessions
        withdrawn=NOT_FOUND,
        trainer=NOT_FOUND,
        coordinator=NOT_FOUND,
    ),
    **{
        f"staff:{name}": personas(
            anonymous=get_post(LOGIN, NOT_ALLOWED),
            companion_a=get_post(NOT_FOUND, NOT_ALLOWED),
            companion_b=get_post(NOT_FOUND, NOT_ALLOWED),
            withdrawn=get_post(NOT_FOUND, NOT_ALLOWED),
            trainer=READ_ONLY,
            coordinator=READ_ONLY,
        )
        for name in ("sessions", "attendance", "checkin-code")
    },
    **{
        f"staff:{name}": personas(
            anonymous=get_post(NOT_ALLOWED, LOGIN),
            companion_a=get_post(NOT_ALLOWED, NOT_FOUND),
            companion_b=get_post(NOT_ALLOWED, NOT_FOUND),
            withdrawn=get_post(NOT_ALLOWED, NOT_FOUND),
            trainer=get_post(NOT_ALLOWED, NOT_FOUND),
            coordinator=get_post(NOT_ALLOWED, (302, "{attendance_page}")),  # an empty mark: an error, back
        )
        for name in ("attendance-mark", "attendance-all")
    },
    # --- quiz-reports ---
    # Assessment reports: coordinators read every cohort, the trainer the cohorts they train (this
    # world's trainer trains cohort A; tests/assessments covers a cohort they do not train: 404).
    "assessment_reports:index": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    **{
        f"assessment_reports:{report}{export}": admin(trainer=READ_ONLY, coordinator=READ_ONLY)
        for report in ("cohort", "quiz", "gain", "evaluation")
        for export in ("", "?export=xlsx")
    },
    # --- quiz-core ---
    # A quiz of programme A, open now: companion A takes it, staff read and preview it.
    "assessments:quiz": personas(
        anonymous=get_post(LOGIN, NOT_ALLOWED),
        companion_a=get_post(OK, NOT_ALLOWED),
        companion_b=get_post(NOT_FOUND, NOT_ALLOWED),
        withdrawn=get_post(NOT_FOUND, NOT_ALLOWED),
        trainer=get_post(OK, NOT_ALLOWED),
        coordinator=get_post(OK, NOT_ALLOWED),
    ),
    "assessments:quiz-start": personas(
        anonymous=get_post(NOT_ALLOWED, LOGIN),
        companion_a=get_post(NOT_ALLOWED, (302, "{attempt}")),  # the attempt under way continues
        companion_b=get_post(NOT_ALLOWED, NOT_FOUND),
        withdrawn=get_post(NOT_ALLOWED, NOT_FOUND),
        trainer=get_post(NOT_ALLOWED, NOT_FOUND),  # staff preview; they have nothing to start
        coordinator=get_post(NOT_ALLOWED, NOT_FOUND),
    ),
    "assessments:quiz-preview": personas(
        anonymous=get_post(LOGIN, NOT_ALLOWED),
        companion_a=get_post(NOT_FOUND, NOT_ALLOWED),
        companion_b=get_post(NOT_FOUND, NOT_ALLOWED),
        withdrawn=get_post(NOT_FOUND, NOT_ALLOWED),
        trainer=get_post(OK, NOT_ALLOWED),
        coordinator=get_post(OK, NOT_ALLOWED),
    ),
    "assessments:offline-worker": same_for_all(get_post(OK, NOT_ALLOWED)),  # a static script, the same for all
    # Companion A's attempt under way: only companion A opens it.
    "assessments:attempt": personas(
        anonymous=get_post(LOGIN, NOT_ALLOWED),
        companion_a=get_post(OK, NOT_ALLOWED),
        companion_b=get_post(NOT_FOUND, NOT_ALLOWED),
        withdrawn=get_post(NOT_FOUND, NOT_ALLOWED),
        trainer=get_post(NOT_FOUND, NOT_ALLOWED),
        coordinator=get_post(NOT_FOUND, NOT_ALLOWED),
    ),
    "assessments:attempt-save": personas(
        anonymous=get_post(NOT_ALLOWED, LOGIN),
        companion_a=get_post(NOT_ALLOWED, 400),  # an empty POST names no question
        companion_b=get_post(NOT_ALLOWED, NOT_FOUND),
        withdrawn=get_post(NOT_ALLOWED, NOT_FOUND),
        trainer=get_post(NOT_ALLOWED, NOT_FOUND),
        coordinator=get_post(NOT_ALLOWED, NOT_FOUND),
    ),
    "assessments:attempt-submit": personas(
        anonymous=get_post(NOT_ALLOWED, LOGIN),
        companion_a=get_post(NOT_ALLOWED, 303),  # submitted: see other, the result
        companion_b=get_post(NOT_ALLOWED, NOT_FOUND),
        withdrawn=get_post(NOT_ALLOWED, NOT_FOUND),
        trainer=get_post(NOT_ALLOWED, NOT_FOUND),
        coordinator=get_post(NOT_ALLOWED, NOT_FOUND),
    ),
    "assessments:attempt-result": personas(
        anonymous=get_post(LOGIN, NOT_ALLOWED),
        companion_a=get_post((302, "{attempt}"), NOT_ALLOWED),  # not submitted yet: back to the questions
        companion_b=get_post(NOT_FOUND, NOT_ALLOWED),
        withdrawn=get_post(NOT_FOUND, NOT_ALLOWED),
        trainer=get_post(NOT_FOUND, NOT_ALLOWED),
        coordinator=get_post(NOT_FOUND, NOT_ALLOWED),
    ),
    # The tree address of a quiz sends its readers to the quiz page.
    "wagtail_serve|quiz": reader_only(get=(302, "{quiz_reader}")),
    **viewset("quizwindow", trainer=VIEWER, coordinator=MANAGER),
    # --- roster-import ---
    # Importing creates companions: the coordinator's alone. A POST to a job that cannot be
    # confirmed (this one failed) leads back to it.
    "roster_import:upload": admin(trainer=DENIED, coordinator=FORM),
    "roster_import:job": admin(trainer=DENIED, coordinator=get_post(OK, (302, "{roster_job}"))),
    # --- handover ---
    # A live login link opens for anyone; using it logs its companion in, who must choose a password.
    "people:access-link": same_for_all(get_post(OK, (302, "/masuk/sandi/"))),
    "people:access-link|unknown": same_for_all(NOT_FOUND),
    "people:access-code": same_for_all(OK),  # an empty POST shows the form with its errors
    # Only right after a login by link or code; any other session is sent home.
    "people:set-password": personas(
        anonymous=LOGIN, companion_a=HOME, companion_b=HOME, withdrawn=HOME, trainer=HOME, coordinator=HOME
    ),
    # The coordinator's login-access screens; confirmations answer GET, actions POST.
    "access:index": admin(trainer=DENIED, coordinator=READ_ONLY),
    "access:cohort": admin(trainer=DENIED, coordinator=READ_ONLY),
    "access:companion": admin(trainer=DENIED, coordinator=READ_ONLY),
    "access:link": admin(trainer=DENIED, coordinator=FORM),
    "access:reset": admin(trainer=DENIED, coordinator=FORM),
    "access:edit": admin(trainer=DENIED, coordinator=FORM),
    "access:sheet": admin(trainer=DENIED, coordinator=FORM),  # the POST answers with the PDF
    # The companion chooser searches by NIK: coordinators only. Nobody creates companions inside it.
    "companion_chooser:choose": admin(trainer=DENIED, coordinator=READ_ONLY),
    "companion_chooser:choose_results": admin(trainer=DENIED, coordinator=READ_ONLY),
    "companion_chooser:chosen": admin(trainer=DENIED, coordinator=READ_ONLY),
    "companion_chooser:chosen_multiple": admin(trainer=DENIED, coordinator=READ_ONLY),
    "companion_chooser:create": admin(trainer=DENIED, coordinator=DENIED),
    "enrollment:replace": admin(trainer=DENIED, coordinator=FORM),
    # --- certificates ---
    # Verification is public: anyone may check a certificate; lookups only read.
    "certificates:verify": same_for_all(get_post(OK, NOT_ALLOWED)),
    "certificates:check": same_for_all(get_post(OK, NOT_ALLOWED)),
    # Companion A's certificate: its holder and coordinators download it; nobody else learns it exists.
    "certificates:download": personas(
        anonymous=get_post(LOGIN, NOT_ALLOWED),
        companion_a=get_post(OK, NOT_ALLOWED),
        companion_b=get_post(NOT_FOUND, NOT_ALLOWED),
        withdrawn=get_post(NOT_FOUND, NOT_ALLOWED),
        trainer=get_post(NOT_FOUND, NOT_ALLOWED),
        coordinator=get_post(OK, NOT_ALLOWED),
    ),
    # The coordinator's screens; trainers are turned back to the dashboard.
    "certificates_admin:index": admin(trainer=get_post(DENIED, NOT_ALLOWED), coordinator=READ_ONLY),
    "certificates_admin:cohort": admin(trainer=get_post(DENIED, NOT_ALLOWED), coordinator=READ_ONLY),
    "certificates_admin:zip": admin(trainer=get_post(DENIED, NOT_ALLOWED), coordinator=READ_ONLY),
    "certificates_admin:print": admin(trainer=get_post(DENIED, NOT_ALLOWED), coordinator=READ_ONLY),
    # An empty rule form is valid (every field may follow the program): it saves and goes back.
    "certificates_admin:rule": admin(trainer=DENIED, coordinator=get_post(OK, (302, "{certificates_cohort}"))),
    "certificates_admin:issue-all": admin(
        trainer=get_post(NOT_ALLOWED, DENIED), coordinator=get_post(NOT_ALLOWED, (302, "{certificates_cohort}"))
    ),
    "certificates_admin:issue-one": admin(
        trainer=get_post(NOT_ALLOWED, DENIED), coordinator=get_post(NOT_ALLOWED, (302, "{certificates_cohort}"))
    ),
    "certificates_admin:render-again": admin(
        trainer=get_post(NOT_ALLOWED, DENIED), coordinator=get_post(NOT_ALLOWED, (302, "{certificates_cohort}"))
    ),
    "certificates_admin:revoke": admin(trainer=DENIED, coordinator=FORM),  # an empty reason shows the form again
    # The reason of a reissue is optional: an empty form reissues and goes back.
    "certificates_admin:reissue": admin(trainer=DENIED, coordinator=get_post(OK, (302, "{certificates_cohort}"))),
    **viewset(
        "wagtailsnippets_certificates_certificatetemplate",
        trainer=dict.fromkeys(SNIPPET_SCREENS, DENIED),
        coordinator=SNIPPET_MANAGER,
    ),
    # --- quiz-banks ---
    # Question banks: trainers and coordinators import and export; an empty POST shows the upload form's errors.
    "question_banks:index": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
    "question_banks:import": admin(trainer=FORM, coordinator=FORM),
    "question_banks:export": admin(trainer=READ_ONLY, coordinator=READ_ONLY),
}


@dataclass
class World:
    users: dict[str, int] = field(default_factory=dict)
    pks: dict[str, int] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    private_files: list[str] = field(default_factory=list)


# The object whose pk fills a `<int:pk>` route of each admin namespace.
WORLD_PKS = (
    "cohort",
    "enrollment",
    "companion",
    "village",
    "wagtailusers_users",
    "wagtailusers_groups",
    "session",
    "quizwindow",
)

URL_BUILDERS = {
    "courses:lesson": lambda w: reverse("courses:lesson", args=[w.pks["lesson_a"]]),
    "courses:lesson-complete": lambda w: reverse("courses:lesson-complete", args=[w.pks["lesson_a"]]),
    "wagtaildocs_serve": lambda w: w.places["document_a"],
    "wagtaildocs_serve|unlinked": lambda w: w.places["document_unlinked"],
    "media-image": lambda w: w.places["rendition"],
    "media-original-image": lambda w: w.places["original_image"],
    "wagtaildocs_authenticate_with_password": lambda w: reverse(
        "wagtaildocs_authenticate_with_password", args=[w.pks["collection_restriction"]]
    ),
    "wagtailcore_authenticate_with_password": lambda w: reverse(
        "wagtailcore_authenticate_with_password", args=[w.pks["page_restriction"], w.pks["locked_page"]]
    ),
    "wagtail_serve|program": lambda w: w.places["program_a"],
    "wagtail_serve|module": lambda w: w.places["module_a"],
    "wagtail_serve|lesson": lambda w: w.places["lesson_a"],
    "wagtail_serve|unknown": lambda w: "/tidak-ada/",
    "wagtail_serve|quiz": lambda w: w.places["quiz_page"],
    "assessments:quiz": lambda w: reverse("assessments:quiz", args=[w.pks["quiz_a"]]),
    "assessments:quiz-start": lambda w: reverse("assessments:quiz-start", args=[w.pks["quiz_a"]]),
    "assessments:quiz-preview": lambda w: reverse("assessments:quiz-preview", args=[w.pks["quiz_a"]]),
    "assessments:attempt": lambda w: reverse("assessments:attempt", args=[w.pks["attempt_a"]]),
    "assessments:attempt-save": lambda w: reverse("assessments:attempt-save", args=[w.pks["attempt_a"]]),
    "assessments:attempt-submit": lambda w: reverse("assessments:attempt-submit", args=[w.pks["attempt_a"]]),
    "assessments:attempt-result": lambda w: reverse("assessments:attempt-result", args=[w.pks["attempt_a"]]),
    "wagtailadmin_explore|program": lambda w: reverse("wagtailadmin_explore", args=[w.pks["program_a"]]),
    "wagtailadmin_pages:edit": lambda w: reverse("wagtailadmin_pages:edit", args=[w.pks["lesson_a"]]),
    "wagtailadmin_pages:add": lambda w: reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", w.pks["module_a"]]
    ),
    "wagtailimages:edit": lambda w: reverse("wagtailimages:edit", args=[w.pks["image"]]),
    "wagtaildocs:edit": lambda w: reverse("wagtaildocs:edit", args=[w.pks["document_a"]]),
    "certificates:verify": lambda w: reverse("certificates:verify", args=[w.places["certificate_code"]]),
    "certificates:download": lambda w: reverse("certificates:download", args=[w.pks["certificate_a"]]),
    "certificates_admin:cohort": lambda w: w.places["certificates_cohort"],
    "certificates_admin:rule": lambda w: reverse("certificates_admin:rule", args=[w.pks["cohort"]]),
    "certificates_admin:issue-all": lambda w: reverse("certificates_admin:issue-all", args=[w.pks["cohort"]]),
    "certificates_admin:issue-one": lambda w: reverse(
        "certificates_admin:issue-one", args=[w.pks["cohort"], w.pks["enrollment"]]
    ),
    "certificates_admin:render-again": lambda w: reverse("certificates_admin:render-again", args=[w.pks["cohort"]]),
    "certificates_admin:zip": lambda w: reverse("certificates_admin:zip", args=[w.pks["cohort"]]),
    "certificates_admin:print": lambda w: reverse("certificates_admin:print", args=[w.pks["cohort"]]),
    "certificates_admin:revoke": lambda w: reverse("certificates_admin:revoke", args=[w.pks["certificate_a"]]),
    "certificates_admin:reissue": lambda w: reverse("certificates_admin:reissue", args=[w.pks["certificate_a"]]),
    # --- dashboard ---
    "dashboard:export": lambda w: reverse("dashboard:export", args=["provinsi", "xlsx"]),
    "dashboard:export|csv": lambda w: reverse("dashboard:export", args=["kehadiran-harian", "csv"]),
    "dashboard:cohort": lambda w: reverse("dashboard:cohort", args=[w.pks["cohort"]]),
    "dashboard:cohort_export": lambda w: reverse("dashboard:cohort_export", args=[w.pks["cohort"], "nilai", "xlsx"]),
    "dashboard:cohort_table": lambda w: reverse("dashboard:cohort_table", args=[w.pks["cohort"], "kehadiran", "xlsx"]),
    "dashboard:cohort_table|roster-csv": lambda w: reverse(
        "dashboard:cohort_table", args=[w.pks["cohort"], "peserta", "csv"]
    ),
    "dashboard:cohort_table|unknown": lambda w: reverse(
        "dashboard:cohort_table", args=[w.pks["cohort"], "tidak-ada", "csv"]
    ),
    # --- attendance ---
    "staff:sessions": lambda w: reverse("staff:sessions", args=[w.pks["cohort"]]),
    "staff:attendance": lambda w: w.places["attendance_page"],
    "staff:attendance-mark": lambda w: reverse("staff:attendance-mark", args=[w.pks["session"]]),
    "staff:attendance-all": lambda w: reverse("staff:attendance-all", args=[w.pks["session"]]),
    "staff:checkin-code": lambda w: reverse("staff:checkin-code", args=[w.pks["session"]]),
    "people:access-link": lambda w: w.places["access_link"],
    "people:access-link|unknown": lambda w: reverse("people:access-link", args=["tidak-ada"]),
    "access:cohort": lambda w: reverse("access:cohort", args=[w.pks["cohort"]]),
    "access:sheet": lambda w: reverse("access:sheet", args=[w.pks["cohort"]]),
    "access:companion": lambda w: reverse("access:companion", args=[w.pks["companion"]]),
    "access:link": lambda w: reverse("access:link", args=[w.pks["companion"]]),
    "access:reset": lambda w: reverse("access:reset", args=[w.pks["companion"]]),
    "access:edit": lambda w: reverse("access:edit", args=[w.pks["companion"]]),
    "companion_chooser:chosen": lambda w: reverse("companion_chooser:chosen", args=[w.pks["companion"]]),
    **{
        f"assessment_reports:{report}{export}": (
            lambda w, report=report, export=export: (
                reverse(
                    f"assessment_reports:{report}",
                    args=[w.pks["cohort"], w.pks["quiz_a"]] if report == "quiz" else [w.pks["cohort"]],
                )
                + export
            )
        )
        for report in ("cohort", "quiz", "gain", "evaluation")
        for export in ("", "?export=xlsx")
    },
    # --- quiz-banks ---
    "question_banks:import": lambda w: reverse("question_banks:import", args=[w.pks["quiz_a"]]),
    "question_banks:export": lambda w: reverse("question_banks:export", args=[w.pks["quiz_a"]]),
}


# The body of the POST, where an empty one is not a form a browser could send: a StreamField
# needs its block count, or Wagtail fails before it can answer with the form's errors.
POST_DATA = {
    "wagtailadmin_pages:edit": {"body-count": "0"},
    "wagtailadmin_pages:add": {"body-count": "0"},
}


def pattern_name(key: str) -> str:
    return key.partition("|")[0].partition("?")[0]


def concrete_url(key: str, world: World) -> str:
    if key in URL_BUILDERS:
        return URL_BUILDERS[key](world)
    name, _, query = key.partition("|")[0].partition("?")
    try:
        url = reverse(name)
    except NoReverseMatch:
        url = reverse(name, kwargs={"pk": world.pks[name.split(":")[0]]})
    return f"{url}?{query}" if query else url


def walk(resolver: URLResolver, prefix: str = "", namespaces: tuple[str, ...] = ()):
    """(key, route, callback) of every pattern: the key is the namespaced name, or the route."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, route, (*namespaces, entry.namespace) if entry.namespace else namespaces)
        elif isinstance(entry, URLPattern):
            yield (":".join((*namespaces, entry.name)) if entry.name else route), route, entry.callback


def project_model(callback) -> bool:
    model = getattr(callback, "view_initkwargs", {}).get("model")
    if isinstance(model, str):
        model = apps.get_model(model)
    return model is not None and model._meta.app_label in PROJECT_APPS


def needs_a_row(route: str, callback) -> bool:
    """Every pattern outside the admin; in the admin, the screens of Balai's own views and models."""
    if not route.startswith("admin/"):
        return True
    view = getattr(callback, "view_class", callback)
    return view.__module__.split(".")[0] in PROJECT_APPS or project_model(callback)


def test_every_url_pattern_has_a_row():
    rows = {pattern_name(key) for key in EXPECTED}
    missing = sorted(
        key for key, route, callback in walk(get_resolver()) if needs_a_row(route, callback) and key not in rows
    )
    assert missing == [], f"URL patterns without a row in EXPECTED (see this module's docstring): {missing}"


def test_every_row_names_a_pattern():
    patterns = {key for key, _route, _callback in walk(get_resolver())}
    stale = sorted(key for key in EXPECTED if pattern_name(key) not in patterns)
    assert stale == [], f"Rows of EXPECTED whose URL pattern no longer exists: {stale}"


def test_every_row_gives_each_persona_and_method():
    incomplete = sorted(
        key
        for key, row in EXPECTED.items()
        if set(row) != set(PERSONAS) or any(set(r) != set(METHODS) for r in row.values())
    )
    assert incomplete == []


def build_world() -> World:
    """Programme A (with a lesson linking a document) and B, one companion each, a withdrawn one, staff."""
    world = World()
    program_a = ProgramPageFactory(title="Program A", slug="program-a")
    module_a = ModulePageFactory(parent=program_a, slug="modul-a")
    document_a = DocumentFactory(title="Modul A")
    lesson_a = LessonPageFactory(
        parent=module_a,
        slug="pelajaran-a",
        body=[{"type": "document", "value": {"document": document_a.pk, "title": "Unduh modul"}}],
    )
    unlinked = DocumentFactory(title="Berkas tanpa pelajaran")
    image = ImageFactory()
    program_b = ProgramPageFactory(title="Program B", slug="program-b")
    LessonPageFactory(parent=ModulePageFactory(parent=program_b))
    cohort_a, cohort_b = CohortFactory(program=program_a), CohortFactory(program=program_b)
    enrollment_a = EnrollmentFactory(cohort=cohort_a)
    enrollment_b = EnrollmentFactory(cohort=cohort_b)
    withdrawn = EnrollmentFactory(cohort=cohort_a, status=Enrollment.Status.WITHDRAWN)

    locked_page = site_root().add_child(instance=Page(title="Halaman berkata sandi", slug="terkunci"))
    page_restriction = PageViewRestriction.objects.create(
        page=locked_page, restriction_type=PageViewRestriction.PASSWORD, password="sandi-uji"
    )
    locked_collection = Collection.get_first_root_node().add_child(name="Berkas berkata sandi")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=locked_collection, restriction_type=CollectionViewRestriction.PASSWORD, password="sandi-uji"
    )

    quiz_a = QuizPageFactory(parent=program_a, slug="kuis-a")
    question_a = single_choice(quiz_a)
    attempt_a = Attempt.objects.create(
        quiz=quiz_a,
        enrollment=enrollment_a,
        deadline=timezone.now() + datetime.timedelta(days=1),
        question_order=[question_a.pk],
        choice_order={str(question_a.pk): [choice.pk for choice in question_a.ordered_choices()]},
    )
    window = QuizWindowFactory(quiz=quiz_a, cohort=cohort_a)

    world.users = {
        "companion_a": enrollment_a.companion.user_id,
        "companion_b": enrollment_b.companion.user_id,
        "withdrawn": withdrawn.companion.user_id,
        "trainer": UserFactory(groups=["Trainer"]).pk,
        "coordinator": UserFactory(groups=["Coordinator"]).pk,
    }
    # --- attendance ---
    cohort_a.trainers.add(world.users["trainer"])
    session_a = SessionFactory(cohort=cohort_a)
    world.pks = {
        "program_a": program_a.pk,
        "module_a": module_a.pk,
        "lesson_a": lesson_a.pk,
        "document_a": document_a.pk,
        "image": image.pk,
        "locked_page": locked_page.pk,
        "page_restriction": page_restriction.pk,
        "collection_restriction": collection_restriction.pk,
        "cohort": cohort_a.pk,
        "enrollment": enrollment_a.pk,
        "companion": enrollment_a.companion_id,
        "village": enrollment_a.companion.village_id,
        "wagtailusers_users": enrollment_a.companion.user_id,
        "wagtailusers_groups": User.objects.get(pk=world.users["trainer"]).groups.get().pk,
        "session": session_a.pk,
        "quiz_a": quiz_a.pk,
        "attempt_a": attempt_a.pk,
        "quizwindow": window.pk,
    }
    roster_job = ImportJob.objects.create(cohort=cohort_a, filename="angkatan.csv", status=ImportJob.Status.FAILED)
    world.pks["roster_import"] = roster_job.pk
    world.places = {
        "program_a": program_a.url,
        "module_a": module_a.url,
        "lesson_a": lesson_a.url,
        "lesson_reader": reverse("courses:lesson", args=[lesson_a.pk]),
        "document_a": document_a.url,
        "document_unlinked": unlinked.url,
        "rendition": image.get_rendition("width-30").url,
        "original_image": image.file.url,
        "attendance_page": reverse("staff:attendance", args=[session_a.pk]),
        "quiz_page": quiz_a.url,
        "quiz_reader": reverse("assessments:quiz", args=[quiz_a.pk]),
        "attempt": reverse("assessments:attempt", args=[attempt_a.pk]),
        "roster_job": reverse("roster_import:job", args=[roster_job.pk]),
        "access_link": reverse(
            "people:access-link", args=[access_link_issue(user=enrollment_a.companion.user, by=None).secret]
        ),
    }
    certificate = certificate_for_the_matrix(enrollment_a)
    template = CertificateTemplateFactory()
    world.pks |= {
        "certificate_a": certificate.pk,
        "wagtailsnippets_certificates_certificatetemplate": template.pk,
    }
    world.places |= {
        "certificate_code": certificate.code,
        "certificates_cohort": reverse("certificates_admin:cohort", args=[cohort_a.pk]),
        "roster_job": reverse("roster_import:job", args=[roster_job.pk]),
    }
    world.urls = {key: concrete_url(key, world) for key in EXPECTED}
    world.files = [document_a.file.name, unlinked.file.name, image.file.name, image.get_rendition("width-30").file.name]
    world.private_files = [certificate.pdf.name]
    return world


def certificate_for_the_matrix(enrollment):
    """Companion A's certificate with a small real PDF (the print view joins it with pypdf)."""
    page = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)
    writer.write(page)
    certificate = CertificateFactory(enrollment=enrollment, render_status="done")
    certificate.pdf.save("matriks.pdf", ContentFile(page.getvalue()))
    return certificate


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end; each test
    runs in a savepoint of it, so the 1000-odd requests cost no page tree each."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
    for name in world.files:
        default_storage.delete(name)
    for name in world.private_files:
        certificate_storage().delete(name)


def outcome(response):
    if response.status_code in (301, 302):
        return (response.status_code, response["Location"])
    return response.status_code


def expected_outcome(expected, *, url: str, world: World):
    if isinstance(expected, tuple):
        status, location = expected
        return (status, location.format(next=quote(url, safe="/"), **world.places))
    return expected


CASES = [(key, persona, method) for key in EXPECTED for persona in PERSONAS for method in METHODS]


@pytest.mark.parametrize(("key", "persona", "method"), CASES, ids=["-".join(case) for case in CASES])
def test_permission(key, persona, method, world, client):
    url = world.urls[key]
    if persona != "anonymous":
        client.force_login(User.objects.get(pk=world.users[persona]))
    response = client.get(url) if method == "GET" else client.post(url, POST_DATA.get(key, {}))
    expected = expected_outcome(EXPECTED[key][persona][method], url=url, world=world)
    assert outcome(response) == expected, f"{method} {url} as {persona}"
