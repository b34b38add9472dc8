from django.shortcuts import render

from certificates.forms import CheckForm
from certificates.selectors import certificates_of_user
from courses.selectors import (
    ended_enrollments,
    enrollments_for_home,
    program_outline,
    staff_cohorts,
    user_is_staff_reader,
)


def home(request):
    """Visitors see the landing page, companions "Pelatihan saya", staff their cohorts."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "lms/landing.html", {"check_form": CheckForm()})
    enrollments = enrollments_for_home(user=user)
    if enrollments:
        outlines = [
            program_outline(user=user, program=enrollment.cohort.program, enrollment=enrollment)
            for enrollment in enrollments
        ]
        return render(
            request, "lms/my_training.html", {"outlines": outlines, "certificates": certificates_of_user(user)}
        )
    if user_is_staff_reader(user):
        cohorts = staff_cohorts(user=user).order_by("-start_date")[:20]  # a trainer's own cohorts
        return render(request, "lms/staff_home.html", {"cohorts": cohorts})
    return render(
        request,
        "lms/my_training.html",
        {"outlines": [], "ended": ended_enrollments(user=user), "certificates": certificates_of_user(user)},
    )
