"""The moderation dashboard's figures for one user's scope (moderation/scope.py): a handful of aggregate
queries (never one per row), cached for DASHBOARD_CACHE_SECONDS under a key naming the scope, so two
managers of different clinics never share figures. Every figure is a `Table`, exported as CSV as it is."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from reviews.models import Testimonial

from . import scope, selectors
from .models import Flag, RejectionReason, TransitionEvent

S = Testimonial.Status
WEEKS = 12  # the weekly table: the last twelve weeks, this one included
MONTHS = 6  # the rating and sentiment trends: the last six months, this one included
WAITING = (S.PENDING, S.IN_REVIEW)
CACHE_VERSION = 1


@dataclass(frozen=True)
class Table:
    key: str  # the CSV's name: /admin/dashboard/<key>.csv
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass(frozen=True)
class Trend:
    """One clinic's or therapist's months: n, average rating and average sentiment per month."""

    name: str
    received: int
    ratings: list[float | None]
    sentiments: list[float | None]

    @property
    def average_rating(self) -> float | None:
        return _last(self.ratings)

    @property
    def average_sentiment(self) -> float | None:
        return _last(self.sentiments)


@dataclass(frozen=True)
class OldestWaiting:
    id: int
    status: str
    created_at: dt.datetime
    location: str


@dataclass(frozen=True)
class Figures:
    computed_at: dt.datetime
    weeks: list[dt.date]
    months: list[dt.date]
    weekly: Table
    waiting: Table
    oldest: OldestWaiting | None
    monthly: Table  # the whole scope per month
    clinics: list[Trend]
    therapists: list[Trend]
    clinic_trends: Table
    therapist_trends: Table
    flags: Table
    reasons: Table
    approval: dict[str, Table]

    def tables(self) -> dict[str, Table]:
        listed = [self.weekly, self.waiting, self.monthly, self.clinic_trends, self.therapist_trends, self.flags,
                  self.reasons, *self.approval.values()]
        return {table.key: table for table in listed}


def _last(values: list[float | None]) -> float | None:
    return next((v for v in reversed(values) if v is not None), None)


def received_for(user) -> QuerySet[Testimonial]:
    """What counts as received in the user's clinics: everything but the bots the honeypot caught."""
    return scope.testimonials_for(user).exclude(source=Testimonial.Source.HONEYPOT)


def _in_scope(queryset: QuerySet, user, prefix: str) -> QuerySet:
    """Rows of a model that points at a testimonial, narrowed like `received_for` (a join, not a subquery)."""
    queryset = queryset.exclude(**{f"{prefix}source": Testimonial.Source.HONEYPOT})
    ids = scope.clinic_ids(user)
    return queryset if ids is None else queryset.filter(**{f"{prefix}location_id__in": ids})


def scope_cache_key(user) -> str:
    ids = scope.clinic_ids(user)
    label = "all" if ids is None else ",".join(str(i) for i in sorted(ids))
    return f"moderation-dashboard:v{CACHE_VERSION}:{hashlib.sha256(label.encode()).hexdigest()[:24]}"


