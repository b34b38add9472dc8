"""Login links and codes: random secrets kept only as a keyed hash, and the words that carry them.

A link carries 32 random bytes; a code, which a companion types from a printed sheet, 8
characters from 25 without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). Both are checked with a fast
HMAC-SHA256 rather than a password hasher such as Argon2: the secrets are random, not chosen by
a person, so there is no dictionary to slow down, and a whole cohort's codes are hashed in one
request. The key (SECRET_KEY) keeps a leaked table from being searched offline, where a code's
37 bits alone would not be enough; online, the login throttle limits guesses and a grant
expires after ACCESS_GRANT_DAYS.
"""

import datetime
import secrets
import string
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

CODE_ALPHABET = "".join(ch for ch in string.digits + string.ascii_uppercase if ch not in "01OILSZ25B8")
CODE_LENGTH = 8
HASH_SALT = "balai.people.access"


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_display(code: str) -> str:
    """ABCD-EFGH: two halves are easier to copy from paper."""
    return f"{code[:4]}-{code[4:]}"


def code_typed(text: str) -> str:
    """The code as typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def link_hash(token: str, *, secret: str | None = None) -> str:
    return salted_hmac(HASH_SALT, f"link:{token}", secret=secret, algorithm="sha256").hexdigest()


def code_hash(user_id: int, code: str, *, secret: str | None = None) -> str:
    """A code is only unique together with its account, so the account is part of what is hashed."""
    return salted_hmac(HASH_SALT, f"code:{user_id}:{code}", secret=secret, algorithm="sha256").hexdigest()


def secrets_in_use() -> list[str]:
    """SECRET_KEY and its fallbacks: grants issued before a key rotation still work until they expire."""
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def wa_me_url(*, phone: str, text: str) -> str:
    """A WhatsApp click-to-chat address: the number in international form without the plus."""
    return f"https://wa.me/{phone.lstrip('+')}?text={quote(text)}"


def expiry_display(expires_at: datetime.datetime) -> str:
    """ "9 November 2017, 14.30 WIB": in the active language, in Jakarta time."""
    return date_format(timezone.localtime(expires_at), "j F Y, H.i") + " WIB"


def handover_message(*, user, url: str, expires_at: datetime.datetime) -> str:
    """The WhatsApp message that carries a login link: in Bahasa Indonesia, whatever the admin's language."""
    with translation.override("id"):
        facts = {"name": user.get_short_name(), "url": url, "expires": expiry_display(expires_at)}
        return _(
            "Hello %(name)s, this is your link to log in to Balai, the training site for Desmigratif "
            "companions: %(url)s\n\nIt works once, until %(expires)s. After opening it, choose your own "
            "password. Your username: %(username)s"
        ) % {**facts, "username": user.username}
