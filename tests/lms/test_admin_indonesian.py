"""The admin screens trainers and coordinators use read in Indonesian, Wagtail's own words included.

Wagtail's id_ID catalogue leaves most of the admin in English; `locale_wagtail/` supplies the rest
and `make messages` keeps it. These tests crawl the screens with their own data and fail on any
listed English word a ministry's staff would otherwise see.
"""

import html
import io
import json
import re

import pytest
from PIL import Image as PILImage

from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page

from lms import wagtail_catalogue
from tests.factories import (
    TEST_PASSWORD,
    CohortFactory,
    EnrollmentFactory,
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
    site_root,
)

pytestmark = pytest.mark.django_db

# Words and phrases these screens showed in English before the supplement. Matched as whole
# words and case-sensitively, so Indonesian text ("Status", "Format", "Program") does not trip them.
ENGLISH = [
    "Reports",
    "Help",
    "Password",
    "Forgotten password?",
    "Remember me",
    "Search all pages",
    "Exploring",
    "matching pages",
    "None",
    "Create",
    "New:",
    "Go to the first error",
    "Phone",
    "Dashboard",
    "Pages",
    "Images",
    "Documents",
    "Settings",
    "Save draft",
    "Publish",
    "Preview",
    "Edit",
    "Delete",
    "Add child page",
    "Search",
    "Filter",
    "Export",
    "Sort by",
    "Sign in",
    "Log out",
    "Account",
    "History",
    "Actions",
    "More actions",
    "Add",
    "Upload",
    "Choose",
    "Title",
    "Tags",
    "Collection",
    "Cancel",
    "Back",
    "Yes",
    "Username",
    "Unpublish",
    "Live",
    "Draft",
    "Comments",
    "Content",
    "Promote",
    "Updated",
    "Type",
    "Sort",
    "Apply filters",
    "Show filters",
    "Download",
    "items",
    "Select",
    "Clear",
    "Name",
    "Language",
    "Time zone",
    "Profile",
    "Notifications",
    "Site history",
    "Locked pages",
    "Aging pages",
    "Workflows",
    "Editor Guide",
    "Shortcuts",
    "What's new",
    "Toggle",
    "Main menu",
    "Sidebar",
    "Skip to main content",
    "Privacy",
    "Compare",
    "Current draft",
    "Usage",
    "Used",
    "Home",
    "Owner",
    "Date",
    "User",
    "Users",
    "Save",
    "Close",
    "Next",
    "Previous",
    "of",
    "results",
    "selected",
    "Reset",
    "Layout",
    "Focal point",
    "File",
    "Parent",
    "Visibility",
    "Locked",
    "Locale",
    "Page",
    "Private",
    "Public",
    "just now",
    "ago",
    "by",
    "Checks",
    "Issues found",
    "Keyboard shortcuts",
    "Theme",
    "Dark",
    "Light",
    "Go back",
    "Sign out",
]


def visible_text(content: bytes) -> str:
    """The words a person reads: text outside scripts and hidden elements, tooltips, placeholders
    and the sidebar's menu labels (rendered by script from JSON)."""
    page = content.decode()
    menu = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', page, re.S)
    labels = re.findall(r'"label": "((?:[^"\\]|\\.)*)"', menu.group(1)) if menu else []
    labels = [json.loads(f'"{label}"') for label in labels]
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<(\w+)\b[^>]*\shidden\b[^>]*>[^<]*</\1>", " ", page)
    attributes = re.findall(r'\s(?:title|placeholder|data-w-tooltip-content-value)="([^"]*)"', page)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(" ".join([page, *attributes, *labels])))


def english_in(text: str) -> list[str]:
    return [p for p in ENGLISH if re.search(r"(?<![\w/-])" + re.escape(p) + r"(?![\w-])", text)]


def assert_indonesian(client, url, method="get", data=None, contains=()):
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, url
    content = response.content
    if response.headers["Content-Type"].startswith("application/json"):
        content = json.loads(content)["html"].encode()
    text = visible_text(content)
    assert english_in(text) == [], url
    for phrase in contains:
        assert phrase in text, (url, phrase)
    return text


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def course(program):
    # Wagtail's migrations name the home page "Welcome to your new Wagtail site!": data, not the admin's words.
    Page.objects.filter(pk=site_root().pk).update(title="Beranda Balai")
    module = ModulePageFactory(parent=program)
    return program, module, LessonPageFactory(parent=module)


@pytest.fixture
def trainer():
    return UserFactory(groups=["Trainer"])


def test_login_and_password_reset_read_in_indonesian(client):
    assert_indonesian(client, "/admin/login/", contains=["Kata sandi", "Lupa kata sandi?", "Ingat saya"])
    assert_indonesian(
        client, "/admin/login/", "post", {"username": "tidak-ada", "password": "salah"}, contains=["Kata sandi"]
    )
    assert_indonesian(client, reverse("wagtailadmin_password_reset"))


