from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "zhijia.planning"
    label = "planning"
    verbose_name = _("服务圈规划")
    default_auto_field = "django.db.models.BigAutoField"
