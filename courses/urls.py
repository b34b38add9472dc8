from django.urls import path, register_converter

from . import views
from .converters import RowIdConverter

app_name = "courses"

register_converter(RowIdConverter, "id")

urlpatterns = [
    path("pelajaran/<id:pk>/", views.lesson_detail, name="lesson"),
    path("pelajaran/<id:pk>/selesai/", views.lesson_complete, name="lesson-complete"),
]
