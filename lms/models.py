from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardSnapshot(models.Model):
    """The across-cohorts dashboard's sums, stored: counting every cohort takes seconds, reading this one row does not.

    One row per `key` ("all": every cohort). The figures are the sums of
    `lms.dashboard.selectors.dashboard_figures`; the screen and the export read the same row.
    """

    key = models.CharField(_("key"), max_length=20, unique=True)
    figures = models.JSONField(_("figures"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self):
        return self.key
