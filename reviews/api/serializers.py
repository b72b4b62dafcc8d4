"""Public representations: only what may be published, named as in the contract."""
from __future__ import annotations

from rest_framework import serializers

from reviews.models import Location, Testimonial, Therapist


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

    display_name = serializers.CharField(read_only=True)
    location = LocationRefSerializer(read_only=True)
    therapist = TherapistRefSerializer(read_only=True, allow_null=True)
    tags = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    # Published only when the authorization accepted names it (issue 7): never under version 1 or an import.
    condition = serializers.CharField(source="public_condition", read_only=True)

    class Meta:
        model = Testimonial
        fields = ["id", "display_name", "body", "rating", "location", "therapist", "condition", "tags",
                  "published_at"]
        read_only_fields = fields


class LocationSerializer(serializers.ModelSerializer):
    published_count = serializers.IntegerField(read_only=True)
    average_rating = serializers.SerializerMethodField()

    class Meta:
        model = Location
        fields = ["slug", "name", "town", "published_count", "average_rating"]

    def get_average_rating(self, obj: Location) -> float | None:
        return round(obj.average_rating, 2) if obj.average_rating is not None else None


class TherapistSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    locations = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    published_count = serializers.IntegerField(read_only=True)
    average_rating = serializers.SerializerMethodField()

    class Meta:
        model = Therapist
        fields = ["slug", "name", "credentials", "locations", "published_count", "average_rating"]

    def get_average_rating(self, obj: Therapist) -> float | None:
        return round(obj.average_rating, 2) if obj.average_rating is not None else None
