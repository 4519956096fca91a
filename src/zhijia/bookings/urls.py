from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    # The member site.
    path("bookings/points/<int:point_id>/", views.point_venues, name="point_venues"),
    path("bookings/venues/<int:venue_id>/", views.venue, name="venue"),
    path("bookings/venues/<int:venue_id>/book/", views.book, name="book"),
    path("bookings/venues/<int:venue_id>/waitlist/", views.waitlist_join, name="waitlist_join"),
    path("bookings/mine/", views.mine, name="mine"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:booking_id>/accept/", views.accept, name="accept"),
    path("bookings/waitlist/<int:entry_id>/leave/", views.waitlist_leave, name="waitlist_leave"),
    # The console.
    path("console/bookings/", views.console_venues, name="console_venues"),
    path("console/bookings/points/<int:point_id>/new/", views.venue_create, name="venue_create"),
    path("console/bookings/points/<int:point_id>/scanner/", views.scanner, name="scanner"),
    path("console/bookings/venues/<int:venue_id>/", views.venue_day, name="venue_day"),
    path("console/bookings/venues/<int:venue_id>/edit/", views.venue_edit, name="venue_edit"),
    path("console/bookings/no-shows/", views.no_shows, name="no_shows"),
    path("console/bookings/suspensions/<int:suspension_id>/lift/", views.suspension_lift, name="suspension_lift"),
    path("console/bookings/report/", views.report, name="report"),
    path("console/bookings/policy/<int:org_id>/", views.policy, name="policy"),
]
