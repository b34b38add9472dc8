"""Uploaded files, served by Balai itself so that one command runs the whole site.

Only image renditions (`media/images/`, what lesson pages show) are public. Originals are for
staff, and documents (`media/documents/`) are never served by their path: they go through
Wagtail's document view, which asks `courses.wagtail_hooks` who may read them. A front web
server may take over `media/images/` (see the README) but must not serve the rest of `media/`.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve

from courses.models import reads_every_program

DAY = 60 * 60 * 24


def serve_from(folder: str, request, path: str):
    try:
        return serve(request, path, document_root=Path(settings.MEDIA_ROOT) / folder)
    except SuspiciousFileOperation:  # a path that climbs out of the folder
        raise Http404 from None


@require_safe
@cache_control(public=True, max_age=DAY)
def image_rendition(request, path):
    return serve_from("images", request, path)


@require_safe
@cache_control(private=True, max_age=DAY)
def original_image(request, path):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not reads_every_program(request.user):
        raise Http404
    return serve_from("original_images", request, path)
