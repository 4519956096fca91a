from django.urls import path

from . import views

app_name = "ratings"

urlpatterns = [
    # The member site: rate a home, the opinion window, what I wrote.
    path("network/points/<int:point_id>/rate/", views.rate, name="rate"),
    path("ratings/opinions/new/", views.opinion_new, name="opinion_new"),
    path("ratings/mine/", views.mine, name="mine"),
    path("network/points/<int:point_id>/lists/", views.point_lists, name="point_lists"),
    path("ratings/needs/new/", views.need_new, name="need_new"),
    # The console.
    path("console/ratings/", views.console, name="console"),
    path("console/ratings/<int:rating_id>/reply/", views.rating_reply, name="rating_reply"),
    path("console/ratings/opinions/", views.opinions, name="opinions"),
    path("console/ratings/opinions/<int:opinion_id>/", views.opinion, name="opinion"),
    path("console/ratings/stars/", views.stars, name="stars"),
    path("console/ratings/stars/scheme/", views.scheme, name="scheme"),
    path("console/ratings/stars/rules/", views.rules, name="rules"),
    path("console/ratings/stars/<int:point_id>/", views.star_home, name="star_home"),
    path("console/ratings/evaluations/", views.evaluations, name="evaluations"),
    path("console/ratings/evaluations/<int:evaluation_id>/", views.evaluation, name="evaluation"),
    path("console/ratings/evaluation-homes/<int:home_id>/", views.evaluation_home, name="evaluation_home"),
    path(
        "console/ratings/evaluations/<int:evaluation_id>/finalise/",
        views.evaluation_finalise,
        name="evaluation_finalise",
    ),
    path("console/ratings/evaluations/<int:evaluation_id>/xlsx/", views.evaluation_xlsx, name="evaluation_xlsx"),
    path("console/ratings/needs/", views.needs, name="needs"),
    path("console/ratings/needs/<int:need_id>/close/", views.need_close, name="need_close"),
    path("console/ratings/points/<int:point_id>/resources/", views.resource_add, name="resource_add"),
    path("console/ratings/awards/", views.awards, name="awards"),
    path("console/ratings/awards/<int:award_list_id>/", views.award, name="award"),
    path("console/ratings/awards/<int:award_list_id>/xlsx/", views.award_xlsx, name="award_xlsx"),
]
