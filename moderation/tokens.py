"""Signed withdrawal tokens: they never expire (a patient may revoke at any time) and cannot be forged."""
from __future__ import annotations

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
