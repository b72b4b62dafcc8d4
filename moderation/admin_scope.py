"""Roles in the admin: every page a user can reach shows only the clinics in their scope (moderation/scope.py),
an object of another clinic is a 404 (its existence is not confirmed), filters offer only the user's
clinics and therapists, and nobody but a superuser deletes anything.

Each ModelAdmin names the path from its model to a clinic (`scope_path`); the mixin does the rest."""
from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from reviews.models import Therapist

from . import scope
from .admin_filters import FlagFilter
from .models import Flag


def location_ids_lookup(path: str) -> str:
    """`location` → `location__in`; `` (the model is a Location) → `pk__in`."""
    return f"{path}__in" if path else "pk__in"


class ScopedLocationFilter(admin.RelatedFieldListFilter):
    """The clinic filter lists only the user's clinics."""

    def field_choices(self, field, request, model_admin):
        return [(loc.pk, str(loc)) for loc in scope.locations_for(request.user).order_by("name")]


class ScopedTherapistFilter(admin.RelatedFieldListFilter):
    """The therapist filter lists only therapists who work at one of the user's clinics."""

    def field_choices(self, field, request, model_admin):
        therapists = Therapist.objects.order_by("last_name", "first_name")
        ids = scope.clinic_ids(request.user)
        if ids is not None:
            therapists = therapists.filter(locations__in=ids).distinct()
        return [(t.pk, str(t)) for t in therapists]


class ScopedFlagFilter(FlagFilter):
    """The flag filter offers only codes found on the user's clinics' testimonials."""

    def lookups(self, request, model_admin):
        choices = list(super().lookups(request, model_admin))
        ids = scope.clinic_ids(request.user)
        if ids is None:
            return choices
        present = set(Flag.objects.filter(testimonial__location_id__in=ids).values_list("code", flat=True).distinct())
        return [(value, label) for value, label in choices if value == "none" or value in present]


# list_filter entries (a field name or a filter class) given a scoped filter, whatever else a ModelAdmin lists.
SCOPED_FILTERS = {"location": ScopedLocationFilter, "locations": ScopedLocationFilter,
                  "therapist": ScopedTherapistFilter}
SCOPED_FILTER_CLASSES = {FlagFilter: ScopedFlagFilter}


class ReadOnlyTabularInline(admin.TabularInline):
    """Rows shown under their parent for the record: nobody adds, edits or deletes them there."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class SuperuserDeleteOnly:
    """Only superusers delete; everyone else rejects, takes down, unassigns or purges fields instead."""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class ClinicScopedAdmin(SuperuserDeleteOnly):
    """A ModelAdmin mixin: rows outside the user's clinics are neither listed nor reachable by URL."""

    # The lookup from this model to its Location: "location", "testimonial__location", "" for Location itself.
    scope_path = "location"
    # Set when one row can reach several clinics (a therapist works at several): de-duplicates the list.
    scope_distinct = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope_queryset(request, super().get_queryset(request))

    def scope_queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        ids = scope.clinic_ids(request.user)
        if ids is None:
            return queryset
        queryset = queryset.filter(**{location_ids_lookup(self.scope_path): ids})
        return queryset.distinct() if self.scope_distinct else queryset

    def get_list_filter(self, request: HttpRequest):
        def scoped(entry):
            if isinstance(entry, str) and entry in SCOPED_FILTERS:
                return entry, SCOPED_FILTERS[entry]
            return SCOPED_FILTER_CLASSES.get(entry, entry) if isinstance(entry, type) else entry

        return [scoped(entry) for entry in super().get_list_filter(request)]

    def _in_scope_or_404(self, request: HttpRequest, object_id: str | None) -> None:
        # Django's admin answers a missing object with a redirect and "doesn't exist": here an object of
        # another clinic (or none at all) is a plain 404, the same answer for both.
        if object_id is not None and self.get_object(request, admin.utils.unquote(object_id)) is None:
            raise Http404("No such object in your clinics.")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)
