from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "zhijia.accounts"
    label = "accounts"
    verbose_name = pgettext_lazy("plural", "账户")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the token cache's receivers)
