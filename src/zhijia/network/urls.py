from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    # The member site: the finder and a point's page.
    path("network/", views.finder, name="finder"),
    path("network/points/<int:point_id>/", views.point, name="point"),
    # The console: the registry, points, hours, routes, inspections.
    path("console/network/", views.registry, name="registry"),
    path("console/network/overdue/", views.overdue, name="overdue"),
    path("console/network/new/", views.point_create, name="point_create"),
    path("console/network/<int:point_id>/", views.console_point, name="console_point"),
    path("console/network/<int:point_id>/edit/", views.point_edit, name="point_edit"),
    path("console/network/<int:point_id>/close/", views.point_close, name="point_close"),
    path("console/network/<int:point_id>/hours/", views.point_hours, name="point_hours"),
    path("console/network/<int:point_id>/stops/", views.stops, name="stops"),
    path("console/network/<int:point_id>/inspect/", views.inspect, name="inspect"),
    path("console/network/stops/<int:stop_id>/delete/", views.stop_delete, name="stop_delete"),
]
