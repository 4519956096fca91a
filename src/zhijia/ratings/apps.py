from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .national_criteria import national_criteria_ensure


class RatingsConfig(AppConfig):
    name = "zhijia.ratings"
    label = "ratings"
    verbose_name = _("评家与考评")

    def ready(self) -> None:
        # The national criteria must be in every database, also in one a flush has emptied (see the module).
        post_migrate.connect(national_criteria_ensure, sender=self, dispatch_uid="ratings.national_criteria")

        # The network's pages show members' ratings; the network cannot import this app, so it is told here.
        from django.urls import reverse

        from zhijia.network.extensions import register_point_panel, register_rating_api, register_rating_source

        from .panels import point_panel, point_ratings

        register_point_panel(point_panel)
        register_rating_source(point_ratings)
        register_rating_api(lambda: reverse("api-v1:ratings_summaries"))
