from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("tautan/<str:token>/", views.access_link, name="access-link"),
    path("kode/", views.access_code, name="access-code"),
    path("sandi/", views.set_password, name="set-password"),
]
