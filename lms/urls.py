from django.contrib.auth import views as auth_views
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from people.forms import LoginForm

from . import media, views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("belajar/", include("courses.urls")),
    path("panitia/", include("courses.staff_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("media/images/<path:path>", media.image_rendition, name="media-image"),
    path("media/original_images/<path:path>", media.original_image, name="media-original-image"),
]

urlpatterns.append(path("", include(wagtail_urls)))
