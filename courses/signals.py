"""Signals only clean up: a change to the page tree retires the readers' cached pages."""

from django.db.models.signals import post_delete

from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .cache import curriculum_changed


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(curriculum_changed, dispatch_uid=f"courses-curriculum-{id(signal)}")
    post_delete.connect(curriculum_changed, sender=Page, dispatch_uid="courses-curriculum-delete")
