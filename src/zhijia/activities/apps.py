from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "zhijia.activities"
    label = "activities"
    verbose_name = _("活动与兴趣小组")
