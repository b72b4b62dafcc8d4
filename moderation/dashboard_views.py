"""The dashboard page and its CSV exports, as admin pages (login, staff, the view permission; the user's
clinics only). Each table of the page is a CSV at /admin/dashboard/<key>.csv; the testimonials the user
may see are at /admin/dashboard/testimonials.csv with the columns the admin shows them."""
from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from reviews.models import Testimonial, display_name_of

from . import charts, scope
from .dashboard import Figures, dashboard_figures
from .models import Flag

VIEW = "reviews.view_testimonial"
TESTIMONIAL_COLUMNS = ["id", "received", "status", "rating", "clinic", "therapist", "display name", "first name",
                       "last name", "email", "condition", "text (public, after redaction)", "redacted", "language",
                       "source", "sentiment", "sentiment (VADER compound)", "flags", "tags", "published"]


def _allowed(request: HttpRequest) -> None:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied


def dashboard_view(request: HttpRequest) -> TemplateResponse:
    """Received, decided and waiting per week; trends per clinic and therapist; flags; rejection reasons;
    the even-handedness report — for the user's clinics."""
    _allowed(request)
    figures = dashboard_figures(user=request.user)
    ids = scope.clinic_ids(request.user)
    context = {
        **admin.site.each_context(request),
        "title": "Moderation dashboard",
        "figures": figures,
        "scope_names": None if ids is None else list(scope.locations_for(request.user).values_list("name", flat=True)),
        "charts": _charts(figures),
        "oldest_age": timezone.now() - figures.oldest.created_at if figures.oldest else None,
    }
    return TemplateResponse(request, "admin/moderation/dashboard.html", context)


def _charts(figures: Figures) -> dict:
    weeks = [w.strftime("%b %-d") for w in figures.weeks]
    weekly = figures.weekly.rows
    months = [m.strftime("%b") for m in figures.months]
    monthly = figures.monthly.rows
    result = {
        "weekly": charts.column_chart(title="Testimonials per week", categories=weeks, series=[
            ("received", [r[1] for r in weekly]), ("approved", [r[2] for r in weekly]),
            ("rejected", [r[3] for r in weekly]), ("still waiting", [r[4] for r in weekly])]),
        "rating": charts.line_chart(title="Average rating per month", categories=months,
                                    series=[("average rating", [r[2] for r in monthly])], low=1, high=5),
        "sentiment": charts.line_chart(title="Average sentiment per month (VADER compound)", categories=months,
                                       series=[("average sentiment", [r[3] for r in monthly])], low=-1, high=1),
        "flags": charts.bar_chart(title="Testimonials per flag", labels=[r[0] for r in figures.flags.rows],
                                  values=[r[1] for r in figures.flags.rows]),
        "reasons": charts.bar_chart(title="Rejections per reason", labels=[r[0] for r in figures.reasons.rows],
                                    values=[r[1] for r in figures.reasons.rows], colour=charts.PALETTE[2]),
        "approval": {by: charts.bar_chart(title=f"Approval rate by {by}", labels=[r[0] for r in table.rows],
                                          values=[None if r[4] is None else r[4] * 100 for r in table.rows],
                                          max_value=100, value_format="{:.0f}%", colour=charts.PALETTE[1])
                     for by, table in figures.approval.items()},
    }
    for kind, trends in (("clinics", figures.clinics), ("therapists", figures.therapists)):
        result[kind] = [
            (trend,
             charts.sparkline(title=f"{trend.name}: average rating per month", values=trend.ratings, low=1, high=5),
             charts.sparkline(title=f"{trend.name}: average sentiment per month", values=trend.sentiments, low=-1,
                              high=1))
            for trend in trends]
    return result


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe_cell(value) -> str | int | float:
    """A spreadsheet must not run a patient's words as a formula (=, +, -, @, tab, carriage return)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def dashboard_table_csv(request: HttpRequest, key: str) -> StreamingHttpResponse:
    """One of the dashboard's tables, exactly as the page shows it."""
    _allowed(request)
    table = dashboard_figures(user=request.user).tables().get(key)
    if table is None:
        raise Http404("No such table.")
    return _csv_response(f"{key}-{timezone.localdate():%Y-%m-%d}.csv", table.columns, table.rows)


EXPORT_FIELDS = ["id", "created_at", "status", "rating", "location__name", "therapist__first_name",
                 "therapist__last_name", "display_as", "first_name", "last_name", "email", "condition", "body",
                 "body_original", "language", "source", "analysis__label", "analysis__compound", "published_at"]
EXPORT_CHUNK = 2000


def _export_rows(queryset) -> Iterator[list]:
    """Plain values in id order, a chunk at a time (keyset, not OFFSET): three queries per chunk (the rows,
    their flags, their tags), whatever the chunk holds."""
    last_id = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last_id).order_by("pk").values(*EXPORT_FIELDS)[:EXPORT_CHUNK])
        if not chunk:
            return
        ids = [row["id"] for row in chunk]
        flags: dict[int, set[str]] = {}
        for testimonial_id, code in Flag.objects.filter(testimonial_id__in=ids).values_list("testimonial_id", "code"):
            flags.setdefault(testimonial_id, set()).add(code)
        tags: dict[int, list[str]] = {}
        for testimonial_id, slug in (Testimonial.tags.through.objects.filter(testimonial_id__in=ids)
                                     .order_by("tag__slug").values_list("testimonial_id", "tag__slug")):
            tags.setdefault(testimonial_id, []).append(slug)
        for r in chunk:
            compound = r["analysis__compound"]
            yield [r["id"], f"{timezone.localtime(r['created_at']):%Y-%m-%d %H:%M:%S}", r["status"], r["rating"],
                   r["location__name"], " ".join(filter(None, [r["therapist__first_name"], r["therapist__last_name"]])),
                   display_name_of(first_name=r["first_name"], last_name=r["last_name"], display_as=r["display_as"],
                                   location_name=r["location__name"]),
                   r["first_name"], r["last_name"], r["email"], r["condition"], r["body"],
                   "yes" if r["body_original"] and r["body_original"] != r["body"] else "no", r["language"],
                   r["source"], r["analysis__label"] or "", "" if compound is None else round(compound, 3),
                   " ".join(sorted(flags.get(r["id"], ()))), " ".join(tags.get(r["id"], ())),
                   f"{timezone.localtime(r['published_at']):%Y-%m-%d %H:%M:%S}" if r["published_at"] else ""]
        last_id = ids[-1]


def testimonials_csv(request: HttpRequest) -> HttpResponse:
    """Every testimonial in the user's clinics with what the admin shows about it, streamed in chunks."""
    _allowed(request)
    return _csv_response(f"testimonials-{timezone.localdate():%Y-%m-%d}.csv", TESTIMONIAL_COLUMNS,
                         _export_rows(scope.testimonials_for(request.user)))


def dashboard_urls() -> list:
    """Mounted under /admin/ (before the admin's own catch-all) by config/urls.py."""
    view = admin.site.admin_view
    return [
        path("dashboard/", view(dashboard_view), name="moderation-dashboard"),
        path("dashboard/testimonials.csv", view(testimonials_csv), name="moderation-dashboard-testimonials-csv"),
        path("dashboard/<slug:key>.csv", view(dashboard_table_csv), name="moderation-dashboard-csv"),
    ]
