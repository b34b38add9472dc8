from django.urls import path, register_converter

from . import views
from .converters import RowIdConverter

app_name = "courses"

register_converter(RowIdConverter, "rowid")

urlpatterns = [
    path("pelajaran/<rowid:pk>/", views.lesson_detail, name="lesson"),
    path("pelajaran/<rowid:pk>/selesai/", views.lesson_complete, name="lesson-complete"),
    path("hadir/", views.checkin, name="checkin"),
]
