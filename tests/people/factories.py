"""Factories for people's own tests: a companion ready to receive access, with a grant made by the service."""

import datetime

from people.models import User
from people.services import IssuedAccess, access_grants_issue
from tests.factories import CompanionFactory


def handed_link(user: User, *, by: User | None = None, now: datetime.datetime | None = None) -> IssuedAccess:
    """A login link for `user` as the service makes it; its token exists only in what is returned."""
    return access_grants_issue(users=[user], kind="link", by=by, now=now)[0]


def handed_code(user: User, *, by: User | None = None, now: datetime.datetime | None = None) -> IssuedAccess:
    return access_grants_issue(users=[user], kind="code", by=by, now=now)[0]


def companion_without_password(**kwargs):
    """As a roster import makes them: an account with no usable password."""
    companion = CompanionFactory(**kwargs)
    companion.user.set_unusable_password()
    companion.user.save(update_fields=["password"])
    return companion
