from django.utils import translation


class AdminLanguageMiddleware:
    """Serve the Wagtail admin's own Indonesian catalogue (id_ID) when the site speaks "id"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and translation.get_language() == "id":
            translation.activate("id-id")
            request.LANGUAGE_CODE = "id-id"
        return self.get_response(request)
