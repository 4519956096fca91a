from django.urls import path

from . import views

app_name = "servicemenu"

urlpatterns = [
    # The member site: a point's services, ordering, my orders.
    path("network/points/<int:point_id>/services/", views.point_services, name="point_services"),
    path("services/<int:offering_id>/order/", views.order_create, name="order_create"),
    path("my/orders/", views.my_orders, name="my_orders"),
    path("my/orders/rows/", views.my_orders_rows, name="my_orders_rows"),
    path("my/orders/<int:order_id>/confirm/", views.order_confirm, name="order_confirm"),
    path("my/orders/<int:order_id>/cancel/", views.order_cancel, name="order_cancel"),
    # The console: menus, the catalogue, the order queue, an order's steps, the report.
    path("console/servicemenu/", views.menu, name="menu"),
    path("console/servicemenu/catalogue/", views.catalogue, name="catalogue"),
    path("console/servicemenu/points/<int:point_id>/", views.point_menu, name="point_menu"),
    path("console/servicemenu/offerings/<int:offering_id>/edit/", views.offering_edit, name="offering_edit"),
    path("console/servicemenu/orders/", views.queue, name="queue"),
    path("console/servicemenu/orders/<int:order_id>/", views.order_detail, name="order_detail"),
    path("console/servicemenu/orders/<int:order_id>/accept/", views.order_accept, name="order_accept"),
    path("console/servicemenu/orders/<int:order_id>/decline/", views.order_decline, name="order_decline"),
    path("console/servicemenu/orders/<int:order_id>/schedule/", views.order_schedule, name="order_schedule"),
    path("console/servicemenu/orders/<int:order_id>/complete/", views.order_complete, name="order_complete"),
    path("console/servicemenu/report/", views.report, name="report"),
]
