"""Who manages which clinic, in the admin: clinic assignments (on the user's page and a list of their own),
and the clinic-scoped versions of the reviews app's admins (clinics, therapists) so a clinic manager sees
only theirs. Registered here, not in reviews/admin.py, so the reviews app never imports moderation."""
from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest

from reviews.admin import LocationAdmin, StaffMemberAdmin, TagAdmin, TherapistAdmin
from reviews.models import Location, StaffMember, Tag, Therapist

from .admin_scope import ClinicScopedAdmin, SuperuserDeleteOnly
from .models import ClinicAssignment

User = get_user_model()


class ClinicAssignmentInline(admin.TabularInline):
    model = ClinicAssignment
    extra = 1
    verbose_name = "clinic this user manages"
    verbose_name_plural = ("clinics this user manages (for Clinic managers; Moderators and Viewers see every "
                           "clinic and need none)")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(ClinicAssignment)
class ClinicAssignmentAdmin(ClinicScopedAdmin, admin.ModelAdmin):
    list_display = ["user", "location"]
    list_filter = ["location"]
    list_select_related = ["user", "location"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "location__name"]
    autocomplete_fields = ["user"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(SuperuserDeleteOnly, UserAdmin):
    inlines = [*UserAdmin.inlines, ClinicAssignmentInline]
    list_display = [*UserAdmin.list_display, "roles"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roles")
    def roles(self, obj) -> str:
        return ", ".join(g.name for g in obj.groups.all()) or ("superuser" if obj.is_superuser else "—")


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(SuperuserDeleteOnly, GroupAdmin):
    pass


# The reviews app's admins, scoped: a clinic manager lists (and opens) only their clinics and the
# therapists working there; tags and staff are not per clinic. Nobody but a superuser deletes.
for model in (Location, Therapist, Tag, StaffMember):
    admin.site.unregister(model)


@admin.register(Location)
class ScopedLocationAdmin(ClinicScopedAdmin, LocationAdmin):
    scope_path = ""


@admin.register(Therapist)
class ScopedTherapistAdmin(ClinicScopedAdmin, TherapistAdmin):
    scope_path = "locations"
    scope_distinct = True


@admin.register(Tag)
class ScopedTagAdmin(SuperuserDeleteOnly, TagAdmin):
    pass


@admin.register(StaffMember)
class ScopedStaffMemberAdmin(SuperuserDeleteOnly, StaffMemberAdmin):
    pass
