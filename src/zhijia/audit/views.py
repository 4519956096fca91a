"""The audit log page: the events of the actor's subtree, newest first."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhijia.core.pages import staff_page
from zhijia.core.roles import Perm

from .selectors import audit_event_list


@staff_page(Perm.AUDIT_VIEW)
def event_list(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "").strip() or None
    events = audit_event_list(actor=request.user, action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "action": action or ""})
