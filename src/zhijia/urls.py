from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from .api import api

urlpatterns: list[URLPattern | URLResolver] = [
    # The front page first: it is asked for more than any other, and Django tries the patterns in order (its two
    # addresses, "" and "healthz", are claimed by nothing else).
    path("", include("zhijia.core.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("zhijia.accounts.urls")),
    path("console/", include("zhijia.organizations.urls")),
    path("console/audit/", include("zhijia.audit.urls")),
    path("console/jobs/", include("zhijia.jobs.urls")),
    path("console/planning/", include("zhijia.planning.urls")),
    path("console/roster/", include("zhijia.members.urls_roster")),
    path("", include("zhijia.members.urls")),
    path("", include("zhijia.network.urls")),
    path("", include("zhijia.notifications.urls")),
    path("", include("zhijia.points.urls")),
    path("", include("zhijia.bookings.urls")),
    path("", include("zhijia.servicemenu.urls")),
    path("", include("zhijia.planning.urls_member")),
    path("", include("zhijia.activities.urls")),
    path("", include("zhijia.ratings.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Inspection photos only: a job's result file (a full roster export, an import's rejected rows) holds personal
    # data and is downloaded through its job page, which checks who asks and audits it; never as a bare file.
    urlpatterns += static(f"{settings.MEDIA_URL}network/", document_root=Path(settings.MEDIA_ROOT) / "network")
