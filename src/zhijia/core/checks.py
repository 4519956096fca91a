"""The platform's own system checks (`zhijia check --deploy`): what Django's deploy checks cannot know about."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from .gateways.sms import ConsoleFileSmsGateway


@checks.register(checks.Tags.security, deploy=True)
def check_sms_gateway(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """The local outbox sends nothing to any phone and keeps every number and code in a plain file: fine for
    development, the demo and tests, never for production."""
    try:
        gateway = import_string(settings.SMS_GATEWAY)
    except ImportError:
        return [
            checks.Error(
                f"SMS_GATEWAY ({settings.SMS_GATEWAY}) cannot be imported.",
                hint="Set ZHIJIA_SMS_GATEWAY to the dotted path of the SMS provider's gateway class.",
                id="zhijia.E001",
            )
        ]
    if isinstance(gateway, type) and issubclass(gateway, ConsoleFileSmsGateway):
        return [
            checks.Warning(
                "Text messages go to the local outbox file (SMS_OUTBOX), not to phones; the file keeps phone "
                "numbers and verification codes in the clear.",
                hint="Set ZHIJIA_SMS_GATEWAY to the dotted path of the SMS provider's gateway class "
                "(zhijia.core.gateways.sms.SmsGateway), see docs/deploy.md.",
                id="zhijia.W001",
            )
        ]
    return []
