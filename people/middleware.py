from django.shortcuts import redirect
from django.urls import reverse

from .views import MUST_SET_PASSWORD


class PasswordRequiredMiddleware:
    """Whoever came in by a login link or code chooses a password before anything else.

    Logging out and switching the language stay open, so the page can be read and left.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.session.get(MUST_SET_PASSWORD):
            target = reverse("people:set-password")
            if request.path not in (target, reverse("logout"), reverse("set_language")):
                return redirect(target)
        return self.get_response(request)
