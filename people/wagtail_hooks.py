from wagtail import hooks

from .viewsets import UserSetActiveStateBulkAction

# After Wagtail's own (order 0), so it replaces the action that wrote with QuerySet.update().
hooks.register("register_bulk_action", UserSetActiveStateBulkAction, order=1)
