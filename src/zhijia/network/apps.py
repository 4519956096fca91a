from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .national_standards import national_standards_ensure


class NetworkConfig(AppConfig):
    name = "zhijia.network"
    label = "network"
    verbose_name = _("服务阵地")

    def ready(self) -> None:
        # The national standards must be in every database, also in one a flush has emptied (see the module).
        post_migrate.connect(national_standards_ensure, sender=self, dispatch_uid="network.national_standards")
