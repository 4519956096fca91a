"""The local SMS gateway: its log line names a masked phone and never the message's parameters (a verification code
is a secret); its outbox file is the development stand-in for the phone network."""

import logging

from zhijia.core.gateways.sms import ConsoleFileSmsGateway, outbox_messages


def test_the_log_line_has_a_masked_phone_and_no_code(sms_outbox, caplog):
    caplog.set_level(logging.DEBUG)

    ConsoleFileSmsGateway().send(phone="13812345678", template="sms.register", params={"code": "493817"})

    assert "138****5678" in caplog.text
    assert "13812345678" not in caplog.text
    assert "493817" not in caplog.text
    assert "sms.register" in caplog.text
    # the outbox (what the phone would have received) is the same as before: the demo and tests read codes there
    (message,) = outbox_messages("13812345678")
    assert message["params"] == {"code": "493817"}
