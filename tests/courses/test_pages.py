import pytest

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from assessments.models import QuizPage
from courses.models import LessonPage, ModulePage, ProgramPage
from tests import factories


class PageTreeRulesTests(WagtailPageTestCase):
    def test_program_goes_under_a_plain_page(self):
        self.assertCanCreateAt(Page, ProgramPage)

    def test_module_goes_under_a_program_only(self):
        self.assertCanCreateAt(ProgramPage, ModulePage)
        self.assertCanNotCreateAt(Page, ModulePage)
        self.assertCanNotCreateAt(ModulePage, ModulePage)

    def test_lesson_goes_under_a_module_only(self):
        self.assertCanCreateAt(ModulePage, LessonPage)
        self.assertCanNotCreateAt(ProgramPage, LessonPage)
        self.assertCanNotCreateAt(Page, LessonPage)

    def test_lesson_has_no_children(self):
        self.assertAllowedSubpageTypes(LessonPage, {})

    def test_program_takes_modules_and_quizzes_only(self):
        self.assertAllowedSubpageTypes(ProgramPage, {ModulePage, QuizPage})


def test_every_page_type_has_a_factory():
    page_types = {ProgramPage, ModulePage, LessonPage}
    from django.apps import apps

    curriculum_pages = {
        model
        for model in apps.get_app_config("courses").get_models()
        if issubclass(model, Page) and not model._meta.abstract
    }
    assert curriculum_pages == page_types
    factory_models = {
        value._meta.model
        for value in vars(factories).values()
        if isinstance(value, type) and issubclass(value, factories.PageFactory) and value is not factories.PageFactory
    }
    assert curriculum_pages <= factory_models


@pytest.mark.django_db
def test_page_factories_build_a_published_tree():
    lesson = factories.LessonPageFactory()
    module = lesson.get_parent().specific
    program = module.get_parent().specific
    assert isinstance(module, ModulePage)
    assert isinstance(program, ProgramPage)
    assert lesson.live and lesson.live_revision_id is not None


@pytest.mark.django_db
def test_module_objectives_are_one_per_line():
    module = factories.ModulePageFactory(objectives="Menjelaskan empat pilar.\n\n  Mencatat data CPMI.  \n")
    assert module.objective_list == ["Menjelaskan empat pilar.", "Mencatat data CPMI."]


@pytest.mark.django_db
def test_lesson_body_renders_each_block_type():
    lesson = factories.LessonPageFactory(
        body=[
            {"type": "heading", "value": "Empat pilar"},
            {"type": "paragraph", "value": "<p>Pusat Layanan Migrasi</p>"},
            {"type": "callout", "value": {"kind": "warning", "title": "Awas calo", "text": "Biaya tidak dibebankan."}},
            {"type": "key_points", "value": ["Satu", "Dua"]},
            {"type": "glossary_term", "value": {"term": "PMI", "definition": "Pekerja Migran Indonesia"}},
        ]
    )
    html = "".join(str(block.render()) for block in lesson.body)
    assert "<h2>Empat pilar</h2>" in html
    assert "Pusat Layanan Migrasi" in html
    assert 'class="callout callout-warning"' in html and "Awas calo" in html
    assert "<li>Satu</li><li>Dua</li>" in html
    assert "<dt>PMI</dt><dd>Pekerja Migran Indonesia</dd>" in html


def test_promote_tab_offers_no_search_engine_fields():
    for page_type in (ProgramPage, ModulePage, LessonPage, QuizPage):
        fields = [panel.field_name for panel in page_type.promote_panels]
        assert fields == ["slug"], page_type


@pytest.mark.django_db
def test_lesson_editor_shows_no_search_engine_fields(client):
    from tests.factories import LessonPageFactory, UserFactory

    lesson = LessonPageFactory()
    client.force_login(UserFactory(groups=["Trainer"]))
    html = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert 'name="slug"' in html
    for field in ("seo_title", "search_description", "show_in_menus"):
        assert f'name="{field}"' not in html