def test_coordinator_screens_read_in_indonesian(client, course):
    program, _module, _lesson = course
    enrollment = EnrollmentFactory(cohort=CohortFactory(program=program))
    cohort, companion = enrollment.cohort, enrollment.companion
    client.login(username=UserFactory(groups=["Coordinator"]).username, password=TEST_PASSWORD)

    dashboard = assert_indonesian(client, "/admin/", contains=["Pelatihan", "Bantuan"])
    assert "Cari semua halaman…" in dashboard or "Cari…" in dashboard
    for url in [
        "/admin/cohort/",
        "/admin/cohort/?q=Angkatan",
        "/admin/cohort/new/",
        f"/admin/cohort/edit/{cohort.pk}/",
        f"/admin/cohort/history/{cohort.pk}/",
        "/admin/enrollment/",
        "/admin/enrollment/?q=tidak-ada-yang-cocok",
        "/admin/enrollment/new/",
        f"/admin/enrollment/edit/{enrollment.pk}/",
        "/admin/village/",
        "/admin/village/new/",
        f"/admin/village/edit/{companion.village.pk}/",
        "/admin/account/",
        "/admin/reports/site-history/",
    ]:
        assert_indonesian(client, url)
    assert_indonesian(client, "/admin/companion/", contains=["Nomor HP"])
    assert_indonesian(client, f"/admin/companion/?q={companion.nik}", contains=["Ada 1 yang cocok"])
    assert_indonesian(client, "/admin/companion/new/", contains=["Baru: Pendamping"])
    assert_indonesian(client, f"/admin/companion/edit/{companion.pk}/")


def test_form_errors_read_in_indonesian(client, program):
    client.force_login(UserFactory(groups=["Coordinator"]))
    text = assert_indonesian(client, "/admin/cohort/new/", "post", {"program": program.pk, "name": ""})
    assert "Ke kesalahan pertama" in text


def test_trainer_screens_read_in_indonesian(client, course, trainer):
    program, module, lesson = course
    CohortFactory(program=program).trainers.add(trainer)
    document = Document.objects.create(
        title="Panduan fasilitator", file=ContentFile(b"isi", name="panduan.txt"), uploaded_by_user=trainer
    )
    image = Image.objects.create(
        title="Balai desa", file=ContentFile(png(), name="balai.png"), uploaded_by_user=trainer
    )
    client.force_login(trainer)

    assert_indonesian(client, "/admin/", contains=["Halaman", "Gambar", "Dokumen", "Laporan", "Bantuan"])
    assert_indonesian(client, f"/admin/pages/{program.pk}/", contains=["Menjelajahi"])
    for url in [
        "/admin/pages/",
        f"/admin/pages/{module.pk}/",
        f"/admin/pages/{program.pk}/edit/",
        f"/admin/pages/{module.pk}/edit/",
        f"/admin/pages/{lesson.pk}/edit/",
        f"/admin/pages/add/courses/modulepage/{program.pk}/",
        f"/admin/pages/add/courses/lessonpage/{module.pk}/",
        f"/admin/pages/{lesson.pk}/history/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        f"/admin/images/{image.pk}/",
        "/admin/documents/",
        "/admin/documents/multiple/add/",
        f"/admin/documents/edit/{document.pk}/",
        "/admin/images/chooser/",
        "/admin/documents/chooser/",
        f"/admin/choose-page/{program.pk}/",
        "/admin/cohort/",
        "/admin/enrollment/",
        "/admin/account/",
        "/admin/reports/site-history/",
        "/admin/reports/page-types-usage/",
    ]:
        assert_indonesian(client, url)


def test_page_search_counts_pages_instead_of_none(client, course, trainer):
    client.force_login(trainer)
    text = assert_indonesian(client, "/admin/pages/search/?q=Pelajaran", contains=["Ada 1 halaman yang cocok"])
    assert "1-1 dari 1 halaman" in text


def test_admin_scripts_get_the_indonesian_catalogue(client, trainer):
    client.force_login(trainer)
    script = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for indonesian in ["Menu utama", "Ciutkan semua", "Sisipkan blok", "Perubahan telah disimpan otomatis."]:
        assert json.dumps(indonesian)[1:-1] in script


@pytest.mark.parametrize("domain", wagtail_catalogue.DOMAINS)
def test_every_wagtail_admin_string_has_indonesian(domain):
    untranslated = {app: total - done for app, total, _wagtail, done in wagtail_catalogue.coverage(domain)}
    assert {app: count for app, count in untranslated.items() if count} == {}
