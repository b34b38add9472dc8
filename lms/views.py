from django.shortcuts import render

from courses.models import Cohort, Enrollment
from courses.selectors import enrollments_for_home, program_outline, user_is_staff_reader


def ended_enrollments(*, user) -> list[Enrollment]:
    """The user's withdrawn or replaced places, newest cohort first, so the home page can say why it is empty."""
    return list(
        Enrollment.objects.filter(companion__user=user)
        .exclude(status=Enrollment.Status.ACTIVE)
        .select_related("cohort__program")
        .order_by("-cohort__start_date")
    )


def home(request):
    """Visitors see the landing page, companions "Pelatihan saya", staff their cohorts."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "lms/landing.html")
    enrollments = enrollments_for_home(user=user)
    if enrollments:
        outlines = [
            program_outline(user=user, program=enrollment.cohort.program, enrollment=enrollment)
            for enrollment in enrollments
        ]
        return render(request, "lms/my_training.html", {"outlines": outlines})
    if user_is_staff_reader(user):
        cohorts = Cohort.objects.select_related("program").order_by("-start_date")[:20]
        return render(request, "lms/staff_home.html", {"cohorts": cohorts})
    return render(request, "lms/my_training.html", {"outlines": [], "ended": ended_enrollments(user=user)})
