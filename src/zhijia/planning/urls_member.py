"""The member site's page of the circle: a member's own work location."""

from django.urls import path

from . import views

app_name = "planning_member"

urlpatterns = [
    path("work-location/", views.my_work_location, name="work_location"),
]
