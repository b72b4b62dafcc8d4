"""The opt-out list: an address that opted out is never invited again (kept as a keyed hash)."""
from __future__ import annotations

from reviews.services import keyed_hash

from .models import Invitation, InvitationOptOut


def email_hash(email: str) -> str:
    return keyed_hash(email.strip().lower(), purpose="invitation-opt-out")


def invitation_opt_out(*, invitation: Invitation) -> bool:
    """Put the invitation's address on the opt-out list and skip whatever is still waiting for it;
    False if it was there already."""
    _, created = InvitationOptOut.objects.get_or_create(email_hash=email_hash(invitation.email))
    Invitation.objects.filter(email=invitation.email, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.OPTED_OUT)
    return created


def is_opted_out(email: str) -> bool:
    return InvitationOptOut.objects.filter(email_hash=email_hash(email)).exists()
