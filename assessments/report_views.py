"""Assessment reports in the Wagtail admin, under Training → Assessment reports.

Trainers read the cohorts they train, coordinators every cohort (assessments.reports). Each
report builds its figures once as Tables: the page renders them and `?export=xlsx` writes the
same Tables, so the file's numbers are the screen's.
"""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from . import charts, stats
from .exports import Table, xlsx_response
from .models import QuizKind
from .reports import cohort_quizzes, evaluation_report, gain_report, quiz_overviews, quiz_report, report_cohorts

VIEW_PERMISSION = "courses.view_cohort"  # both staff roles; which cohorts is reports.report_cohorts
NAMESPACE = "assessment_reports"


def number(value, places: int = 2):
    """A figure as the screen and the file show it: a Decimal with `places` decimals, or None."""
    return stats.rounded(value, places)


def yes_no(flag: bool) -> str:
    return _("Yes") if flag else _("No")


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "assessments/reports/report.html"
    header_icon = "table"
    page_title = gettext_lazy("Assessment reports")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if request.GET.get("export") == "xlsx":
            return xlsx_response(context["tables"], filename=self.export_filename())
        return self.render_to_response(context)

    def export_filename(self) -> str:
        return str(self.page_title)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse(f"{NAMESPACE}:index"), "label": _("Assessment reports")}]


