from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .models import Enrollment
from .selectors import document_readable
from .services import REPLACED_ACTION, SUCCESSOR_ACTION


@hooks.register("before_serve_document")
def serve_documents_to_their_readers_only(document, request):
    """A lesson's document is as private as the lesson: staff, or companions enrolled in its program."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not document_readable(user=request.user, document=document):
        raise Http404
    return None


class EnrollmentReplacementFormatter(LogFormatter):
    """ "Replaced by Agus Wibowo. Reason: …" on the one side, "Replaces Budi Santoso. …" on the other."""

    other_key = ""
    template = ""

    def format_message(self, log_entry):
        other = Enrollment.objects.select_related("companion__user").filter(pk=log_entry.data.get(self.other_key))
        name = str(other[0].companion) if other else "?"
        return self.template % {"name": name, "reason": log_entry.data.get("reason", "")}


@hooks.register("register_log_actions")
def register_enrollment_log_actions(actions):
    @actions.register_action(REPLACED_ACTION)
    class EnrollmentReplaced(EnrollmentReplacementFormatter):
        label = _("Companion replaced")
        other_key = "replaced_by"
        template = _("Replaced by %(name)s. Reason: %(reason)s")

    @actions.register_action(SUCCESSOR_ACTION)
    class EnrollmentSuccessor(EnrollmentReplacementFormatter):
        label = _("Enrolled as a replacement")
        other_key = "replaces"
        template = _("Replaces %(name)s. Reason: %(reason)s")
