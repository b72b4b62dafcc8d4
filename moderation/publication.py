"""What follows a change the public may see: the feed cache is bumped and the marketing site told."""
from __future__ import annotations

from django.conf import settings

from reviews.feed_cache import feed_cache_bump
from reviews.models import Testimonial

from .queue import cdn_purge_enqueue, publication_notice_enqueue, webhook_enqueue
from .webhooks import webhook_not_queued

S = Testimonial.Status


def publication_event(*, current: str, to: str) -> str | None:
    """The webhook event a move means for the public, or None when the public cannot see it."""
    if to == S.APPROVED:
        return "testimonial.published"
    if current == S.APPROVED:
        return "testimonial.unpublished"
    return None


def publication_changed(*, testimonial_id: int, event: str | None = None) -> None:
    """After a change the public may see: purge the feed's cache (and the CDN's) and, for `event`, notify the site."""
    feed_cache_bump()
    if event == "testimonial.published":
        publication_notice_enqueue(testimonial_id=testimonial_id)  # the task sends it once, ever
    if settings.CDN_PURGE_URL:
        cdn_purge_enqueue(testimonial_id=testimonial_id)
    if event and settings.MARKETING_WEBHOOK_URL and not webhook_enqueue(testimonial_id=testimonial_id, event=event):
        webhook_not_queued(testimonial_id=testimonial_id, event=event)


def catalogue_changed(sender=None, **kwargs) -> None:
    """A clinic, therapist or tag was added, edited or removed: their names and slugs are in every
    public page, so after the commit the feed's cache is bumped and the CDN purged, as for a publication."""
    from django.db import transaction

    def after() -> None:
        feed_cache_bump()
        if settings.CDN_PURGE_URL:
            cdn_purge_enqueue(testimonial_id=None)

    transaction.on_commit(after)
