"""What the analysis found about a testimonial, and the audit trail of moderation."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Analysis(models.Model):
    """The stored result of analysing one testimonial (one row per testimonial, replaced on rescore)."""

    testimonial = models.OneToOneField("reviews.Testimonial", on_delete=models.CASCADE, related_name="analysis")
    analyzer_version = models.CharField(max_length=32)
    compound = models.FloatField()
    pos = models.FloatField()
    neu = models.FloatField()
    neg = models.FloatField()
    label = models.CharField(max_length=10)
    language = models.CharField(max_length=8, blank=True)
    therapists_mentioned = models.JSONField(default=list, blank=True)
    sentences = models.JSONField(default=list, blank=True)
    outcome_claims = models.JSONField(default=list, blank=True)
    analyzed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "analyses"
        indexes = [
            # `rescore` finds analyses made by another analyzer version.
            models.Index(fields=["analyzer_version"], name="analysis_version_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.compound:+.2f})"


class Flag(models.Model):
    """One problem the analysis found; unique per testimonial, code and span, so reruns add nothing."""

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    testimonial = models.ForeignKey("reviews.Testimonial", on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=32)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    message = models.CharField(max_length=255)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["testimonial_id", "start", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["testimonial", "code", "start", "end"],
                condition=Q(start__isnull=False),
                name="flag_unique_span",
            ),
            # NULLs are distinct in a plain unique constraint, so span-less flags need their own.
            models.UniqueConstraint(
                fields=["testimonial", "code"], condition=Q(start__isnull=True), name="flag_unique_no_span"
            ),
        ]
        indexes = [
            # The admin's "flag" filter: testimonials carrying a given code.
            models.Index(fields=["code", "testimonial"], name="flag_code_idx"),
        ]

    def __str__(self) -> str:
        return self.code


class RejectionReason(models.TextChoices):
    """Content grounds only: a testimonial is never refused for being negative (16 CFR 465.7(b))."""

    PERSONAL_INFO = "personal_info", _("Personal or confidential information")
    ABUSIVE = "abusive", _("Abusive, obscene or harassing")
    DISCRIMINATORY = "discriminatory", _("Discriminatory")
    SPAM = "spam", _("Spam or advertising")
    UNRELATED = "unrelated", _("Unrelated to care")
    FALSE = "false", _("Clearly false")
    NOT_PATIENT = "not_patient", _("Not a genuine patient")
    NO_CONSENT = "no_consent", _("Consent missing or withdrawn")
    DUPLICATE = "duplicate", _("Duplicate")


class TransitionEvent(models.Model):
    """An append-only record of one status change: who, when, from, to and why."""

    # PROTECT: a testimonial with history is never hard-deleted; personal data is purged field by field.
    testimonial = models.ForeignKey("reviews.Testimonial", on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    # None when the system moved it (analysis, the patient's withdrawal link).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    reason = models.CharField(max_length=32, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The even-handedness report and each testimonial's history.
            models.Index(fields=["testimonial", "created_at"], name="event_testimonial_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Transition events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Transition events are append-only.")


class WebhookAttempt(models.Model):
    """One attempt to deliver one webhook message to the marketing site. Every attempt is a row, so a
    delivery that never succeeded is visible ("failed") instead of silently dropped. No URL, body or
    response is kept: the message is only an event name and a testimonial id."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")  # the site answered 2xx
        RETRYING = "retrying", _("Failed, will retry")  # another attempt is scheduled
        FAILED = "failed", _("Failed, gave up")  # the last allowed attempt failed

    # The Standard Webhooks `webhook-id`: the same for every attempt of one message.
    event_id = models.CharField(max_length=64)
    event = models.CharField(max_length=40)
    # A plain id, not a foreign key: the log outlives the testimonial row.
    testimonial_id = models.BigIntegerField()
    attempt = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    # When the next attempt is due, for a message held here rather than in the broker (refused by it at
    # publication, or a wait longer than a countdown may last); the sweep sends it and clears this.
    requeue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            # The admin's list (newest first) and "what happened to this message".
            models.Index(fields=["event_id", "attempt"], name="webhook_attempt_event_idx"),
            models.Index(fields=["outcome", "-started_at"], name="webhook_attempt_outcome_idx"),
            # The sweep: messages held for a later attempt.
            models.Index(fields=["requeue_at"], condition=Q(requeue_at__isnull=False),
                         name="webhook_attempt_requeue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.testimonial_id} attempt {self.attempt}: {self.outcome}"


class ClinicAssignment(models.Model):
    """A staff user ↔ clinic link: a clinic manager sees and moderates only their clinics' testimonials.
    Users with the `see_all_clinics` permission (Moderators, Viewers, superusers) need none."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_assignments")
    location = models.ForeignKey("reviews.Location", on_delete=models.CASCADE, related_name="staff_assignments")

    class Meta:
        verbose_name = _("clinic assignment")
        constraints = [models.UniqueConstraint(fields=["user", "location"], name="clinic_assignment_unique")]
        permissions = [("see_all_clinics", "Sees every clinic's testimonials (not only assigned clinics)")]

    def __str__(self) -> str:
        return f"{self.user} – {self.location}"


# Invitations live in their own package; imported here so Django registers their models with this app.
from .invitations.models import Invitation, InvitationBatch, InvitationOptOut  # noqa: E402,F401
