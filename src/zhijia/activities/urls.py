from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    # The member site: browse, an activity, my activities, interest groups.
    path("activities/", views.browse, name="browse"),
    path("activities/mine/", views.mine, name="mine"),
    path("activities/<int:activity_id>/", views.detail, name="detail"),
    path("activities/<int:activity_id>/register/", views.register, name="register"),
    path("activities/registrations/<int:registration_id>/cancel/", views.cancel, name="cancel"),
    path("activities/registrations/<int:registration_id>/accept/", views.accept, name="accept"),
    path("activities/registrations/<int:registration_id>/feedback/", views.feedback, name="feedback"),
    path("activities/groups/", views.groups, name="groups"),
    path("activities/groups/<int:group_id>/", views.group, name="group"),
    path("activities/groups/<int:group_id>/join/", views.group_join, name="group_join"),
    path("activities/groups/<int:group_id>/leave/", views.group_leave, name="group_leave"),
    # The console.
    path("console/activities/", views.console, name="console"),
    path("console/activities/new/", views.create, name="create"),
    path("console/activities/report/", views.report, name="report"),
    path("console/activities/<int:activity_id>/", views.registrations, name="registrations"),
    path("console/activities/<int:activity_id>/edit/", views.edit, name="edit"),
    path("console/activities/<int:activity_id>/cancel/", views.cancel_activity, name="cancel_activity"),
    path("console/activities/<int:activity_id>/checkin/", views.checkin, name="checkin"),
    path("console/activities/<int:activity_id>/feedback/", views.feedback_summary, name="feedback_summary"),
    path(
        "console/activities/registrations/<int:registration_id>/checkin/",
        views.checkin_by_hand,
        name="checkin_by_hand",
    ),
    path("console/activities/groups/", views.console_groups, name="console_groups"),
    path("console/activities/groups/new/", views.group_create, name="group_create"),
    path("console/activities/groups/<int:group_id>/", views.console_group, name="console_group"),
]
