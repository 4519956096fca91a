"""The member site's front page and the health check."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

# Stands for the visitor's CSRF token in the cached page; each answer puts its own token in its place.
CSRF_SLOT = "zhijia-csrf-slot-7d41c9a2"


def home(request: HttpRequest) -> HttpResponse:
    """The front page. Every anonymous visitor of one language gets the same page but for the CSRF token, so each
    process renders it once per language and serves it for HOME_CACHE_SECONDS (the "local" cache), with the
    visitor's own token put in. Signed-in members get it rendered for them (the body's fragment is cached the same
    way in the template). Whatever is added to this page for anonymous visitors must be the same for all of them."""
    if not _same_for_every_anonymous_visitor(request):
        return render(request, "core/home.html")
    cache = caches["local"]
    key = f"core.home.anonymous:{get_language()}"
    page = cache.get(key)
    if page is None:
        page = render_to_string("core/home.html", {"csrf_token": CSRF_SLOT}, request)
        cache.set(key, page, settings.HOME_CACHE_SECONDS)
    return HttpResponse(page.replace(CSRF_SLOT, get_token(request)))


def _same_for_every_anonymous_visitor(request: HttpRequest) -> bool:
    """An anonymous GET of the bare address (the language form sends the visitor back to the full path) with no
    message waiting to be shown."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
        and len(get_messages(request)) == 0
    )


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
