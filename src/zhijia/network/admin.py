"""Django admin for the service network: read-mostly views for the platform's operators. Staff work in the console,
where every write goes through the services (scope and audit)."""

from django.contrib import admin

from .models import Inspection, MobileStop, ServicePoint, Standard, StandardItem


class StandardItemInline(admin.TabularInline):
    model = StandardItem
    extra = 0


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "applies_to", "owner", "inspection_interval_days", "is_active"]
    list_filter = ["applies_to", "is_active"]
    raw_id_fields = ["owner"]
    inlines = [StandardItemInline]


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "home_subtype", "status", "owner", "next_inspection_due"]
    list_filter = ["kind", "status", "home_subtype"]
    search_fields = ["name", "code", "address"]
    raw_id_fields = ["owner", "standard", "latest_inspection"]
    readonly_fields = ["latest_inspection", "next_inspection_due", "created_at", "updated_at"]


@admin.register(MobileStop)
class MobileStopAdmin(admin.ModelAdmin):
    list_display = ["site", "point", "repeat", "starts_on", "ends_on"]
    raw_id_fields = ["point"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["point", "inspected_at", "passed", "inspector"]
    list_filter = ["passed"]
    raw_id_fields = ["point", "inspector", "standard"]
