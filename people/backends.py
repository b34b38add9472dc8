from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ValidationError

from .validators import normalize_phone

USER_CACHE_SECONDS = 10 * 60


def user_cache_key(user_id) -> str:
    return f"people:session-user:{user_id}"


def find_user(identifier: str):
    """The account a login name points to: a username, or a phone in any usual form."""
    user_model = get_user_model()
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user = user_model._default_manager.filter(username__iexact=identifier).first()
    if user is None:
        try:
            phone = normalize_phone(identifier)
        except ValidationError:
            return None
        user = user_model._default_manager.filter(phone=phone).first()
    return user


class UsernameOrPhoneBackend(ModelBackend):
    """Log in with the username or with the phone in any usual form (0812…, +62 812…, 62812…).

    A right password on an inactive account is let through to the login form, which then says
    that the account is inactive instead of calling the password wrong; `get_user` still refuses
    inactive accounts, so no session can be made with one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = find_user(username)
        if user is None:
            get_user_model()().set_password(password)  # same work as a real check, against timing probes
            return None
        return user if user.check_password(password) else None

    def get_user(self, user_id):
        """The session's user, from the shared cache when it can: every page view asks for it.

        people.signals drops the entry whenever the user is saved or deleted, so a changed
        password or a deactivated account takes effect at the next request.
        """
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(key, user, timeout=USER_CACHE_SECONDS)
        return user
