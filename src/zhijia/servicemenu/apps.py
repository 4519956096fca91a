from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceMenuConfig(AppConfig):
    name = "zhijia.servicemenu"
    label = "servicemenu"
    verbose_name = _("点单式服务")
