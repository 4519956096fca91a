from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "zhijia.ratings"
    label = "ratings"
    verbose_name = _("评家与考评")

    def ready(self) -> None:
        # The network's pages show members' ratings; the network cannot import this app, so it is told here.
        from django.urls import reverse

        from zhijia.network.extensions import register_point_panel, register_rating_api, register_rating_source

        from .panels import point_panel, point_ratings

        register_point_panel(point_panel)
        register_rating_source(point_ratings)
        register_rating_api(lambda: reverse("api-v1:ratings_summaries"))
