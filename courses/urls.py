from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("pelajaran/<int:pk>/", views.lesson_detail, name="lesson"),
    path("pelajaran/<int:pk>/selesai/", views.lesson_complete, name="lesson-complete"),
]
