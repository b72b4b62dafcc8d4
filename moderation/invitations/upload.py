"""Reading an uploaded CSV of discharged patients: every row checked, every problem reported beside its
row number, and the upload stored whole or not at all."""
from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from reviews.forms import clean_text
from reviews.models import Location, Therapist

from .. import scope
from .models import Invitation, InvitationBatch, InvitationOptOut
from .opt_out import email_hash

logger = logging.getLogger(__name__)
MAX_BYTES = 2 * 1024 * 1024
COLUMNS = ("email", "clinic", "therapist", "discharge_date", "language")
ALIASES = {"location": "clinic", "clinic_slug": "clinic", "therapist_slug": "therapist", "discharged": "discharge_date",
           "discharged_on": "discharge_date", "lang": "language"}
# The invitation goes to every discharged patient: a list carrying satisfaction is a list someone could
# have filtered by it (review gating), so it is refused whole.
RATING_COLUMNS = {"rating", "stars", "score", "satisfaction", "nps", "happy", "sentiment", "feedback"}


@dataclass
class Row:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    outcome: str = ""  # what will become of a valid row: "pending", "duplicate" or "opted_out"


@dataclass
class UploadReport:
    file_errors: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    batch: InvitationBatch | None = None

    @property
    def error_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_rows and bool(self.rows)


def _header(raw: list[str]) -> list[str]:
    names = [clean_text(name).lower().replace(" ", "_").replace("-", "_") for name in raw]
    return [ALIASES.get(name, name) for name in names]


