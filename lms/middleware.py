from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control


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


class PrivacyHeadersMiddleware:
    """A strict Content-Security-Policy on Balai's own pages, and `Cache-Control: private` on per-reader ones.

    Companion and public pages load only Balai's own scripts and styles: no inline code, no
    third-party origin. The Wagtail admin relies on inline scripts and styles, so it gets a
    policy that only forbids plugins, foreign base URLs and framing by other sites.
    A page made for one reader (anyone logged in, or a form with that visitor's CSRF token)
    must not be kept by a shared cache between the phone and Balai.
    """

    SITE_POLICY = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    ADMIN_POLICY = "object-src 'none'; base-uri 'self'; frame-ancestors 'self'"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            admin = request.path.startswith("/admin/")
            response.headers.setdefault("Content-Security-Policy", self.ADMIN_POLICY if admin else self.SITE_POLICY)
        per_reader = request.user.is_authenticated or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        if per_reader and "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
        return response
