"""The baseline for the load test: the smallest Django JSON view, served through the platform's own production
settings (same middleware, same database, same gunicorn config); only the URL map differs."""

from django.http import HttpRequest, JsonResponse
from django.urls import path


def ok(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("bare", ok)]
