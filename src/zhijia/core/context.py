"""Who is asking and from where, for the duration of one request or task (read by the audit log)."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None = None
    user_agent: str = ""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)


_current: contextvars.ContextVar[RequestMeta | None] = contextvars.ContextVar("zhijia_request", default=None)


def current() -> RequestMeta:
    return _current.get() or RequestMeta()


@contextmanager
def bound(meta: RequestMeta) -> Iterator[RequestMeta]:
    token = _current.set(meta)
    try:
        yield meta
    finally:
        _current.reset(token)
