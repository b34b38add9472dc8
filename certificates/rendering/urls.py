"""The render worker serves no page: its URLconf is empty, so Django's checks load no view."""

urlpatterns = []
