"""The moderation API's queue filters: the admin queue's (status, clinic, therapist, flag, sentiment,
language, date) and its search. An unknown value is a 400 naming the parameter, never an empty page."""
from __future__ import annotations

import re
from datetime import date, datetime, time

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from reviews.models import Location, Testimonial, Therapist

from ..models import Flag
from ..search import testimonial_search

S = Testimonial.Status
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
SENTIMENTS = ("positive", "neutral", "negative")
PARAMETERS = ("status", "location", "therapist", "flag", "sentiment", "language", "received_after",
              "received_before", "search")


def _day(name: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [f"{name} must be a date as YYYY-MM-DD."]}) from None


def _slug(name: str, raw: str, model: type[Location] | type[Therapist]) -> int:
    found = model.objects.filter(slug=raw).values_list("pk", flat=True).first() if _SLUG.fullmatch(raw) else None
    if found is None:
        raise ValidationError({name: [f"There is no {name} with the slug {raw!r}."]})
    return found


def queue_filter(queryset: QuerySet[Testimonial], params: dict[str, str]) -> QuerySet[Testimonial]:
    """`queryset` narrowed by the query parameters; `status` defaults to in_review (the work to do),
    `all` lifts it. Search looks across every status, as the admin's does."""
    # PostgreSQL refuses NUL bytes in text with an error; nobody types one on purpose.
    get = {name: (params.get(name) or "").replace("\x00", "").strip() for name in PARAMETERS}
    status = get["status"] or (S.IN_REVIEW if not get["search"] else "all")
    if status != "all":
        if status not in S.values:
            raise ValidationError({"status": [f"status must be one of {', '.join(S.values)} or all."]})
        queryset = queryset.filter(status=status)
    if get["location"]:
        queryset = queryset.filter(location_id=_slug("location", get["location"], Location))
    if get["therapist"]:
        queryset = queryset.filter(therapist_id=_slug("therapist", get["therapist"], Therapist))
    if get["flag"]:
        flagged = Flag.objects.filter(testimonial_id=OuterRef("pk"))
        if get["flag"] == "none":
            queryset = queryset.filter(~Exists(flagged))
        elif len(get["flag"]) > 32 or not get["flag"].replace("_", "").isalnum():
            raise ValidationError({"flag": ["flag must be a flag code (e.g. pii_email) or none."]})
        else:
            queryset = queryset.filter(Exists(flagged.filter(code=get["flag"])))
    if get["sentiment"]:
        if get["sentiment"] not in SENTIMENTS:
            raise ValidationError({"sentiment": [f"sentiment must be one of {', '.join(SENTIMENTS)}."]})
        queryset = queryset.filter(analysis__label=get["sentiment"])
    if get["language"]:
        if len(get["language"]) > 8 or not get["language"].isalpha():
            raise ValidationError({"language": ["language must be a language code such as en or es."]})
        queryset = queryset.filter(language=get["language"].lower())
    zone = timezone.get_current_timezone()
    if get["received_after"]:
        day = _day("received_after", get["received_after"])
        queryset = queryset.filter(created_at__gte=datetime.combine(day, time.min, tzinfo=zone))
    if get["received_before"]:
        day = _day("received_before", get["received_before"])
        queryset = queryset.filter(created_at__lt=datetime.combine(day, time.min, tzinfo=zone))
    if get["search"]:  # the admin's search, word for word (an address matched exactly, never by fragment)
        queryset = testimonial_search(queryset=queryset, term=get["search"][:200])
    return queryset
