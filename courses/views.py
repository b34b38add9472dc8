from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Enrollment, LessonPage
from .selectors import lesson_for_reader, user_is_staff_reader
from .services import lesson_mark_done


def lesson_body_html(lesson: LessonPage) -> str:
    """The rendered StreamField, cached per published revision: the costly, shared part of the page."""
    key = f"lesson-body:{lesson.pk}:{lesson.live_revision_id or 0}:{get_language()}"
    fragments = caches["fragments"]
    html = fragments.get(key)
    if html is None:
        html = render_to_string("courses/includes/lesson_body.html", {"page": lesson})
        fragments.set(key, html)
    return html


@login_required
def lesson_detail(request, pk):
    lesson = lesson_for_reader(user=request.user, lesson_id=pk)
    if lesson is None or (lesson.enrollment_id is None and not user_is_staff_reader(request.user)):
        raise Http404
    return render(request, "courses/lesson_page.html", {"page": lesson, "body_html": lesson_body_html(lesson)})


@require_POST
@login_required
def lesson_complete(request, pk):
    lesson = lesson_for_reader(user=request.user, lesson_id=pk)
    if lesson is None or lesson.enrollment_id is None:
        raise Http404
    enrollment = get_object_or_404(Enrollment.objects.select_related("cohort__program"), pk=lesson.enrollment_id)
    try:
        lesson_mark_done(enrollment=enrollment, lesson=lesson)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("courses:lesson", pk=pk)
    messages.success(request, _("Lesson marked as done."))
    if lesson.next_id:
        return redirect("courses:lesson", pk=lesson.next_id)
    return redirect("home")
