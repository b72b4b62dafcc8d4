"""Clinics and therapists, kept by staff."""
from __future__ import annotations

from django.contrib import admin

from .models import Location, StaffMember, Tag, Therapist


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "address", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "town", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Therapist)
class TherapistAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "slug", "is_active"]
    list_filter = ["is_active", "locations"]
    search_fields = ["first_name", "last_name", "slug"]
    filter_horizontal = ["locations"]
    prepopulated_fields = {"slug": ["first_name", "last_name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["first_name", "last_name", "role"]
