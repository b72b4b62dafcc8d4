"""An uploaded list of discharged patients, one invitation per row, and the opt-out list."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InvitationBatch(models.Model):
    """One CSV of discharged patients as uploaded: imported whole or not at all."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    row_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("invitation upload")

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class Invitation(models.Model):
    """One patient asked for a testimonial: the row of the upload it came from, and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")  # imported; the worker sends it
        SENT = "sent", _("Sent")
        DUPLICATE = "duplicate", _("Skipped: invited recently")  # same email within INVITATION_DUPLICATE_DAYS
        OPTED_OUT = "opted_out", _("Skipped: opted out")  # the address is on the opt-out list
        FAILED = "failed", _("Failed")  # the mail server refused it; `error` says why

    class Language(models.TextChoices):
        EN = "en", _("English")
        ES = "es", _("Spanish")

    batch = models.ForeignKey(InvitationBatch, on_delete=models.CASCADE, related_name="invitations")
    row_number = models.PositiveIntegerField(help_text="The row of the CSV (the header is row 1).")
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    email = models.EmailField(max_length=254)
    location = models.ForeignKey("reviews.Location", on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey("reviews.Therapist", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    discharged_on = models.DateField()
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch_id", "row_number"]
        indexes = [
            # The duplicate rule: was this address invited within the last N days?
            models.Index(fields=["email", "created_at"], name="invitation_email_idx"),
            # The worker: pending ones to send, sent ones due a reminder.
            models.Index(fields=["status", "sent_at"], name="invitation_status_idx"),
        ]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.first_name} {self.last_name[:1]}. ({self.get_status_display()})"


class InvitationOptOut(models.Model):
    """An address that asked never to be invited again: kept as a keyed hash, never the address."""

    email_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation opt-out")

    def __str__(self) -> str:
        return f"opt-out of {self.created_at:%Y-%m-%d}"
