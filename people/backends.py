from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Lower

from .throttle import (
    LoginAttempt,
    LoginThrottled,
    account_identity,
    client_address,
    login_attempt_begin,
    login_attempt_succeeded,
)
from .validators import normalize_phone

THROTTLED_ATTRIBUTE = "balai_login_throttled"


def find_user(identifier: str):
    """The account a login name points to: a username, or a phone in any usual form."""
    user_model = get_user_model()
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    # Lower(), as the unique constraint on usernames is, so the lookup uses its index.
    user = (
        user_model._default_manager.alias(lower_username=Lower("username"))
        .filter(lower_username=identifier.lower())
        .first()
    )
    if user is None:
        try:
            phone = normalize_phone(identifier)
        except ValidationError:
            return None
        user = user_model._default_manager.filter(phone=phone).first()
    return user


def login_was_throttled(request) -> bool:
    """Whether the last `authenticate()` on this request was refused for too many attempts."""
    return getattr(request, THROTTLED_ATTRIBUTE, False)


class UsernameOrPhoneBackend(ModelBackend):
    """Log in with the username or with the phone in any usual form (0812…, +62 812…, 62812…).

    Every login path calls `authenticate()`, so the throttle lives here: an attempt past a limit
    is refused before its password is checked (see people.throttle). A right password on an
    inactive account is let through to the login form, which then says that the account is
    inactive instead of calling the password wrong; `get_user` still refuses inactive
    accounts, so no session can be made with one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = find_user(username)
        attempt = LoginAttempt(account=account_identity(user=user, typed=username), address=client_address(request))
        try:
            login_attempt_begin(attempt=attempt)
        except LoginThrottled:
            if request is not None:
                setattr(request, THROTTLED_ATTRIBUTE, True)
            raise PermissionDenied from None  # stops authenticate() here and signals a failed login
        if user is None:
            get_user_model()().set_password(password)  # same work as a real check, against timing probes
            return None
        if not user.check_password(password):
            return None
        login_attempt_succeeded(attempt=attempt)
        return user
