"""Pause logins after repeated failures, for every login path.

`UsernameOrPhoneBackend.authenticate` calls `login_attempt_begin` before it checks a password,
so `/masuk/`, Wagtail's `/admin/login/` and any future view that calls `authenticate()` share
one count. Each attempt takes a place in three counters at once, in one transaction:

- the account from this address: `LOGIN_FAILURE_LIMIT` (5), the limit a guesser meets;
- the account from any address: `LOGIN_FAILURE_ACCOUNT_LIMIT` (20), so a stranger elsewhere
  needs four times as many tries to pause the owner's own login;
- the address for any account: `LOGIN_FAILURE_ADDRESS_LIMIT` (100), high because a whole
  training room shares one address.

An attempt that would pass a limit is refused before its password is checked, and its places
are given back, so no more than the limit are ever judged. A right password gives its places
back too, and clears the account-and-address count.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from .models import LoginCounter
from .validators import normalize_phone


class LoginThrottled(Exception):
    """Too many attempts: the password was not checked."""


@dataclass(frozen=True)
class LoginAttempt:
    account: str
    address: str

    @property
    def keys(self) -> list[tuple[str, int]]:
        """The counters and their limits, always in this order, so concurrent attempts lock alike."""
        return [
            (f"account-address:{self.account}:{self.address}", settings.LOGIN_FAILURE_LIMIT),
            (f"account:{self.account}", settings.LOGIN_FAILURE_ACCOUNT_LIMIT),
            (f"address:{self.address}", settings.LOGIN_FAILURE_ADDRESS_LIMIT),
        ]


def client_address(request) -> str:
    """The client's address: from the proxy's header when settings name one, else the socket's."""
    if request is None:
        return ""
    if settings.CLIENT_ADDRESS_HEADER:
        forwarded = request.META.get(settings.CLIENT_ADDRESS_HEADER, "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def account_identity(*, user, typed: str) -> str:
    """One name per account, whether its username or its phone was typed; for no account, the text."""
    if user is not None:
        return f"user-{user.pk}"
    try:
        return normalize_phone(typed)
    except ValidationError:
        return (typed or "").strip().lower()[:100]


def _increment(*, key: str, now: datetime.datetime) -> int:
    """Count one attempt in the key's window, starting a new window when the old one has closed.

    One conditional UPDATE: PostgreSQL re-evaluates its CASE on the row it finally locks, so a
    burst of attempts queued behind a window's reset counts on from that reset, not from 1 each.
    """
    window_ends = now + datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    counters = LoginCounter.objects.filter(key=key)
    still_open = Q(window_ends__gt=now)
    counted = counters.update(
        count=Case(When(still_open, then=F("count") + 1), default=Value(1)),
        window_ends=Case(When(still_open, then=F("window_ends")), default=Value(window_ends)),
    )
    if not counted:
        try:
            with transaction.atomic():
                LoginCounter.objects.create(key=key, count=1, window_ends=window_ends)
        except IntegrityError:  # another attempt created it first
            counters.update(count=F("count") + 1)
    return counters.values_list("count", flat=True).get()


def login_attempt_begin(*, attempt: LoginAttempt) -> None:
    """Take a place in every counter, or raise LoginThrottled and leave the counts as they were."""
    now = timezone.now()
    with transaction.atomic():
        counts = [(_increment(key=key, now=now), limit) for key, limit in attempt.keys]
        if any(count > limit for count, limit in counts):
            raise LoginThrottled  # leaving the block rolls the increments back


def login_attempt_succeeded(*, attempt: LoginAttempt) -> None:
    """The password was right: give back this attempt's places and forget this address's failures."""
    (pair_key, _limit), *others = attempt.keys
    with transaction.atomic():
        LoginCounter.objects.filter(key=pair_key).delete()
        LoginCounter.objects.filter(key__in=[key for key, _limit in others], count__gt=0).update(count=F("count") - 1)
    # Apart from the transaction above, which holds the shared address row.
    login_counters_prune(now=timezone.now())


def login_counters_prune(*, now: datetime.datetime | None = None, batch: int = 500) -> int:
    """Delete counters whose window has closed, skipping any row an attempt holds right now.

    With SKIP LOCKED this never waits for a row, so it cannot deadlock with a login; SQLite,
    without row locks, runs one writer at a time anyway.
    """
    with transaction.atomic():
        closed = LoginCounter.objects.filter(window_ends__lte=now or timezone.now())
        ids = list(closed.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch])
        deleted, _detail = LoginCounter.objects.filter(pk__in=ids).delete()
    return deleted


def counter_take(*, key: str, limit: int) -> None:
    """Take a place in one counter of the same windows, or raise LoginThrottled and leave it as it was.

    For other guesses worth pausing, such as a session's six-digit check-in code.
    """
    with transaction.atomic():
        if _increment(key=key, now=timezone.now()) > limit:
            raise LoginThrottled


def counter_give_back(*, key: str) -> None:
    """The guess was right: its place is free again."""
    LoginCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)
