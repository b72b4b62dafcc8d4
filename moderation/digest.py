"""The moderators' digest: what waits in each recipient's clinics and what was flagged high, with signed
links to each testimonial's admin page. Staff mailboxes are not the admin: an item is its display name,
clinic, rating, flag codes and age, never the text, email or surname. The links expire after
MODERATION_DIGEST_LINK_DAYS and only open the page; acting still needs a login with the permission."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reviews.models import Testimonial

from . import scope
from .models import Flag

logger = logging.getLogger(__name__)
_SALT = "moderation-digest-link"
LISTED = 25  # items listed per section; the counts say how many more


@dataclass(frozen=True)
class DigestItem:
    id: int
    display_name: str
    clinic: str
    rating: int
    flags: list[str]
    waiting_days: int
    url: str


@dataclass(frozen=True)
class Digest:
    waiting: int
    flagged_high: int
    high: list[DigestItem]
    others: list[DigestItem]


def digest_link_token(*, testimonial_id: int) -> str:
    return signing.dumps(testimonial_id, salt=_SALT, compress=False)


def digest_link_parse(token: str) -> int | None:
    """The testimonial id of a valid link; None if tampered with or older than MODERATION_DIGEST_LINK_DAYS."""
    try:
        value = signing.loads(token, salt=_SALT, max_age=timedelta(days=settings.MODERATION_DIGEST_LINK_DAYS))
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def _item(testimonial: Testimonial, now) -> DigestItem:
    url = settings.SITE_URL + reverse("admin-digest-link", args=[digest_link_token(testimonial_id=testimonial.pk)])
    return DigestItem(id=testimonial.pk, display_name=testimonial.display_name, clinic=testimonial.location.name,
                      rating=testimonial.rating, flags=sorted({f.code for f in testimonial.flags.all()}),
                      waiting_days=(now - testimonial.created_at).days, url=url)


def digest_build(*, user: AbstractBaseUser) -> Digest | None:
    """What waits in `user`'s clinics, the high-flagged first; None when nothing waits."""
    waiting = scope.testimonials_for(user, Testimonial.objects.filter(status=Testimonial.Status.IN_REVIEW))
    high = Exists(Flag.objects.filter(testimonial_id=OuterRef("pk"), severity=Flag.Severity.HIGH))
    rows = waiting.select_related("location").prefetch_related("flags").order_by("created_at", "id")
    total = waiting.count()
    if total == 0:
        return None
    flagged = waiting.filter(high).count()
    now = timezone.now()
    return Digest(waiting=total, flagged_high=flagged,
                  high=[_item(t, now) for t in rows.filter(high)[:LISTED]],
                  others=[_item(t, now) for t in rows.exclude(high)[:LISTED]])


def digest_recipients() -> list[AbstractBaseUser]:
    """Active staff with an address who may moderate (Moderators, Clinic managers, superusers)."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="").order_by("pk")
    return [user for user in users if scope.may_moderate(user)]


def digest_send(*, user: AbstractBaseUser) -> bool:
    digest = digest_build(user=user)
    if digest is None:
        return False
    context = {"digest": digest, "queue_url": settings.SITE_URL + reverse("admin:reviews_testimonial_changelist"),
               "link_days": settings.MODERATION_DIGEST_LINK_DAYS, "all_clinics": scope.sees_all_clinics(user)}
    subject = render_to_string("moderation/email/digest_subject.txt", context).strip()
    body = render_to_string("moderation/email/digest.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def digest_send_all() -> int:
    sent = sum(digest_send(user=user) for user in digest_recipients())
    logger.info("moderation digest sent to %d staff", sent)
    return sent