def dashboard_figures(*, user) -> Figures:
    """The figures for `user`'s clinics, from the cache when they were computed in the last few seconds."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    key = scope_cache_key(user)
    if seconds > 0:
        try:
            cached = cache.get(key)
        except Exception:  # a cache outage costs a recomputation, never the page
            cached = None
        if cached is not None:
            return cached
    figures = dashboard_compute(user=user)
    if seconds > 0:
        try:
            cache.set(key, figures, seconds)
        except Exception:
            pass
    return figures


def _week_starts(today: dt.date) -> list[dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def _month_starts(today: dt.date) -> list[dt.date]:
    year, month, result = today.year, today.month, []
    for _ in range(MONTHS):
        result.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return result[::-1]


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _date(value) -> dt.date:
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


def _round(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def dashboard_compute(*, user) -> Figures:
    now = timezone.localtime()
    weeks, months = _week_starts(now.date()), _month_starts(now.date())
    received = received_for(user)
    events = _in_scope(TransitionEvent.objects.all(), user, "testimonial__")

    # Received per week, and how many of each week's arrivals still wait (one query).
    arrivals = {_date(r["week"]): r for r in received.filter(created_at__gte=_start_of(weeks[0]))
                .annotate(week=TruncWeek("created_at")).values("week")
                .annotate(n=Count("id"), waiting=Count("id", filter=Q(status__in=WAITING))).order_by()}
    # Decisions per week: approvals and rejections (takedowns and expiries included) (one query).
    decided: dict[tuple[dt.date, str], int] = {
        (_date(r["week"]), r["to_status"]): r["n"]
        for r in events.filter(created_at__gte=_start_of(weeks[0]), to_status__in=[S.APPROVED, S.REJECTED])
        .annotate(week=TruncWeek("created_at")).values("week", "to_status").annotate(n=Count("id")).order_by()}
    weekly = Table("weekly", f"Per week (last {WEEKS} weeks)",
                   ["week of", "received", "approved", "rejected", "of those, waiting"],
                   [[week.isoformat(), arrivals.get(week, {}).get("n", 0), decided.get((week, S.APPROVED), 0),
                     decided.get((week, S.REJECTED), 0), arrivals.get(week, {}).get("waiting", 0)] for week in weeks])

    waiting_rows = {r["status"]: r for r in received.filter(status__in=WAITING).values("status")
                    .annotate(n=Count("id"), oldest=Min("created_at")).order_by()}
    waiting = Table("waiting", "Waiting now", ["status", "testimonials", "oldest since"],
                    [[S(status).label, waiting_rows.get(status, {}).get("n", 0),
                      f'{timezone.localtime(waiting_rows[status]["oldest"]):%Y-%m-%d %H:%M}'
                      if status in waiting_rows else ""] for status in WAITING])
    first = (received.filter(status__in=WAITING).order_by("created_at", "id")
             .values("id", "status", "created_at", "location__name").first())
    oldest = (OldestWaiting(first["id"], S(first["status"]).label.lower(), first["created_at"], first["location__name"])
              if first else None)

    # Average rating and sentiment per month, per clinic, per therapist and overall: one query grouped by
    # clinic × therapist × month (a few hundred rows at most), whose sums are combined here.
    cells = list(received.filter(created_at__gte=_start_of(months[0])).annotate(month=TruncMonth("created_at"))
                 .values("location__name", "therapist__first_name", "therapist__last_name", "month")
                 .annotate(n=Count("id"), rating_sum=Sum("rating"), analysed=Count("analysis"),
                           sentiment_sum=Sum("analysis__compound")).order_by())
    month_index = {month: i for i, month in enumerate(months)}

    def therapist_name(cell: dict) -> str:
        return " ".join(filter(None, [cell["therapist__first_name"], cell["therapist__last_name"]])) or "(not named)"

    def combine(name_of) -> dict[str, list[list[float]]]:
        """name → per month [n, rating sum, analysed, sentiment sum]."""
        sums: dict[str, list[list[float]]] = {}
        for cell in cells:
            i = month_index.get(_date(cell["month"]))
            if i is None:
                continue
            month = sums.setdefault(name_of(cell), [[0, 0, 0, 0.0] for _ in months])[i]
            for k, value in enumerate((cell["n"], cell["rating_sum"], cell["analysed"], cell["sentiment_sum"])):
                month[k] += value or 0
        return sums

    def averages(month: list[float]) -> tuple[float | None, float | None]:
        n, rating_sum, analysed, sentiment_sum = month
        return (_round(rating_sum / n) if n else None), (_round(sentiment_sum / analysed) if analysed else None)

    def trends(name_of) -> tuple[list[Trend], list[list]]:
        result, long_rows = [], []
        for name, per_month in sorted(combine(name_of).items()):
            pairs = [averages(month) for month in per_month]
            result.append(Trend(name, int(sum(month[0] for month in per_month)), [p[0] for p in pairs],
                                [p[1] for p in pairs]))
            long_rows += [[name, months[i].strftime("%Y-%m"), int(month[0]), *pairs[i]]
                          for i, month in enumerate(per_month) if month[0]]
        return result, long_rows

    clinics, clinic_rows = trends(lambda cell: cell["location__name"])
    therapists, therapist_rows = trends(therapist_name)
    trend_columns = ["month", "received", "average rating", "average sentiment (VADER compound)"]
    overall = combine(lambda cell: "").get("", [[0, 0, 0, 0.0] for _ in months])
    monthly = Table("monthly", f"Every clinic in your scope, per month (last {MONTHS} months)", trend_columns,
                    [[m.strftime("%Y-%m"), int(overall[i][0]), *averages(overall[i])] for i, m in enumerate(months)])

    flag_rows = (_in_scope(Flag.objects.all(), user, "testimonial__").values("code")
                 .annotate(n=Count("testimonial", distinct=True)).order_by("-n", "code"))
    total = received.count()
    flags = Table("flags", "Flags (all time): testimonials carrying each",
                  ["flag", "testimonials", "share of received"],
                  [[r["code"], r["n"], round(r["n"] / total, 3) if total else None] for r in flag_rows])

    labels = dict(RejectionReason.choices)
    reason_rows = (events.filter(to_status=S.REJECTED).exclude(reason="").values("reason")
                   .annotate(n=Count("id")).order_by("-n", "reason"))
    reasons = Table("reasons", "Rejection reasons (all time, takedowns included)", ["reason", "rejections"],
                    [[str(labels.get(r["reason"], r["reason"])), r["n"]] for r in reason_rows])

    approval = {}
    for by in selectors.GROUPINGS:
        rows = selectors.approval_rates(by=by, queryset=scope.testimonials_for(user))
        approval[by] = Table(f"approval-by-{by}", f"Approval rate by {by} (all time)",
                             [by, "received", "approved", "rejected", "approval rate (of decided)"],
                             [[row.group, row.received, row.approved, row.rejected, _round(row.approval_rate, 3)]
                              for row in rows])
    return Figures(
        computed_at=now, weeks=weeks, months=months, weekly=weekly, waiting=waiting, oldest=oldest, monthly=monthly,
        clinics=clinics, therapists=therapists,
        clinic_trends=Table("clinic-trends", "Per clinic and month", ["clinic", *trend_columns], clinic_rows),
        therapist_trends=Table("therapist-trends", "Per therapist and month", ["therapist", *trend_columns],
                               therapist_rows),
        flags=flags, reasons=reasons, approval=approval)
