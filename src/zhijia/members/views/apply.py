"""Joining on the member site: the application form (with its dependent place selects, employer search and SMS code),
the personal-information rules it asks consent to, and the status page that follows the review live."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.accounts.services import sms_code_send
from zhijia.core.errors import NotFound, ZhijiaError
from zhijia.core.ids import int_from_text
from zhijia.core.pages import error_page
from zhijia.core.pii import normalize_phone
from zhijia.organizations.models import Organization, OrgKind

from .. import selectors, services
from ..forms import ApplyForm
from ..models import Application

PLACE_PREFIXES = ("work", "live")
# htmx polls the status this often while the application waits for review.
STATUS_POLL_SECONDS = 3
EMPLOYER_RESULTS = 10


def _place(place_id: int | None, kinds: tuple[str, ...]) -> Organization | None:
    if place_id is None:
        return None
    try:
        place = selectors.place_get(place_id=place_id)
    except NotFound:
        return None
    return place if place.kind in kinds else None


def place_selects(prefix: str, data: Any) -> dict[str, Any]:
    """The district → street → community selects for where the applicant works (or lives), from the submitted
    values. A choice that no longer lies under the one above it (the district was changed) is dropped."""
    districts = [(city, list(selectors.place_list(parent_id=city.pk))) for city in selectors.place_list()]
    street = _place(int_from_text(data.get(f"{prefix}_street_id")), (OrgKind.STREET_FEDERATION,))
    community = _place(int_from_text(data.get(f"{prefix}_community_id")), (OrgKind.COMMUNITY, OrgKind.VILLAGE))
    chosen = int_from_text(data.get(f"{prefix}_district"))
    district = None
    for _city, options in districts:
        for option in options:
            if option.pk == chosen or (chosen is None and street is not None and street.path.startswith(option.path)):
                district = option
    if street is not None and (district is None or not street.path.startswith(district.path)):
        street = None
    if community is not None and (street is None or not community.path.startswith(street.path)):
        community = None
    streets = (
        [s for s in selectors.place_list(parent_id=district.pk) if s.kind == OrgKind.STREET_FEDERATION]
        if district
        else []
    )
    communities = list(selectors.place_list(parent_id=street.pk)) if street else []
    return {
        "prefix": prefix,
        "districts": districts,
        "streets": streets,
        "communities": communities,
        "district_id": district.pk if district else None,
        "street_id": street.pk if street else None,
        "community_id": community.pk if community else None,
    }


def _employer(employer_id: int | None) -> Any:
    return selectors.employer_public_get(employer_id=employer_id) if employer_id else None


def _field_of(exc: ZhijiaError, form: ApplyForm) -> str | None:
    field = str(exc.detail.get("field", ""))
    # The SMS service names its own field "code"; on this form it is sms_code.
    field = {"code": "sms_code"}.get(field, field)
    return field if field in form.fields else None


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    membership = selectors.my_membership(actor=request.user)
    # A member who opens the form is shown their card; a form sent anyway goes to the service, which names the union
    # that holds the membership.
    if membership is not None and request.method != "POST":
        messages.info(request, _("您已是“%(union)s”的会员。") % {"union": membership.union.name})
        return redirect("members:card")
    mine = list(selectors.my_applications(actor=request.user)[:10])
    waiting = next((a for a in mine if a.status == Application.Status.SUBMITTED), None)
    if waiting is not None and request.method != "POST":
        return redirect("members:application_status", application_id=waiting.pk)
    account_phone = getattr(request.user, "phone", "") or ""
    form = ApplyForm(request.POST or None, initial={"phone": account_phone})
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(actor=request.user, **form.service_data())
        except ZhijiaError as exc:
            form.add_error(_field_of(exc, form), exc.message)
        else:
            return redirect("members:application_status", application_id=application.pk)
    data = request.POST if request.method == "POST" else {}
    phone = normalize_phone(str(data.get("phone", account_phone)))
    employer = _employer(int_from_text(data.get("employer_id")))
    return render(
        request,
        "members/apply.html",
        {
            "form": form,
            "work": place_selects("work", data),
            "live": place_selects("live", data),
            "employer": employer,
            "chosen_employers": [employer] if employer else [],
            "account_phone": account_phone,
            "needs_code": bool(phone) and phone != normalize_phone(account_phone),
            "past": [a for a in mine if a.status != Application.Status.SUBMITTED],
        },
    )


def apply_places(request: HttpRequest) -> HttpResponse:
    """The place selects again, for the district or street just chosen (htmx swaps them in)."""
    prefix = request.GET.get("prefix", "")
    if prefix not in PLACE_PREFIXES:
        raise Http404
    return render(request, "members/_place_selects.html", {"p": place_selects(prefix, request.GET)})


def apply_employers(request: HttpRequest) -> HttpResponse:
    """Employers whose name contains what the applicant typed, as radio buttons (the chosen one stays on top)."""
    term = request.GET.get("employer_q", "").strip()[:60]
    selected = _employer(int_from_text(request.GET.get("employer_id")))
    found = list(selectors.employer_search(search=term)[:EMPLOYER_RESULTS]) if term else []
    employers = ([selected] if selected else []) + [e for e in found if not selected or e.pk != selected.pk]
    return render(
        request,
        "members/_employer_results.html",
        {"employers": employers, "selected_id": selected.pk if selected else None, "q": term},
    )


@require_POST
@login_required
def apply_code(request: HttpRequest) -> HttpResponse:
    """Send a code to a phone other than the account's own, which the application then proves with it."""
    try:
        sms_code_send(phone=request.POST.get("phone", ""), purpose="verify_phone")
        message, ok = _("验证码已发送，5 分钟内有效。"), True
    except ZhijiaError as exc:
        message, ok = exc.message, False
    return render(request, "members/_code_status.html", {"message": message, "ok": ok})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "members/privacy.html", {"version": services.CONSENT_VERSION})


def _application_or_error(request: HttpRequest, application_id: int) -> Application | HttpResponse:
    try:
        return selectors.application_get(actor=request.user, application_id=application_id)
    except ZhijiaError as exc:
        return error_page(request, exc)


@login_required
def application_status(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application_or_error(request, application_id)
    if isinstance(application, HttpResponse):
        return application
    return render(
        request, "members/application_status.html", {"application": application, "poll_seconds": STATUS_POLL_SECONDS}
    )


@login_required
def application_progress(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application_or_error(request, application_id)
    if isinstance(application, HttpResponse):
        return application
    response = render(request, "members/_application_progress.html", {"application": application})
    if application.status != Application.Status.SUBMITTED:
        response.status_code = 286  # htmx stops polling
    return response


@require_POST
@login_required
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    try:
        services.application_withdraw(actor=request.user, application_id=application_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    messages.success(request, _("已撤回入会申请。"))
    return redirect("members:apply")
