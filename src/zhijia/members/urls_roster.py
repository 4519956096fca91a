from django.urls import path

from . import views_roster

app_name = "roster_files"

urlpatterns = [
    path("import/", views_roster.roster_import, name="import"),
    path("import/template.xlsx", views_roster.roster_template, name="template"),
    path("export/", views_roster.roster_export, name="export"),
]