def _date(raw: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def _split_name(values: dict[str, str]) -> tuple[str, str]:
    if values.get("first_name") or values.get("last_name"):
        return values.get("first_name", ""), values.get("last_name", "")
    first, _, last = values.get("name", "").rpartition(" ")
    return (first, last) if first else (last, "")


def upload_read(*, content: bytes, user: AbstractBaseUser) -> UploadReport:
    """Check every row of `content`; nothing is stored (see invitation_batch_create)."""
    report = UploadReport()
    if len(content) > MAX_BYTES:
        report.file_errors.append(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into several.")
        return report
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.file_errors.append("The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”.")
        return report
    reader = csv.reader(io.StringIO(text, newline=""))
    header = _header(next(reader, []))
    if RATING_COLUMNS & set(header):
        report.file_errors.append(
            f"The file has a column {sorted(RATING_COLUMNS & set(header))[0]!r}. Invitations go to every discharged "
            "patient whatever their experience; upload the discharge list without any rating or satisfaction column.")
        return report
    named = "name" in header or {"first_name", "last_name"} <= set(header)
    missing = [c for c in ("email", "clinic", "discharge_date") if c not in header] + ([] if named else ["name"])
    if missing:
        report.file_errors.append(
            f"Missing column(s): {', '.join(missing)}. The first row must name the columns: "
            "name (or first_name and last_name), email, clinic, therapist, discharge_date, language.")
        return report
    clinics = {loc.slug: loc for loc in Location.objects.all()}
    therapists = {t.slug: t for t in Therapist.objects.prefetch_related("locations")}
    allowed = scope.clinic_ids(user)
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines at the end of a spreadsheet's export
        values = {name: clean_text(cells[i]) if i < len(cells) else "" for i, name in enumerate(header)}
        report.rows.append(_check(Row(number=number, values=values), clinics, therapists, allowed))
        if len(report.rows) > settings.INVITATION_MAX_ROWS:
            report.file_errors.append(f"More than {settings.INVITATION_MAX_ROWS} rows: split the file into several.")
            return report
    if not report.rows:
        report.file_errors.append("The file has no patient rows under its header.")
    _outcomes(report.rows)
    return report


def _check(row: Row, clinics: dict, therapists: dict, allowed: frozenset[int] | None) -> Row:
    values, errors = row.values, row.errors
    first, last = _split_name(values)
    if not first:
        errors.append("name: missing")
    elif len(first) > 60 or len(last) > 60:
        errors.append("name: longer than 60 characters")
    values["first_name"], values["last_name"] = first, last
    values["email"] = values.get("email", "").lower()
    try:
        validate_email(values["email"])
    except ValidationError:
        errors.append(f"email: {values['email']!r} is not an email address" if values["email"] else "email: missing")
    clinic = clinics.get(values.get("clinic", ""))
    if clinic is None:
        errors.append(f"clinic: no clinic with the slug {values.get('clinic', '')!r}")
    elif not clinic.is_active:
        errors.append(f"clinic: {clinic.name} no longer takes testimonials")
    elif allowed is not None and clinic.pk not in allowed:
        errors.append(f"clinic: {clinic.name} is not one of your clinics")
    therapist = None
    if values.get("therapist"):
        therapist = therapists.get(values["therapist"])
        if therapist is None:
            errors.append(f"therapist: no therapist with the slug {values['therapist']!r}")
        elif clinic is not None and clinic not in therapist.locations.all():
            errors.append(f"therapist: {therapist.name} does not work at {clinic.name}")
        elif not therapist.is_active:
            errors.append(f"therapist: {therapist.name} no longer works with the practice")
    discharged = _date(values.get("discharge_date", ""))
    if discharged is None:
        errors.append("discharge_date: use YYYY-MM-DD (or MM/DD/YYYY)")
    elif discharged > timezone.localdate():
        errors.append("discharge_date: in the future")
    language = (values.get("language") or "en").lower()
    if language not in Invitation.Language.values:
        errors.append("language: en or es")
    values["language"] = language
    row.clinic, row.therapist, row.discharged = clinic, therapist, discharged  # type: ignore[attr-defined]
    return row


def _outcomes(rows: list[Row]) -> None:
    """Duplicates (the same address earlier in the file, or invited within INVITATION_DUPLICATE_DAYS) and
    opt-outs are kept as rows that will not be sent, so the report shows them."""
    valid = [row for row in rows if not row.errors]
    emails = {row.values["email"] for row in valid}
    since = timezone.now() - timedelta(days=settings.INVITATION_DUPLICATE_DAYS)
    recent = set(Invitation.objects.filter(email__in=emails, created_at__gte=since)
                 .exclude(status__in=[Invitation.Status.FAILED, Invitation.Status.DUPLICATE])
                 .values_list("email", flat=True))
    opted_out = set(InvitationOptOut.objects.filter(email_hash__in=[email_hash(e) for e in emails])
                    .values_list("email_hash", flat=True))
    seen: set[str] = set()
    for row in valid:
        email = row.values["email"]
        if email_hash(email) in opted_out:
            row.outcome = Invitation.Status.OPTED_OUT
        elif email in recent or email in seen:
            row.outcome = Invitation.Status.DUPLICATE
        else:
            row.outcome = Invitation.Status.PENDING
        seen.add(email)


def invitation_batch_create(*, content: bytes, filename: str, user: AbstractBaseUser) -> UploadReport:
    """Check the upload and, only if every row is valid, store it whole and queue the sending."""
    report = upload_read(content=content, user=user)
    if not report.ok:
        return report
    with transaction.atomic():
        batch = InvitationBatch.objects.create(uploaded_by=user, filename=filename[:200], row_count=len(report.rows))
        Invitation.objects.bulk_create(Invitation(
            batch=batch, row_number=row.number, first_name=row.values["first_name"],
            last_name=row.values["last_name"], email=row.values["email"], location=row.clinic,
            therapist=row.therapist, discharged_on=row.discharged, language=row.values["language"],
            status=row.outcome) for row in report.rows)
        transaction.on_commit(lambda: invitations_enqueue(batch_id=batch.pk))
    report.batch = batch
    return report


def invitations_enqueue(*, batch_id: int) -> bool:
    """Nudge the worker; with the broker down, the periodic task sends what is left pending."""
    from ..tasks import send_invitations_task

    try:
        send_invitations_task.apply_async(args=[batch_id], retry=False)  # fail fast, never hold the request
    except Exception:  # any broker or connection error: the rows are stored, beat sends them
        logger.warning("could not enqueue the sending of invitation upload %s", batch_id, exc_info=True)
        return False
    return True
