"""Render a page once for everyone and fill in each reader's own parts per request.

A lesson page is the same for every reader but for their name and CSRF token, so the whole
page is cached with placeholders ("holes") for those two and filled by string replacement.
Pages with flash messages are rendered normally.
"""

from types import SimpleNamespace

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape

NAME_HOLE = "\x00reader-name\x00"
CSRF_HOLE = "\x00csrf-token\x00"


def render_shared(request, template_name: str, context: dict, *, cache_key: str) -> HttpResponse:
    if len(get_messages(request)):
        return render(request, template_name, context)
    fragments = caches["fragments"]
    html = fragments.get(cache_key)
    if html is None:
        stand_in = SimpleNamespace(is_authenticated=True, get_full_name=NAME_HOLE, pk=None)
        html = render_to_string(template_name, {**context, "user": stand_in, "csrf_token": CSRF_HOLE}, request=request)
        fragments.set(cache_key, html)
    html = html.replace(NAME_HOLE, escape(request.user.get_full_name())).replace(CSRF_HOLE, get_token(request))
    return HttpResponse(html)
