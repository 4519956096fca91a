"""The SMS gateway. The default sink writes each message to a JSON-lines outbox file (and a line without the
number or the message's parameters to the log), so the platform runs and is tested with no network; a real provider
implements the same protocol, named by SMS_GATEWAY (the deploy check warns while production uses the outbox)."""

from __future__ import annotations

import json
import logging
import threading
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from zhijia.core.pii import mask_phone

logger = logging.getLogger(__name__)


class SmsGateway(Protocol):
    def send(self, *, phone: str, template: str, params: dict[str, str]) -> None: ...


class ConsoleFileSmsGateway:
    _lock = threading.Lock()

    def send(self, *, phone: str, template: str, params: dict[str, str]) -> None:
        record = {"at": timezone.now().isoformat(), "phone": phone, "template": template, "params": params}
        # The parameters may be a verification code, a secret: the log names the template and a masked number only.
        logger.info("SMS %s to %s", template, mask_phone(phone))
        path = settings.SMS_OUTBOX
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


@cache
def _gateway(path: str) -> SmsGateway:
    gateway: SmsGateway = import_string(path)()
    return gateway


def get_sms_gateway() -> SmsGateway:
    return _gateway(settings.SMS_GATEWAY)


def outbox_messages(phone: str | None = None) -> list[dict[str, object]]:
    """What the local sink has sent (newest last); the demo and tests read codes from here."""
    path = settings.SMS_OUTBOX
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if phone is None or r["phone"] == phone]
