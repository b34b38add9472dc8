from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Bahasa Indonesia first: English only for whoever picks it with the language switcher.

    The browser's Accept-Language is not consulted: many companions' phones are set to English
    while they read Indonesian best. The Wagtail admin gets its own Indonesian catalogue, which
    it ships as id_ID, a locale the plain "id" does not reach.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        if language == "id" and request.path.startswith("/admin/"):
            language = "id-id"
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
