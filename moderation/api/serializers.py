"""What a moderator sees of a testimonial over the API: what the admin's queue and page show, minus
the author's email and surname (the API needs neither to decide; they stay in the admin)."""
from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from reviews.models import Testimonial

from ..models import Flag, RejectionReason
from ..workflow import ALLOWED

S = Testimonial.Status


class PlaceSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class FlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Flag
        fields = ["code", "severity", "message", "start", "end"]


class QueueItemSerializer(serializers.ModelSerializer):
    """One row of the queue."""

    display_name = serializers.CharField(read_only=True)
    location = PlaceSerializer(read_only=True)
    therapist = PlaceSerializer(read_only=True, allow_null=True)
    sentiment = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()
    waiting_days = serializers.SerializerMethodField()

    class Meta:
        model = Testimonial
        fields = ["id", "status", "display_name", "rating", "body", "location", "therapist", "language",
                  "sentiment", "flags", "created_at", "waiting_days"]

    def get_sentiment(self, obj: Testimonial) -> str | None:
        analysis = getattr(obj, "analysis", None)
        return analysis.label if analysis else None

    def get_flags(self, obj: Testimonial) -> list[str]:
        """The flag codes, sorted, once each."""
        return sorted({flag.code for flag in obj.flags.all()})

    def get_waiting_days(self, obj: Testimonial) -> int:
        """Whole days since it was received."""
        return (timezone.now() - obj.created_at).days


class SentimentSerializer(serializers.Serializer):
    label = serializers.CharField()
    compound = serializers.FloatField()
    pos = serializers.FloatField()
    neu = serializers.FloatField()
    neg = serializers.FloatField()
    sentences = serializers.ListField(child=serializers.DictField())


class TestimonialAnalysisSerializer(QueueItemSerializer):
    """One testimonial with its analysis and what may be done with it."""

    flags = FlagSerializer(many=True, read_only=True)
    sentiment = serializers.SerializerMethodField()
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    therapists_mentioned = serializers.SerializerMethodField()
    outcome_claims = serializers.SerializerMethodField()
    allowed_moves = serializers.SerializerMethodField()
    unresolved_high_flags = serializers.SerializerMethodField()

    class Meta(QueueItemSerializer.Meta):
        fields = [*QueueItemSerializer.Meta.fields, "condition", "tags", "therapists_mentioned", "outcome_claims",
                  "is_redacted", "consent_expires_at", "published_at", "allowed_moves", "unresolved_high_flags"]

    def get_sentiment(self, obj: Testimonial) -> dict | None:  # type: ignore[override]
        analysis = getattr(obj, "analysis", None)
        if analysis is None:
            return None
        return {"label": analysis.label, "compound": analysis.compound, "pos": analysis.pos, "neu": analysis.neu,
                "neg": analysis.neg, "sentences": analysis.sentences}

    def get_therapists_mentioned(self, obj: Testimonial) -> list[str]:
        analysis = getattr(obj, "analysis", None)
        return list(analysis.therapists_mentioned) if analysis else []

    def get_outcome_claims(self, obj: Testimonial) -> list[dict]:
        analysis = getattr(obj, "analysis", None)
        return list(analysis.outcome_claims) if analysis else []

    def get_allowed_moves(self, obj: Testimonial) -> list[str]:
        """The states it may move to from here (withdrawal is the patient's, never offered)."""
        return sorted(ALLOWED.get(obj.status, frozenset()) - {S.WITHDRAWN})

    def get_unresolved_high_flags(self, obj: Testimonial) -> list[str]:
        """High-severity codes: approving needs `confirm_flags` and a note while any remain."""
        return sorted({flag.code for flag in obj.flags.all() if flag.severity == Flag.Severity.HIGH})


class ApproveSerializer(serializers.Serializer):
    expected_status = serializers.ChoiceField(choices=S.choices, help_text="The state you saw (e.g. in_review).")
    confirm_flags = serializers.BooleanField(default=False,
                                             help_text="Publish despite unresolved high-severity flags (needs a note).")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, data: dict) -> dict:
        if data["confirm_flags"] and not data["note"].strip():
            raise serializers.ValidationError(
                {"note": ["Approving despite high-severity flags needs a note saying why."]})
        return data


class RejectSerializer(serializers.Serializer):
    expected_status = serializers.ChoiceField(choices=S.choices, help_text="The state you saw.")
    reason = serializers.ChoiceField(choices=RejectionReason.choices, help_text="A content ground, never the rating.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
