from django.urls import path

from . import views

app_name = "points"

urlpatterns = [
    # The member site.
    path("points/", views.mine, name="mine"),
    path("points/items/<int:item_id>/redeem/", views.redeem, name="redeem"),
    path("points/redemptions/", views.redemptions, name="redemptions"),
    path("points/redemptions/<int:redemption_id>/", views.redemption, name="redemption"),
    path("points/redemptions/<int:redemption_id>/cancel/", views.redemption_cancel, name="redemption_cancel"),
    # The console.
    path("console/points/", views.console, name="console"),
    path("console/points/rules/", views.rules, name="rules"),
    path("console/points/rules/<int:rule_id>/disable/", views.rule_disable, name="rule_disable"),
    path("console/points/items/", views.items, name="items"),
    path("console/points/items/<int:item_id>/", views.item_edit, name="item_edit"),
    path("console/points/merchants/", views.merchants, name="merchants"),
    path("console/points/volunteer/", views.volunteer, name="volunteer"),
    path("console/points/verify/", views.verify, name="verify"),
    path("console/points/redemptions/<int:redemption_id>/use/", views.use, name="use"),
]
