"""The one error type of the platform. Services raise it; the API and pages turn it into a response.

Codes are stable identifiers (`org.move_into_own_subtree`); messages are for people and translated.
"""

from typing import Any


class ZhijiaError(Exception):
    """A refusal with a stable code, a human message and structured detail."""

    status = 400

    def __init__(self, code: str, message: str, *, detail: dict[str, Any] | None = None, status: int | None = None):
        super().__init__(code)
        self.code = code
        self.message = str(message)
        self.detail = detail or {}
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": self.detail}


class NotFound(ZhijiaError):
    """Missing and forbidden look the same from outside: both are 404."""

    status = 404

    def __init__(self, what: str = "object", message: str = "", *, detail: dict[str, Any] | None = None):
        from django.utils.translation import gettext

        super().__init__(f"{what}.not_found", message or gettext("找不到该记录，或您无权查看。"), detail=detail)


class PermissionDenied(ZhijiaError):
    """The actor can see the object but may not do this to it."""

    status = 403


class ValidationFailed(ZhijiaError):
    """Input that breaks a rule. `detail["field"]` names the field when there is one."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None, detail: dict[str, Any] | None = None):
        detail = dict(detail or {})
        if field:
            detail.setdefault("field", field)
        super().__init__(code, message, detail=detail)


class Conflict(ZhijiaError):
    status = 409
