"""A panel on the admin's home: the latest cohorts, each a link to its dashboard."""

from wagtail.admin.ui.components import Component

from .access import cohorts_for, reads_cohorts

LATEST = 5


class RecentCohortsPanel(Component):
    name = "recent_cohorts"
    template_name = "lms/dashboard/home_panel.html"
    order = 50

    def __init__(self, *, user):
        self.user = user

    def render_html(self, parent_context=None):
        if not reads_cohorts(self.user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        return {
            "cohorts": list(cohorts_for(self.user).select_related("program").order_by("-start_date", "name")[:LATEST])
        }
