"""Signed withdrawal tokens: they never expire (a patient may revoke at any time) and cannot be forged."""
from __future__ import annotations

from datetime import datetime

from django.core import signing

_SALT = "testimonial-withdraw"


def withdrawal_token(*, testimonial_id: int) -> str:
    return signing.dumps(testimonial_id, salt=_SALT, compress=False)


def withdrawal_token_parse(token: str) -> int | None:
    """The testimonial id in a valid token, or None for a tampered or malformed one."""
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


_RENEW_SALT = "testimonial-renew"


def renewal_token(*, testimonial_id: int, expires_at: datetime) -> str:
    """A link to renew the authorization that expires at `expires_at` (used once: a renewal changes it)."""
    return signing.dumps([testimonial_id, int(expires_at.timestamp())], salt=_RENEW_SALT, compress=False)


def renewal_token_parse(token: str) -> tuple[int, int] | None:
    """(testimonial id, expiry timestamp) of a valid renewal token, or None."""
    try:
        value = signing.loads(token, salt=_RENEW_SALT)
    except signing.BadSignature:
        return None
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return value[0], value[1]
    return None
