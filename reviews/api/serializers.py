"""Public representations: only what may be published, named as in the contract.

The feed and the detail are written from flat rows (reviews.feed_query) by `testimonial_represent` (a
page of 20 costs one query for its rows and no model instances); `TestimonialSerializer` describes the same shape
for the OpenAPI schema (tests hold both to the contract's fields)."""
from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from reviews.models import Location, Tag, Testimonial, Therapist, display_name_of


def _moment(value: datetime, zone: tzinfo) -> str:
    """As DRF's DateTimeField writes it (in the current time zone, UTC as "Z"), without its per-call cost."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def testimonial_represent(row: dict[str, Any], zone: tzinfo | None = None) -> dict[str, Any]:
    """One approved testimonial as the public sees it, from a row of reviews.feed_query (last_name is
    read only to make the initial of display_name; it never leaves this function)."""
    therapist = None
    if row["therapist__slug"]:
        therapist = {"slug": row["therapist__slug"],
                     "name": f"{row['therapist__first_name']} {row['therapist__last_name']}"}
    return {
        "id": row["id"],
        "display_name": display_name_of(first_name=row["first_name"], last_name=row["last_name"],
                                        display_as=row["display_as"], location_name=row["location__name"]),
        "body": row["body"],
        "rating": row["rating"],
        "location": {"slug": row["location__slug"], "name": row["location__name"]},
        "therapist": therapist,
        "condition": row["condition"],
        "tags": row["tags"],
        "language": row["language"] or row["locale"],
        "published_at": _moment(row["published_at"], zone or timezone.get_current_timezone()),
    }


class LocationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["slug", "name"]


class TherapistRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Therapist
        fields = ["slug", "name"]


class TestimonialSerializer(serializers.ModelSerializer):
    """An approved testimonial. Email, last name, network data, sentiment, flags and status never appear."""

    display_name = serializers.CharField(read_only=True, help_text='First name and last initial ("Stephanie M."), '
                                                                   'or "A patient at <clinic>".')
    location = LocationRefSerializer(read_only=True)
    therapist = TherapistRefSerializer(read_only=True, allow_null=True)
    tags = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    # Published only when the authorization accepted names it (issue 7): never under version 1 or an import.
    condition = serializers.CharField(source="public_condition", read_only=True)
    language = serializers.CharField(read_only=True, help_text="Language of the text: `en` or `es`.")

    class Meta:
        model = Testimonial
        fields = ["id", "display_name", "body", "rating", "location", "therapist", "condition", "tags",
                  "language", "published_at"]
        read_only_fields = fields


class TestimonialDetailSerializer(TestimonialSerializer):
    """One approved testimonial, with its schema.org Review as JSON-LD to put in a page."""

    jsonld = serializers.JSONField(read_only=True, help_text="schema.org `Review` (no AggregateRating), ready for "
                                                             "a `<script type=\"application/ld+json\">`.")

    class Meta(TestimonialSerializer.Meta):
        fields = [*TestimonialSerializer.Meta.fields, "jsonld"]
        read_only_fields = fields


class LocationSerializer(serializers.ModelSerializer):
    published_count = serializers.IntegerField(read_only=True)
    average_rating = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Location
        fields = ["slug", "name", "town", "published_count", "average_rating"]


class TherapistSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    locations = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    published_count = serializers.IntegerField(read_only=True)
    average_rating = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Therapist
        fields = ["slug", "name", "credentials", "locations", "published_count", "average_rating"]


class TagSerializer(serializers.ModelSerializer):
    published_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Tag
        fields = ["slug", "name", "published_count"]


class StatsSerializer(serializers.Serializer):
    """Honest figures for the same filters as the list."""

    received_count = serializers.IntegerField(help_text="Testimonials received (any state but withdrawn).")
    published_count = serializers.IntegerField(help_text="Testimonials published now.")
    average_rating = serializers.FloatField(allow_null=True, help_text="Average rating of those received.")
    published_average_rating = serializers.FloatField(allow_null=True,
                                                      help_text="Average rating of those published.")
