"""Shared helpers for pages: turning a ZhijiaError into a page or into a form's error, and requiring a staff scope."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import ZhijiaError
from .roles import Perm
from .scope import scope_for


def staff_page(perm: Perm) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A console page: sign-in required, the permission required (404 otherwise), errors shown in Chinese."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                scope_for(request.user).require(perm)
                return view(request, *args, **kwargs)
            except ZhijiaError as exc:
                return error_page(request, exc)

        return wrapper

    return decorate


def error_page(request: HttpRequest, exc: ZhijiaError) -> HttpResponse:
    return render(request, "core/error.html", {"error": exc}, status=exc.status)


def show_on_form(
    form: Any,
    exc: ZhijiaError,
    *,
    fallback: str | None = None,
    on_field: bool = True,
    raise_for: tuple[int, ...] = (403, 404),
) -> None:
    """A service's refusal of a form's write, shown on the form: on the field the refusal names when the form has it
    (and `on_field`), else on `fallback` (None: above the form). A refusal with a status in `raise_for` is not the
    form's business: it is raised again (on a console page, for `staff_page` to answer with the error page)."""
    if exc.status in raise_for:
        raise exc
    field = exc.detail.get("field") if on_field else None
    form.add_error(field if field in form.fields else fallback, exc.message)
