from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .national_catalogue import national_catalogue_ensure


class ServiceMenuConfig(AppConfig):
    name = "zhijia.servicemenu"
    label = "servicemenu"
    verbose_name = _("点单式服务")

    def ready(self) -> None:
        # The national catalogue must be in every database, also in one a flush has emptied (see the module).
        post_migrate.connect(national_catalogue_ensure, sender=self, dispatch_uid="servicemenu.national_catalogue")
