from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orgs/", views.tree, name="tree"),
    path("orgs/<int:org_id>/", views.org_detail, name="detail"),
    path("orgs/<int:org_id>/children/", views.children_fragment, name="children"),
    path("orgs/<int:org_id>/export/", views.export, name="export"),
    path("orgs/<int:org_id>/manage/", views.manage, name="manage"),
]
