from django.utils.translation import gettext_lazy as _

from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    """Templates are edited in the Training menu, beside the certificates they print."""

    model = CertificateTemplate
    icon = "doc-full-inverse"
    menu_label = _("Certificate templates")
    add_to_admin_menu = False
    list_display = ["title", "heading", "signatory_position"]

    def register_chooser_viewset(self):
        """No chooser modal: a cohort's rule picks its template from a plain list."""
