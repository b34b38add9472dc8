"""Reads about accounts that span relations."""

from collections.abc import Iterable

from .models import AccessGrant


def latest_access_grants(*, user_ids: Iterable[int]) -> dict[int, AccessGrant]:
    """Each account's newest login link or code, whatever its state; accounts with none are absent."""
    latest: dict[int, AccessGrant] = {}
    for grant in AccessGrant.objects.filter(user_id__in=list(user_ids)).order_by("user_id", "-created_at", "-pk"):
        latest.setdefault(grant.user_id, grant)
    return latest
