"""Public verification of certificates, and downloads of the PDF for their holder and coordinators."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .forms import CheckForm
from .models import Certificate
from .selectors import certificate_by_number_and_name
from .throttle import lookup_allowed

MANAGE = "certificates.change_certificate"


def too_many(request):
    return render(request, "certificates/too_many.html", status=429)


def answer(request, certificate: Certificate | None, *, form=None):
    """The verdict: valid, revoked (with the date) or not found; the NIK is never part of it."""
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "form": form or CheckForm()},
        status=200 if certificate else 404,
    )


@never_cache
@require_safe
def verify(request, code):
    """What the QR code on the paper opens: no login, a short address."""
    if not lookup_allowed(request=request, kind="verify"):
        return too_many(request)
    return answer(request, Certificate.objects.filter(code=code).first())


@never_cache
@require_safe
def check(request):
    """The landing page's "Check a certificate": by number and the holder's name."""
    form = CheckForm(request.GET or None)
    if not form.is_valid():
        return render(request, "certificates/check.html", {"form": form})
    if not lookup_allowed(request=request, kind="check"):
        return too_many(request)
    certificate = certificate_by_number_and_name(number=form.cleaned_data["number"], name=form.cleaned_data["name"])
    return answer(request, certificate, form=form)


@require_safe
@login_required
def download(request, pk):
    """The PDF: a companion gets only their own valid certificate; coordinators any. Others get 404."""
    certificates = Certificate.objects.exclude(pdf="")
    if not request.user.has_perm(MANAGE):
        certificates = certificates.of_user(request.user).valid()
    certificate = get_object_or_404(certificates, pk=pk)
    try:
        file = certificate.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, as_attachment=True, filename=certificate.file_name, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response
