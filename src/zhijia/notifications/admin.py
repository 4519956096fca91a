from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "user", "created_at", "read_at"]
    list_filter = ("kind",)
    raw_id_fields = ("user",)
    readonly_fields = ("user", "kind", "title", "body", "link", "dedupe_key", "sms", "created_at", "read_at")
