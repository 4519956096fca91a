from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Employer, Organization


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ["name", "code", "kind", "level", "is_active"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "code"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "headcount", "union"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["located_in", "union"]
