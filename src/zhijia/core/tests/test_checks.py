"""The project's own deploy checks: production must not send its text messages into the local outbox file."""

from django.core.checks import Error as CheckError
from django.core.checks import Warning as CheckWarning

from zhijia.core.checks import check_sms_gateway


def test_the_deploy_check_warns_while_the_local_gateway_sends_the_messages(settings):
    settings.SMS_GATEWAY = "zhijia.core.gateways.sms.ConsoleFileSmsGateway"

    (warning,) = check_sms_gateway(app_configs=None)

    assert isinstance(warning, CheckWarning)
    assert warning.id == "zhijia.W001"
    assert "ZHIJIA_SMS_GATEWAY" in (warning.hint or "")


def test_the_deploy_check_is_quiet_with_a_providers_gateway(settings):
    settings.SMS_GATEWAY = "zhijia.testing.sms.MemorySmsGateway"

    assert check_sms_gateway(app_configs=None) == []


def test_the_deploy_check_refuses_a_gateway_that_cannot_be_loaded(settings):
    settings.SMS_GATEWAY = "zhijia.core.gateways.sms.NoSuchGateway"

    (error,) = check_sms_gateway(app_configs=None)

    assert isinstance(error, CheckError)
    assert error.id == "zhijia.E001"
