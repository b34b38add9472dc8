from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ValidationError

from .validators import normalize_phone


class UsernameOrPhoneBackend(ModelBackend):
    """Log in with the username or with the phone in any usual form (0812…, +62 812…, 62812…)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user_model = get_user_model()
        user = user_model._default_manager.filter(username__iexact=username.strip()).first()
        if user is None:
            try:
                phone = normalize_phone(username)
            except ValidationError:
                phone = None
            if phone:
                user = user_model._default_manager.filter(phone=phone).first()
        if user is None:
            user_model().set_password(password)  # same work as a real check, against timing probes
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

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


USER_CACHE_SECONDS = 10 * 60


def user_cache_key(user_id) -> str:
    return f"people:session-user:{user_id}"
