from django.urls import path, register_converter
from django.urls.converters import get_converters

from courses.converters import RowIdConverter

from . import views

app_name = "assessments"

if "rowid" not in get_converters():  # courses.urls registers it too
    register_converter(RowIdConverter, "rowid")

urlpatterns = [
    path("kuis/<rowid:pk>/", views.quiz_detail, name="quiz"),
    path("kuis/<rowid:pk>/mulai/", views.quiz_start, name="quiz-start"),
    path("kuis/<rowid:pk>/pratinjau/", views.quiz_preview_view, name="quiz-preview"),
    path("percobaan/offline.js", views.offline_worker, name="offline-worker"),
    path("percobaan/<rowid:pk>/", views.attempt_detail, name="attempt"),
    path("percobaan/<rowid:pk>/simpan/", views.attempt_save, name="attempt-save"),
    path("percobaan/<rowid:pk>/kirim/", views.attempt_submit_view, name="attempt-submit"),
    path("percobaan/<rowid:pk>/hasil/", views.attempt_result_view, name="attempt-result"),
]
