from django.contrib import admin

from .models import StaffAssignment, StaffRole, User


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "org", "title"]
    raw_id_fields = ["user", "org"]
    inlines = [StaffRoleInline]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["username", "display_name", "kind", "is_active", "is_superuser"]
    list_filter = ["kind", "is_active"]
    search_fields = ["username", "display_name"]
    # The phone is shown masked only; revealing it goes through the console, which logs the reveal.
    exclude = ["password", "phone", "user_permissions", "groups"]
    readonly_fields = ["masked_phone", "last_login", "date_joined"]
