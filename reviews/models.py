"""Clinics, therapists and the testimonials patients leave about them."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class Location(models.Model):
    """One of the practice's clinics."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    town = models.CharField(max_length=80, blank=True)
    address = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Therapist(models.Model):
    """A therapist of the practice; works at one or more clinics."""

    slug = models.SlugField(max_length=80, unique=True)
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    credentials = models.CharField(max_length=40, blank=True, help_text="e.g. PT, DPT")
    # Names patients use for them ("Bri" for Brianna), so the analysis can resolve mentions.
    nicknames = models.JSONField(default=list, blank=True)
    locations = models.ManyToManyField(Location, related_name="therapists")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class StaffMember(models.Model):
    """Someone of the practice who is not a therapist (front desk, billing…): named, never a private person."""

    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    role = models.CharField(max_length=60, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "staff member"

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Tag(models.Model):
    """A treated condition or body region (knee, foot-drop…) assigned by the analysis."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


def display_name_of(*, first_name: str, last_name: str, display_as: str, location_name: str) -> str:
    """The public name: first name and last initial, or "A patient at <clinic>" (also for flat API rows)."""
    if display_as == "anonymous":
        return f"A patient at {location_name}"
    initial = last_name[:1].upper()
    return f"{first_name} {initial}." if initial else first_name


class Testimonial(models.Model):
    """A patient's testimonial with its authorization; `body` is what the public may see."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending analysis")  # saved, analysis not yet done
        IN_REVIEW = "in_review", _("In review")  # analysed, waiting for a moderator
        APPROVED = "approved", _("Approved")  # published in the public feed
        REJECTED = "rejected", _("Rejected")  # refused, or taken down after publication
        WITHDRAWN = "withdrawn", _("Withdrawn")  # the patient revoked consent; terminal

    class Source(models.TextChoices):
        FORM = "form", _("Patient form")
        IMPORT = "import", _("Imported")  # brought in by import_testimonials; no confirmation email
        DEMO = "demo", _("Demo data")
        # A post that filled in the hidden anti-bot field: kept rejected, never counted as received.
        HONEYPOT = "honeypot", _("Caught by the anti-bot field")

    class DisplayAs(models.TextChoices):
        INITIAL = "initial", _("My first name and last initial")
        ANONYMOUS = "anonymous", _("“A patient at” the clinic")

    # public
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="testimonials")
    therapist = models.ForeignKey(
        Therapist, on_delete=models.PROTECT, null=True, blank=True, related_name="testimonials"
    )
    rating = models.PositiveSmallIntegerField()
    body = models.TextField(help_text="The words as shown publicly (after any redaction).")
    condition = models.CharField(max_length=120, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="testimonials")
    display_as = models.CharField(max_length=10, choices=DisplayAs.choices, default=DisplayAs.INITIAL)
    published_at = models.DateTimeField(null=True, blank=True)

    # private: never in a public response
    body_original = models.TextField(blank=True, help_text="The patient's words before redaction.")
    # The authorization the patient accepted named the condition: only then may it be published.
    condition_authorized = models.BooleanField(default=False)
    condition_original = models.CharField(max_length=120, blank=True,
                                          help_text="What the patient typed as the condition, before redaction.")
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    email = models.EmailField(max_length=254)
    consent_text = models.TextField(help_text="The exact authorization text the patient accepted.")
    consent_version = models.PositiveSmallIntegerField()
    consented_at = models.DateTimeField()
    consent_expires_at = models.DateTimeField()
    # The renewal reminder for the current authorization went out (cleared when it is renewed).
    consent_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    origin_hash = models.CharField(max_length=64, blank=True, help_text="Keyed hash of the network origin.")
    # Same email + same words → the same key: a double-click or a resubmission makes one row.
    submission_key = models.CharField(max_length=64, unique=True)
    # Normalised text hash, for the `duplicate` flag across all submissions.
    fingerprint = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=8, blank=True, help_text="Language of the text, as detected.")
    locale = models.CharField(max_length=8, default="en", help_text="Language of the form the patient used.")
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    # The "your testimonial is published" email went out (sent once, at the first publication).
    publication_notice_sent_at = models.DateTimeField(null=True, blank=True)

    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    # Retention removed the personal data (names, email, words, origin; moderation/retention.py): the row is
    # kept for the counts and the audit trail, and can never change state again.
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    # The background work (moderation.queue, moderation.tasks). `*_queued_at`: the message was handed to
    # the broker (claimed before sending, cleared if the broker refused), so the sweep sends only what has
    # none and nothing is sent twice. `*_attempts`: runs started. `*_failed_at`/`*_error`: the task gave up
    # (permanent error, retries or attempts used up); shown in the admin, never sent again by the sweep.
    analysis_queued_at = models.DateTimeField(null=True, blank=True)
    analysis_attempts = models.PositiveSmallIntegerField(default=0)
    analysis_failed_at = models.DateTimeField(null=True, blank=True)
    analysis_error = models.CharField(max_length=200, blank=True)
    confirmation_queued_at = models.DateTimeField(null=True, blank=True)
    confirmation_attempts = models.PositiveSmallIntegerField(default=0)
    confirmation_failed_at = models.DateTimeField(null=True, blank=True)
    confirmation_error = models.CharField(max_length=200, blank=True)
    # The "now published" email (`notice`): the same tracking, so a broker outage at approval loses nothing.
    notice_queued_at = models.DateTimeField(null=True, blank=True)
    notice_attempts = models.PositiveSmallIntegerField(default=0)
    notice_failed_at = models.DateTimeField(null=True, blank=True)
    notice_error = models.CharField(max_length=200, blank=True)

    # workflow
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="testimonial_rating_1_to_5"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "in_review", "approved", "rejected", "withdrawn"]),
                name="testimonial_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(published_at__isnull=False),
                name="testimonial_approved_has_published_at",
            ),
        ]
        indexes = [
            # The public feed: approved, newest published first (cursor on published_at, id).
            models.Index(fields=["status", "-published_at", "-id"], name="testimonial_feed_idx"),
            # The feed filtered by clinic.
            models.Index(fields=["location", "status", "-published_at"], name="testimonial_loc_feed_idx"),
            # …and by therapist (a therapist with few testimonials must not mean reading the whole feed).
            models.Index(fields=["therapist", "status", "-published_at"], name="testimonial_thr_feed_idx"),
            # The moderation queue and the pending sweep: by status, oldest first (id breaks ties, so a
            # page of the admin queue is read straight off the index).
            models.Index(fields=["status", "created_at", "id"], name="testimonial_queue_idx"),
            # The queue with "All" states, and a search's results, oldest first.
            models.Index(fields=["created_at", "id"], name="testimonial_received_idx"),
            # The queue of one clinic (the clinic filter, a clinic manager's scope), oldest first.
            models.Index(fields=["location", "status", "created_at"], name="testimonial_loc_queue_idx"),
            # The queue filtered by detected language (2 % of rows are Spanish), oldest first.
            models.Index(fields=["language", "status", "created_at"], name="testimonial_language_idx"),
            # The admin search for an email address: exact, any case (`email__iexact` is UPPER(email) = UPPER(%s)).
            models.Index(Upper("email"), name="testimonial_email_upper_idx"),
            # The admin's word search on PostgreSQL uses trigram indexes (migration 0007, not in the model
            # state: SQLite has no GIN).
            # The `duplicate` flag: same normalised text already submitted.
            models.Index(fields=["fingerprint"], name="testimonial_fingerprint_idx"),
            # The daily expiry and renewal-reminder tasks: published rows by expiry date.
            models.Index(fields=["status", "consent_expires_at"], name="testimonial_expiry_idx"),
            # The sweep's confirmation emails never sent (few rows: most have been sent).
            models.Index(fields=["created_at"], condition=Q(confirmation_sent_at__isnull=True),
                         name="testimonial_unconfirmed_idx"),
        ]
        permissions = [("moderate_testimonial", "Can approve, reject and take down testimonials")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.display_name} – {self.location}"

    @property
    def display_name(self) -> str:
        """First name and last initial ("Stephanie M."), or "A patient at <clinic>"."""
        return display_name_of(first_name=self.first_name, last_name=self.last_name, display_as=self.display_as,
                               location_name=self.location.name)

    @property
    def public_condition(self) -> str:
        """The condition, only if the authorization the patient accepted names it."""
        return self.condition if self.condition_authorized else ""

    @property
    def is_redacted(self) -> bool:
        return bool(self.body_original) and self.body_original != self.body


