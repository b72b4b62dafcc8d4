"""The public feed's cache version: every change of what the public may see bumps it, so cached
pages of the old version are never served again."""
from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

FEED_VERSION_KEY = "feed:version"


def feed_cache_version() -> int:
    """The current version (0 when the cache is down: serve uncached)."""
    try:
        return cache.get_or_set(FEED_VERSION_KEY, 1, timeout=None) or 1
    except Exception:
        logger.warning("cache unavailable; feed served uncached")
        return 0


def feed_cache_bump() -> None:
    """Invalidate every cached feed response (called after any change of publication)."""
    try:
        try:
            cache.incr(FEED_VERSION_KEY)
        except ValueError:  # no version stored yet
            cache.set(FEED_VERSION_KEY, 2, timeout=None)
    except Exception:
        logger.warning("cache unavailable; could not bump the feed version")