class CohortReportView(ReportView):
    """A report of one cohort the reader may see (404 for any other)."""

    @cached_property
    def cohort(self):
        return get_object_or_404(report_cohorts(user=self.request.user), pk=self.kwargs["cohort_pk"])

    def get_cohort(self):
        return self.cohort

    def get_page_subtitle(self):
        return str(self.get_cohort())

    def export_filename(self) -> str:
        return f"{self.page_title} {self.get_cohort().name}"

    def get_breadcrumbs_items(self):
        cohort = self.get_cohort()
        return super().get_breadcrumbs_items() + [
            {"url": reverse(f"{NAMESPACE}:cohort", args=[cohort.pk]), "label": cohort.name},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = self.get_cohort()
        context["cohort"] = cohort
        context["cohorts"] = report_cohorts(user=self.request.user)
        context["export_url"] = self.request.path + "?export=xlsx"
        context["sections"] = [
            (reverse(f"{NAMESPACE}:cohort", args=[cohort.pk]), _("Quizzes")),
            (reverse(f"{NAMESPACE}:gain", args=[cohort.pk]), _("Pre-test to post-test")),
            (reverse(f"{NAMESPACE}:evaluation", args=[cohort.pk]), _("Evaluation")),
        ]
        return context


class IndexView(ReportView):
    """The cohorts the reader may see; `?cohort=` (the filter's choice) opens one."""

    def get(self, request, *args, **kwargs):
        chosen = request.GET.get("cohort", "")
        if chosen.isdigit() and report_cohorts(user=request.user).filter(pk=chosen).exists():
            return redirect(f"{NAMESPACE}:cohort", int(chosen))
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": _("Assessment reports")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohorts = report_cohorts(user=self.request.user)
        table = Table(
            title=_("Cohorts"),
            columns=[_("Cohort"), _("Program"), _("First day"), _("Last day"), _("Companions")],
        )
        for cohort in cohorts.annotate(companion_count=Count("enrollments")):
            table.add(
                [cohort.name, cohort.program.title, cohort.start_date, cohort.end_date, cohort.companion_count],
                link=reverse(f"{NAMESPACE}:cohort", args=[cohort.pk]),
            )
        context["tables"] = [table]
        context["empty_message"] = _("You train no cohort yet. A coordinator adds you to a cohort's trainers.")
        return context


class CohortView(CohortReportView):
    """Every quiz of the cohort: attempts, mean, median, pass rate."""

    page_title = gettext_lazy("Quiz results")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = Table(
            title=_("Quizzes"),
            columns=[
                _("Quiz"),
                _("Kind"),
                _("Attempts"),
                _("Mean"),
                _("Median"),
                _("Pass mark"),
                _("Passed"),
                _("Pass rate (%)"),
            ],
            note=_("Submitted attempts only; every attempt counts."),
        )
        for overview in quiz_overviews(cohort=self.get_cohort()):
            summary = overview.summary
            table.add(
                [
                    overview.quiz.title,
                    QuizKind(overview.quiz.kind).label,
                    summary.attempts,
                    number(summary.mean),
                    number(summary.median),
                    overview.pass_mark,
                    summary.passed if overview.pass_mark is not None else None,
                    number(summary.pass_rate),
                ],
                link=reverse(f"{NAMESPACE}:quiz", args=[self.get_cohort().pk, overview.quiz.pk]),
            )
        context["tables"] = [table]
        return context


class QuizView(CohortReportView):
    """One quiz: its summary and distribution, and each question's difficulty, discrimination and picks."""

    page_title = gettext_lazy("Quiz report")

    @cached_property
    def quiz(self):
        quizzes = {quiz.pk: quiz for quiz in cohort_quizzes(cohort=self.cohort)}
        if self.kwargs["quiz_pk"] not in quizzes:
            raise Http404
        return quizzes[self.kwargs["quiz_pk"]]

    def get_quiz(self):
        return self.quiz

    def get_page_subtitle(self):
        return f"{self.get_quiz().title} — {self.get_cohort().name}"

    def export_filename(self) -> str:
        return f"{self.get_quiz().title} {self.get_cohort().name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = quiz_report(quiz=self.get_quiz(), cohort=self.get_cohort())
        context["quiz"] = report.quiz
        summary = report.summary
        overview = Table(title=_("Summary"), columns=[_("Figure"), _("Value")])
        for label, value in [
            (_("Attempts"), summary.attempts),
            (_("Mean"), number(summary.mean)),
            (_("Median"), number(summary.median)),
            (_("Pass mark"), report.pass_mark),
            (_("Passed"), summary.passed if report.pass_mark is not None else None),
            (_("Pass rate (%)"), number(summary.pass_rate)),
        ]:
            overview.add([label, value])
        distribution = Table(title=_("Score distribution"), columns=[_("Score"), _("Attempts")])
        for label, count in zip(stats.bin_labels(), summary.distribution, strict=True):
            distribution.add([label, count])
        items = Table(
            title=_("Questions"),
            columns=[
                _("No."),
                _("Question"),
                _("Topic"),
                _("Answered"),
                _("Correct (%)"),
                _("Discrimination"),
            ],
            note=_(
                "Correct (%): the mean score of the question, partial credit included. Discrimination: "
                "the upper–lower 27 % index, the share correct among the best 27 % of attempts minus that "
                "among the weakest 27 % (from −1 to 1; below 0.2 the question separates poorly)."
            ),
        )
        picks = Table(
            title=_("Choices picked"), columns=[_("No."), _("Question"), _("Choice"), _("Right"), _("Picked")]
        )
        for row in report.questions:
            difficulty = row.item.difficulty * 100 if row.item.difficulty is not None else None
            items.add(
                [
                    row.number,
                    row.question.text,
                    row.topic,
                    row.answered,
                    number(difficulty),
                    number(row.item.discrimination),
                ]
            )
            for pick in row.picks:
                picks.add([row.number, row.question.text, pick.label, yes_no(pick.correct), pick.count])
        context["tables"] = [overview, distribution, items, picks]
        context["histogram"] = charts.histogram(summary.distribution, stats.bin_labels())
        return context


class GainView(CohortReportView):
    """Pre-test, post-test and normalised gain per companion, per module topic and per provinsi."""

    page_title = gettext_lazy("Pre-test to post-test")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = gain_report(cohort=self.get_cohort())
        note = _(
            "Gain: the normalised gain (post − pre) / (100 − pre); undefined (—) when the pre-test "
            "score is 100. Topic and province rows compare the companions who took both tests, and "
            "their gain is that of the means."
        )
        group_columns = [_("Companions"), _("Pre-test mean"), _("Post-test mean"), _("Gain")]
        topics = Table(title=_("Per topic"), columns=[_("Topic"), *group_columns], note=note)
        for row in report.topics:
            topics.add([row.group or _("No module"), *self.group_cells(row)])
        provinces = Table(title=_("Per province"), columns=[_("Province"), *group_columns])
        for row in [*report.provinces, stats.GainRow(_("All"), *self.overall_fields(report))]:
            provinces.add([row.group, *self.group_cells(row)])
        companions = Table(
            title=_("Per companion"),
            columns=[_("Name"), _("Username"), _("Village"), _("Province"), _("Pre-test"), _("Post-test"), _("Gain")],
        )
        for row in report.companions:
            companions.add([row.name, row.username, row.village, row.provinsi, row.pre, row.post, number(row.gain)])
        context["tables"] = [topics, provinces, companions]
        with_scores = [row for row in report.topics if row.companions]
        context["topic_bars"] = charts.paired_bars(
            [(row.group.split(" ")[0] or "—", number(row.pre_mean), number(row.post_mean)) for row in with_scores]
        )
        context["province_bars"] = charts.paired_bars(
            [(row.group, number(row.pre_mean), number(row.post_mean)) for row in report.provinces if row.companions],
            label_width=150,
        )
        return context

    @staticmethod
    def overall_fields(report):
        overall = report.overall
        return overall.companions, overall.pre_mean, overall.post_mean, overall.gain

    @staticmethod
    def group_cells(row: stats.GainRow) -> list:
        return [row.companions, number(row.pre_mean), number(row.post_mean), number(row.gain)]


class EvaluationView(CohortReportView):
    """The evaluation's Likert averages per module and its free-text answers."""

    page_title = gettext_lazy("Evaluation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = evaluation_report(cohort=self.get_cohort())
        modules = Table(
            title=_("Per module"),
            columns=[_("Module"), _("Answers"), _("Mean (1–4)"), "1", "2", "3", "4"],
            note=_("%(count)s evaluations submitted. 1 = poor, 4 = very good.") % {"count": report.submitted},
        )
        for row in report.modules:
            modules.add([row.topic or _("Organisation"), row.answers, number(row.mean), *row.counts])
        comments = Table(title=_("Suggestions"), columns=[_("Answer")])
        for comment in report.comments:
            comments.add([comment])
        context["tables"] = [modules, comments]
        return context


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


class AssessmentReportViewSet(ViewSet):
    """The reports' addresses, under /admin/laporan-penilaian/, and their item in the Training menu."""

    name = NAMESPACE
    url_prefix = "laporan-penilaian"
    icon = "table"
    menu_label = gettext_lazy("Assessment reports")
    menu_item_class = ReportMenuItem

    def get_urlpatterns(self):
        return [
            path("", IndexView.as_view(), name="index"),
            path("<int:cohort_pk>/", CohortView.as_view(), name="cohort"),
            path("<int:cohort_pk>/kuis/<int:quiz_pk>/", QuizView.as_view(), name="quiz"),
            path("<int:cohort_pk>/peningkatan/", GainView.as_view(), name="gain"),
            path("<int:cohort_pk>/evaluasi/", EvaluationView.as_view(), name="evaluation"),
        ]
