from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "zhijia.points"
    label = "points"
    verbose_name = _("会员积分")

    def ready(self) -> None:
        # Joining earns points: members (below us) announces a new membership; we listen.
        from . import receivers  # noqa: F401
