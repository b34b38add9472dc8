from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = _("People")


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the single full-name field of `people.User`."""

    user_viewset = "people.viewsets.UserViewSet"
