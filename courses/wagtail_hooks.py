from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from wagtail import hooks

from .selectors import document_readable


@hooks.register("before_serve_document")
def serve_documents_to_their_readers_only(document, request):
    """A lesson's document is as private as the lesson: staff, or companions enrolled in its program."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not document_readable(user=request.user, document=document):
        raise Http404
    return None
