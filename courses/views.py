from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import CheckInForm
from .models import Enrollment, LessonPage
from .rendering import render_shared
from .selectors import LessonReading, active_enrollments, lesson_reading, reader_enrollment, user_is_staff_reader
from .services import attendance_check_in, lesson_mark_done


def lesson_for_request(request, pk: int) -> tuple[LessonReading, int | None, bool]:
    """The lesson, the reader's enrollment in its program (or None) and whether they finished it."""
    reading = lesson_reading(lesson_id=pk)
    if reading is None:
        raise Http404
    enrollment_id, done = reader_enrollment(user_id=request.user.pk, program_id=reading.program_id, lesson_id=pk)
    return reading, enrollment_id, done


@login_required
def lesson_detail(request, pk):
    """The hot path of the site: a cached, shared rendering plus one query for the reader's part."""
    reading, enrollment_id, done = lesson_for_request(request, pk)
    if enrollment_id is None and not user_is_staff_reader(request.user):
        raise Http404
    state = "done" if done else ("open" if enrollment_id else "staff")
    return render_shared(
        request,
        "courses/lesson_reader.html",
        {"reading": reading, "enrollment_id": enrollment_id, "done": done},
        cache_key=f"lesson-page:{reading.cache_key}:{state}",
    )


@require_POST
@login_required
def lesson_complete(request, pk):
    reading, enrollment_id, _done = lesson_for_request(request, pk)
    if enrollment_id is None:
        raise Http404
    enrollment = get_object_or_404(Enrollment.objects.select_related("cohort__program"), pk=enrollment_id)
    try:
        lesson_mark_done(enrollment=enrollment, lesson=get_object_or_404(LessonPage, pk=pk))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("courses:lesson", pk=pk)
    messages.success(request, _("Lesson marked as done."))
    if reading.next_id:
        return redirect("courses:lesson", pk=reading.next_id)
    return redirect("home")


@login_required
def checkin(request):
    """Self check-in with the code on the projector; the QR opens this page with the code filled in."""
    if not active_enrollments(user=request.user).exists():
        raise Http404
    if request.method != "POST":
        form = CheckInForm(initial={"code": request.GET.get("kode", "")[:6]})
        return render(request, "courses/checkin.html", {"form": form})
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            checked = attendance_check_in(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            session = checked.attendance.session
            facts = {
                "session": session.title,
                "time": formats.time_format(timezone.localtime(checked.attendance.marked_at), "H.i"),
            }
            if checked.created:
                message = _("Checked in: %(session)s, at %(time)s WIB. Thank you.") % facts
                messages.success(request, message)
            else:
                messages.info(request, _("Already recorded: %(session)s.") % facts)
            return redirect("courses:checkin")
    return render(request, "courses/checkin.html", {"form": form})
