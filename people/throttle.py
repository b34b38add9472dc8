"""Pause logins after repeated failures, per account and per network address.

The per-address limit is high on purpose: a whole training room shares one address.
Counts live in the shared cache, so every worker process sees them.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

from .backends import find_user
from .validators import normalize_phone


def client_address(request) -> str:
    """The client's address: from the proxy's header when settings name one, else the socket's."""
    if request is None:
        return ""
    if settings.CLIENT_ADDRESS_HEADER:
        forwarded = request.META.get(settings.CLIENT_ADDRESS_HEADER, "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _account_key(username: str) -> str:
    """One counter per account, whether its username or its phone was typed."""
    user = find_user(username)
    if user is not None:
        return f"login-failures:account:{user.pk}"
    try:
        identity = normalize_phone(username)
    except ValidationError:
        identity = (username or "").strip().lower()
    return f"login-failures:unknown:{identity}"


def _address_key(address: str) -> str:
    return f"login-failures:address:{address}"


def login_blocked(*, username: str, address: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return (
        cache.get(_account_key(username), 0) >= limit
        or cache.get(_address_key(address), 0) >= settings.LOGIN_FAILURE_ADDRESS_LIMIT
    )


def login_failure_record(*, username: str, address: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in (_account_key(username), _address_key(address)):
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, timeout=window)


def login_failures_clear(*, username: str) -> None:
    cache.delete(_account_key(username))
