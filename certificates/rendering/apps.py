from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenderingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certificates.rendering"
    label = "certificate_rendering"
    verbose_name = _("Certificate rendering")
