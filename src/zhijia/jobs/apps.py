from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class JobsConfig(AppConfig):
    name = "zhijia.jobs"
    label = "jobs"
    verbose_name = pgettext_lazy("plural", "后台任务")
