from django.urls import path

from courses import urls as courses_urls  # noqa: F401 - registers the `rowid` converter

from . import views

app_name = "certificates"

urlpatterns = [
    path("v/", views.check, name="check"),
    path("v/<slug:code>/", views.verify, name="verify"),
    path("sertifikat/<rowid:pk>/unduh/", views.download, name="download"),
]
