from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "zhijia.accounts"
    label = "accounts"
    verbose_name = pgettext_lazy("plural", "账户")
