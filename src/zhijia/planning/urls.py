from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.circle, name="circle"),
    path("runs/new/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/sites/", views.sites, name="sites"),
    path("suggestions/<int:suggestion_id>/accept/", views.accept, name="accept"),
    path("imports/", views.imports, name="imports"),
]
