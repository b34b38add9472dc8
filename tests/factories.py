"""One factory per model and page type. Pages are built under the site's root page."""

import datetime

import factory

from django.contrib.auth.models import Group

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from courses.models import Cohort, Enrollment, LessonPage, LessonProgress, ModulePage, ProgramPage
from people.models import Companion, User, Village

TEST_PASSWORD = "rahasia-uji-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:04d}")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"33.07.10.{2001 + n % 999:04d}")
    name = factory.Sequence(lambda n: f"Desa Uji {n}")
    kecamatan = "Watumalang"
    kabupaten = "Wonosobo"
    provinsi = "Jawa Tengah"


class CompanionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Companion

    user = factory.SubFactory(UserFactory, groups=["Companion"], phone=factory.Sequence(lambda n: f"+62812{n:08d}"))
    nik = factory.Sequence(lambda n: f"330710{(n % 28) + 1:02d}0890{n % 10000:04d}")
    gender = Companion.Gender.MALE
    birth_date = datetime.date(1990, 8, 1)
    village = factory.SubFactory(VillageFactory)


def site_root() -> Page:
    return Site.objects.get(is_default_site=True).root_page


class PageFactory(factory.Factory):
    """Adds the page under `parent` and publishes a revision, as an editor would."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page


class ProgramPageFactory(PageFactory):
    class Meta:
        model = ProgramPage

    title = factory.Sequence(lambda n: f"Program {n}")
    parent = factory.LazyFunction(site_root)
    days = 4


class ModulePageFactory(PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Modul {n}")
    parent = factory.SubFactory(ProgramPageFactory)
    code = factory.Sequence(lambda n: f"M{n % 100:02d}")
    day = 1
    jp_hours = 2


class LessonPageFactory(PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Pelajaran {n}")
    parent = factory.SubFactory(ModulePageFactory)
    intro = "Ringkasan pelajaran."
    reading_minutes = 5
    body = factory.LazyFunction(
        lambda: [
            {"type": "heading", "value": "Empat pilar"},
            {"type": "paragraph", "value": "<p>Pusat Layanan Migrasi ada di balai desa.</p>"},
        ]
    )


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramPageFactory)
    name = factory.Sequence(lambda n: f"Angkatan {n}")
    start_date = datetime.date(2017, 10, 30)
    end_date = datetime.date(2017, 11, 2)
    venue = "Jakarta"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    cohort = factory.SubFactory(CohortFactory)
    companion = factory.SubFactory(CompanionFactory)


class LessonProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress

    enrollment = factory.SubFactory(EnrollmentFactory)
    lesson = factory.SubFactory(LessonPageFactory)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"Modul {n} (PDF)")
    file = factory.django.FileField(filename="modul.pdf", data=b"%PDF-1.4\n%%EOF\n")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Gambar {n}")
    file = factory.django.ImageField(filename="gambar.png", width=8, height=8, color="green")
