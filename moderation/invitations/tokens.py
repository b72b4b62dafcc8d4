"""Signed links of an invitation: the prefilled form (expires after INVITATION_LINK_DAYS) and the
opt-out (never expires: a patient may opt out whenever they read the email)."""
from __future__ import annotations

from django.conf import settings
from django.core import signing

_FORM_SALT = "invitation-form"
_OPT_OUT_SALT = "invitation-opt-out"


def invitation_token(*, invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=_FORM_SALT, compress=False)


def invitation_token_parse(token: str) -> int | None:
    """The invitation id of a valid, unexpired form link; None for a tampered, expired or missing one."""
    if not token:
        return None
    try:
        value = signing.loads(token, salt=_FORM_SALT, max_age=settings.INVITATION_LINK_DAYS * 86400)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return value if isinstance(value, int) else None


def opt_out_token(*, invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=_OPT_OUT_SALT, compress=False)


def opt_out_token_parse(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=_OPT_OUT_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
