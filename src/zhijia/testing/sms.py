"""Reading verification codes the way a person does: from the messages the local SMS sink sent to their phone; and
a stand-in for a provider's gateway, for the tests of the production settings."""

from typing import ClassVar

from zhijia.core.gateways.sms import outbox_messages


def last_code(phone: str) -> str:
    messages = outbox_messages(phone)
    assert messages, f"no SMS was sent to {phone}"
    return str(messages[-1]["params"]["code"])  # type: ignore[index]


class MemorySmsGateway:
    """A gateway that is not the local outbox, for tests of the production settings (as a provider's would be
    named by ZHIJIA_SMS_GATEWAY): it keeps what it is given in this process."""

    sent: ClassVar[list[dict[str, object]]] = []

    def send(self, *, phone: str, template: str, params: dict[str, str]) -> None:
        self.sent.append({"phone": phone, "template": template, "params": params})
