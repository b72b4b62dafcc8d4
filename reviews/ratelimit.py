"""Telling a clinic's shared network from a flood: the patient's address behind trusted proxies, the
clinics' own networks, fixed-window limits and one-use form tokens. Everything on the cache fails open:
Redis is also the broker, and an outage must never stop a patient from submitting."""
from __future__ import annotations

import enum
import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

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


def client_ip(request: HttpRequest) -> str | None:
    """The patient's address: X-Forwarded-For read from the right, past `TRUSTED_PROXY_COUNT` proxies.

    Each trusted proxy appends the address it saw, so with N proxies the client is the Nth entry from the
    right; entries further left were written by the client and are not believed."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            # Fewer entries than proxies: the request skipped a hop (e.g. reached the load balancer
            # directly); the leftmost entry is then the one the first proxy it met appended.
            address = _normalised(forwarded[-min(count, len(forwarded))])
            if address:
                return address
    return _normalised(request.META.get("REMOTE_ADDR", ""))


def _normalised(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def address_is_trusted(ip: str | None) -> bool:
    """True when `ip` is in one of the clinics' networks (`TESTIMONIAL_TRUSTED_NETWORKS`)."""
    if not ip:
        return False
    address = ipaddress.ip_address(ip)
    return any(address in network for network in _networks(tuple(settings.TESTIMONIAL_TRUSTED_NETWORKS)))


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


class TokenUse(enum.Enum):
    FRESH = "fresh"  # first use: go on
    REPEAT = "repeat"  # the same form with the same words again (a double-click, the back button)
    REPLAYED = "replayed"  # the same form token carrying another submission


def form_token_claim(*, token_id: str, submission: str, ttl: int) -> TokenUse:
    """Mark a form token used by `submission` (its key); say whether it was fresh, repeated or replayed."""
    if not token_id:
        return TokenUse.FRESH  # a token from before tokens had ids; its age still limits it
    cache_key = f"form-token:{token_id}"
    try:
        if cache.add(cache_key, submission, timeout=ttl):
            return TokenUse.FRESH
        used_by = cache.get(cache_key)
    except Exception:
        logger.warning("form-token store unavailable; allowing the submission")
        return TokenUse.FRESH
    if used_by is None:  # expired between add() and get()
        return TokenUse.FRESH
    return TokenUse.REPEAT if used_by == submission else TokenUse.REPLAYED
