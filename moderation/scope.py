"""Which clinics a staff user may see and moderate: every one with `moderation.see_all_clinics`
(Moderators, Viewers, superusers), otherwise only the clinics assigned to them (Clinic managers).
The admin queue, the report, the dashboard, exports and the moderation API all ask here."""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from reviews.models import Location, Testimonial

SEE_ALL = "moderation.see_all_clinics"
MODERATE = "reviews.moderate_testimonial"
VIEW = "reviews.view_testimonial"  # read the queue and analyses (Viewers)


def sees_all_clinics(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_active and user.has_perm(SEE_ALL))


def clinic_ids(user: AbstractBaseUser | AnonymousUser) -> frozenset[int] | None:
    """The ids of the clinics `user` may see; None means every clinic."""
    if sees_all_clinics(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_clinic_ids", None)
    if cached is None:
        cached = frozenset(user.clinic_assignments.values_list("location_id", flat=True))
        user._clinic_ids = cached  # one query per request (the user object lives for one request)
    return cached


def testimonials_for(user: AbstractBaseUser | AnonymousUser,
                     queryset: QuerySet[Testimonial] | None = None) -> QuerySet[Testimonial]:
    """`queryset` (default: every testimonial) narrowed to the clinics `user` may see."""
    queryset = Testimonial.objects.all() if queryset is None else queryset
    ids = clinic_ids(user)
    return queryset if ids is None else queryset.filter(location_id__in=ids)


def locations_for(user: AbstractBaseUser | AnonymousUser,
                  queryset: QuerySet[Location] | None = None) -> QuerySet[Location]:
    queryset = Location.objects.all() if queryset is None else queryset
    ids = clinic_ids(user)
    return queryset if ids is None else queryset.filter(pk__in=ids)


def in_scope(user: AbstractBaseUser | AnonymousUser, testimonial: Testimonial) -> bool:
    ids = clinic_ids(user)
    return ids is None or testimonial.location_id in ids


def may_moderate(user: AbstractBaseUser | AnonymousUser, testimonial: Testimonial | None = None) -> bool:
    """The moderate permission, and (for a given testimonial) its clinic in the user's scope."""
    if not (user.is_active and user.has_perm(MODERATE)):
        return False
    return testimonial is None or in_scope(user, testimonial)