class Authorization(models.Model):
    """One authorization a patient gave for a testimonial: the first with the submission, then each
    renewal. Kept for good (45 CFR 164.508(b)(6)); the testimonial's consent fields are the current one."""

    class Source(models.TextChoices):
        FORM = "form", _("Patient form")
        RENEWAL = "renewal", _("Renewal link")
        IMPORT = "import", _("Imported")
        DEMO = "demo", _("Demo data")

    testimonial = models.ForeignKey(Testimonial, on_delete=models.PROTECT, related_name="authorizations")
    version = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="The exact text the patient accepted.")
    language = models.CharField(max_length=8, default="en")
    given_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    source = models.CharField(max_length=8, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["testimonial_id", "given_at", "id"]
        indexes = [
            # A testimonial's authorizations, newest last (the admin and the renewal page).
            models.Index(fields=["testimonial", "given_at"], name="authorization_testimonial_idx"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.given_at:%Y-%m-%d} → {self.expires_at:%Y-%m-%d}"
class FeedCounter(models.Model):
    """How many testimonials (and, through `rating`, their rating sum) fall in one cell of the public
    filters, so counts per filter never scan the testimonials. Maintained by database triggers on
    reviews_testimonial and its tag links (migration 0003): no code path can skip them. Read by
    reviews/counters.py."""

    # 0 = the testimonial itself (counted once); a tag's id = one row per (testimonial, tag) link.
    tag_id = models.BigIntegerField()
    location_id = models.BigIntegerField()
    therapist_id = models.BigIntegerField()  # 0 = no therapist named
    rating = models.PositiveSmallIntegerField()
    published = models.BooleanField()  # approved; the others counted are received, not withdrawn
    # YYYYMM of published_at (UTC) when published, else 0. Each published testimonial is also
    # counted once more under -1 ("any month"), so reads without a date sum a few hundred cells.
    month = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # The triggers' upsert target; also serves every read, which fixes tag_id and a month
            # range: stats `WHERE tag_id = 0 AND month <= 0 AND location_id IN …`, published_after
            # `… AND month >= 0`, /locations/ and /tags/ `… AND month = -1`.
            models.UniqueConstraint(fields=["tag_id", "month", "location_id", "therapist_id", "rating", "published"],
                                    name="feedcounter_cell"),
        ]

    def __str__(self) -> str:
        return f"tag {self.tag_id} location {self.location_id} therapist {self.therapist_id} ★{self.rating}: {self.n}"
