from django.urls import path

from . import staff_views
from . import urls as _companion_urls  # noqa: F401  registers the rowid converter these routes use

app_name = "staff"

urlpatterns = [
    path("angkatan/<rowid:pk>/", staff_views.sessions, name="sessions"),
    path("sesi/<rowid:pk>/", staff_views.attendance, name="attendance"),
    path("sesi/<rowid:pk>/tandai/", staff_views.attendance_mark_view, name="attendance-mark"),
    path("sesi/<rowid:pk>/semua-hadir/", staff_views.attendance_all_present, name="attendance-all"),
    path("sesi/<rowid:pk>/kode/", staff_views.checkin_code, name="checkin-code"),
]
