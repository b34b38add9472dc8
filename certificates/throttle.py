"""Public certificate lookups counted per address, the way people/throttle.py counts logins.

One LoginCounter row per address and kind of lookup (a scan of a QR code, a check by number
and name), updated with one conditional UPDATE, so concurrent requests in any worker process
cannot overrun the limit. A QR scan carries an unguessable code and gets a high limit; a check
by number and name could be used to guess names, and gets a low one.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from people.models import LoginCounter
from people.throttle import client_address

LIMITS = {"verify": "CERTIFICATE_VERIFY_LIMIT", "check": "CERTIFICATE_CHECK_LIMIT"}


def lookup_allowed(*, request, kind: str) -> bool:
    """Count this lookup; False once the address has made more than its limit in the window."""
    limit = getattr(settings, LIMITS[kind])
    key = f"certificate-{kind}:{client_address(request)}"
    now = timezone.now()
    window_ends = now + datetime.timedelta(seconds=settings.CERTIFICATE_LOOKUP_WINDOW_SECONDS)
    counters = LoginCounter.objects.filter(key=key)
    still_open = Q(window_ends__gt=now)
    with transaction.atomic():
        counted = counters.update(
            count=Case(When(still_open, then=F("count") + 1), default=Value(1)),
            window_ends=Case(When(still_open, then=F("window_ends")), default=Value(window_ends)),
        )
        if not counted:
            try:
                with transaction.atomic():
                    LoginCounter.objects.create(key=key, count=1, window_ends=window_ends)
            except IntegrityError:  # another lookup created it first
                counters.update(count=F("count") + 1)
        return counters.values_list("count", flat=True).get() <= limit
