"""The committee's phone screens for one cohort's sessions: attendance lists and the projector's code.

Plain pages on the companion site's small stylesheet rather than Wagtail admin views: the
admin's scripts and sidebar weigh on a cheap phone over a venue's Wi-Fi, while these pages are
a list of buttons that works without JavaScript (each tap is one POST; a small static script
saves the reload when it can). Coordinators mark; a cohort's own trainers see, read-only.
"""

import segno

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .models import AttendanceStatus, Cohort, Enrollment, Session
from .selectors import attendance_access, cohort_sessions, session_attendance_rows
from .services import attendance_mark, attendance_mark_all_present, checkin_window


def session_for(request, pk: int, *, mark: bool = False) -> tuple[Session, str]:
    """The session and the user's access to it; 404 for those without (or without the right to mark)."""
    session = get_object_or_404(Session.objects.select_related("cohort__program", "module"), pk=pk)
    access = attendance_access(user=request.user, cohort=session.cohort)
    if access is None or (mark and access != "mark"):
        raise Http404
    return session, access


@require_safe
@login_required
def sessions(request, pk):
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=pk)
    access = attendance_access(user=request.user, cohort=cohort)
    if access is None:
        raise Http404
    days: dict[int, list[Session]] = {}
    for session in cohort_sessions(cohort=cohort):
        days.setdefault(session.day, []).append(session)
    enrolled = Enrollment.objects.active().filter(cohort=cohort).count()
    return render(
        request,
        "courses/staff/sessions.html",
        {"cohort": cohort, "days": sorted(days.items()), "enrolled": enrolled, "access": access},
    )


@require_safe
@login_required
def attendance(request, pk):
    session, access = session_for(request, pk)
    rows = session_attendance_rows(session=session)
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for row in rows:
        if row.status:
            counts[row.status] += 1
    summary = [(AttendanceStatus(status).label, status, count) for status, count in counts.items()]
    context = {
        "session": session,
        "rows": rows,
        "summary": summary,
        "unmarked": sum(1 for row in rows if not row.status),
        "statuses": AttendanceStatus.choices,
        "can_mark": access == "mark",
    }
    return render(request, "courses/staff/attendance.html", context)


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@require_POST
@login_required
def attendance_mark_view(request, pk):
    """One tap: `mark` is "<enrollment id>:<status>"."""
    session, _access = session_for(request, pk, mark=True)
    enrollment_id, _sep, status = request.POST.get("mark", "").partition(":")
    enrollment = Enrollment.objects.filter(pk=int(enrollment_id) if enrollment_id.isdigit() else None).first()
    try:
        if enrollment is None:
            raise ValidationError(_("This companion is not in this session's cohort."))
        marked = attendance_mark(session=session, enrollment=enrollment, status=status, by=request.user)
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        messages.error(request, " ".join(error.messages))
        return redirect("staff:attendance", pk=session.pk)
    if _wants_json(request):
        return JsonResponse({"status": marked.status, "label": marked.get_status_display()})
    return redirect(reverse("staff:attendance", args=[session.pk]) + f"#e{enrollment.pk}")


@require_POST
@login_required
def attendance_all_present(request, pk):
    session, _access = session_for(request, pk, mark=True)
    count = attendance_mark_all_present(session=session, by=request.user)
    messages.success(request, _("%(count)d companions marked present.") % {"count": count})
    return redirect("staff:attendance", pk=session.pk)


@require_safe
@login_required
def checkin_code(request, pk):
    """The projector's screen: the session's code, large, and a QR that opens the check-in form with it."""
    session, _access = session_for(request, pk)
    url = request.build_absolute_uri(reverse("courses:checkin") + "?" + urlencode({"kode": session.checkin_code}))
    qr = segno.make(url, error="m").svg_inline(scale=8, border=2, omitsize=True, title=_("Check-in QR code"))
    opens, closes = checkin_window(session)
    return render(
        request,
        "courses/staff/checkin_code.html",
        {"session": session, "qr": qr, "checkin_url": url, "opens": opens, "closes": closes},
    )
