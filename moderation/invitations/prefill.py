"""What the form reads from an invitation's signed link: the patient's name and email, so they need not
type them. A tampered or expired link fills in nothing (the form works as without it)."""
from __future__ import annotations

from .models import Invitation
from .tokens import invitation_token_parse


def invitation_prefill(token: str) -> dict[str, str]:
    invitation_id = invitation_token_parse(token)
    if invitation_id is None:
        return {}
    found = Invitation.objects.filter(pk=invitation_id).values("first_name", "last_name", "email").first()
    return found or {}
