"""The coordinator's admin screen for quiz windows: when each cohort may take each quiz. Saves call services."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.viewsets.model import ModelViewSet

from people.admin_views import ServiceCreateView, ServiceEditView
from people.exports import SafeExportIndexView

from .models import QuizWindow
from .services import quiz_window_create, quiz_window_update


class QuizWindowCreateView(ServiceCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return quiz_window_create(
            by=self.request.user,
            quiz=data["quiz"],
            cohort=data["cohort"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
        )


class QuizWindowEditView(ServiceEditView):
    def save_instance(self):
        return quiz_window_update(window=self.stored_object(), by=self.request.user, **self.changes())


class QuizWindowViewSet(ModelViewSet):
    model = QuizWindow
    icon = "time"
    menu_label = _("Quiz windows")
    add_to_admin_menu = False
    index_view_class = SafeExportIndexView
    add_view_class = QuizWindowCreateView
    edit_view_class = QuizWindowEditView
    form_fields = ["quiz", "cohort", "opens_at", "closes_at"]
    list_display = ["quiz", "cohort", "opens_at", "closes_at"]
    list_filter = ["cohort", "quiz"]
    list_export = ["quiz", "cohort", "opens_at", "closes_at"]
    search_fields = ["quiz__title", "cohort__name"]
    export_filename = "jendela-kuis"
