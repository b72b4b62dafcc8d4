"""A fixed-window rate limit on the cache that fails open: Redis is also the broker, and an outage
must never stop a patient from submitting."""
from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


def rate_limit_exceeded(*, scope: str, key: str, limit: int) -> bool:
    """Count one hit for `key` in `scope`; True once more than `limit` hits fell in this window."""
    if not key or limit <= 0:
        return False
    cache_key = f"rl:{scope}:{key}"
    try:
        # add() is atomic: it only creates the counter when absent, so concurrent first hits both count.
        cache.add(cache_key, 0, timeout=WINDOW_SECONDS)
        count = cache.incr(cache_key)
    except ValueError:  # the counter expired between add() and incr()
        return False
    except Exception:
        logger.warning("rate-limit store unavailable; allowing the submission (%s)", scope)
        return False
    return count > limit
