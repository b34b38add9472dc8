from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .models import AccessGrant
from .viewsets import UserSetActiveStateBulkAction, companion_chooser_viewset

# After Wagtail's own (order 0), so it replaces the action that wrote with QuerySet.update().
hooks.register("register_bulk_action", UserSetActiveStateBulkAction, order=1)


@hooks.register("register_admin_viewset")
def register_companion_chooser():
    return companion_chooser_viewset


@hooks.register("register_log_actions")
def register_access_log_actions(actions):
    @actions.register_action("people.access_issue")
    class AccessIssued(LogFormatter):
        label = _("Give login access")

        def format_message(self, log_entry):
            if log_entry.data.get("kind") == AccessGrant.Kind.CODE:
                return _("Login code made")
            return _("Login link made")

    actions.register_action("people.access_reset", _("Reset access"), _("Access reset: the password no longer works"))
    actions.register_action("people.access_use", _("Log in by link or code"), _("Logged in with a login link or code"))
