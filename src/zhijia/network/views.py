"""Pages of the service network. On the member site: the nearest finder and a point's page. In the console: the
registry (table and map), a point's record with its inspections, create/edit/close, hours, a mobile home's route,
recording an inspection, and the overdue list. Staff reach only the points of their own subtree (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core.errors import ZhijiaError
from zhijia.core.pages import error_page, staff_page
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.divisions import area_centroids
from zhijia.organizations.models import Organization, OrgKind

from . import extensions, routes, selectors, services
from .coords import CoordSystem, from_wgs84, gcj02_to_wgs84, to_wgs84
from .forms import FinderForm, HoursForm, InspectionForm, PointForm, RegistryFilterForm, StopForm
from .geo import travel_minutes
from .hours import HOLIDAY, fmt_minute, fmt_spans
from .models import DAY_CHOICES, Facility, PointKind

# Where the maps open when there is nothing to centre on: Tiananmen, WGS-84.
DEFAULT_CENTRE = (116.3913, 39.9075)


def _kind_labels() -> dict[str, str]:
    return {k: str(label) for k, label in PointKind.choices}


def _facility_labels() -> dict[str, str]:
    return {k: str(label) for k, label in Facility.choices}


def _districts() -> list[dict[str, Any]]:
    """The district centres of the divisions in the tree (city districts the platform knows), as map landmarks.
    The published centroids are GCJ-02; the maps draw WGS-84. No outlines: the project ships no boundaries."""
    codes = dict(
        Organization.objects.filter(kind=OrgKind.DISTRICT_FEDERATION).values_list("division_code", "name")[:400]
    )
    if not codes:
        return []
    out = []
    for code, (lng, lat) in area_centroids().items():
        if code in codes:
            w_lng, w_lat = gcj02_to_wgs84(lng, lat)
            out.append({"name": codes[code].removesuffix("总工会"), "lng": round(w_lng, 5), "lat": round(w_lat, 5)})
    return out


def _map_config(**extra: Any) -> dict[str, Any]:
    tiles = None
    if settings.NETWORK_MAP_TILE_URL:
        tiles = {
            "url": settings.NETWORK_MAP_TILE_URL,
            "coord": settings.NETWORK_MAP_TILE_COORD,
            "attribution": settings.NETWORK_MAP_TILE_ATTRIBUTION,
        }
    return {
        "centre": DEFAULT_CENTRE,
        "tiles": tiles,
        "kinds": _kind_labels(),
        "labels": {
            "you": _("您的位置"),
            "minutes": _("分钟"),
            "metres": _("米"),
            "km": _("公里"),
            "open": _("开放中"),
            "closed": _("未开放"),
            "unknown": _("开放时间未公布"),
            "locating": _("正在获取您的位置……"),
            "denied": _("无法获取您的位置。请在地图上点选您所在的地方。"),
            "none": _("附近没有符合条件的服务阵地。"),
            "picked": _("已按您在地图上点选的位置查找。"),
            "at_stop": _("现停靠"),
            "until": _("至"),
        },
        **extra,
    }


# ---- the member site ---------------------------------------------------------------------------------------------


def finder(request: HttpRequest) -> HttpResponse:
    """The nearest finder. With ?lng=&lat= the list is drawn on the server (and works without JavaScript); the page's
    script asks the browser for the position and calls the API."""
    form = FinderForm(request.GET or None)
    hits: list[dict[str, Any]] = []
    origin = None
    if form.is_valid() and form.cleaned_data.get("lng") is not None and form.cleaned_data.get("lat") is not None:
        d = form.cleaned_data
        coord = d.get("coord") or CoordSystem.WGS84
        lng, lat = to_wgs84(d["lng"], d["lat"], coord)
        origin = {"lng": lng, "lat": lat}
        trip = selectors.travel(d.get("mode") or "walk")
        for h in selectors.nearest(
            lng=lng,
            lat=lat,
            limit=10,
            kinds=[d["kind"]] if d.get("kind") else None,
            facilities=[d["facility"]] if d.get("facility") else None,
            open_now=bool(d.get("open_now")),
        ):
            hits.append(
                {
                    "hit": h,
                    "kind_label": _kind_labels()[h.card.kind],
                    "minutes": round(
                        travel_minutes(h.distance_m, speed_kmh=trip.speed_kmh, detour_factor=trip.detour_factor)
                    ),
                    "distance": round(h.distance_m),
                }
            )
    ratings = extensions.point_ratings(row["hit"].card.id for row in hits)
    for row in hits:
        row["rating"] = ratings.get(row["hit"].card.id)
    config = _map_config(
        api=reverse("api-v1:network_nearest"),
        point_url=reverse("network:point", args=[0]).replace("/0/", "/{id}/"),
        rating_api=extensions.rating_api(),
        facilities=_facility_labels(),
        districts=_districts(),
        origin=origin,
    )
    return render(request, "network/finder.html", {"form": form, "hits": hits, "origin": origin, "config": config})


def _week_rows(schedule: Any) -> list[dict[str, Any]]:
    return [
        {"label": label, "hours": fmt_spans(tuple(schedule.weekly.get(day, ()))) or _("休息")}
        for day, label in DAY_CHOICES
    ]


def _exception_rows(point: Any) -> list[dict[str, Any]]:
    rows: dict[Any, dict[str, Any]] = {}
    for e in selectors.point_exceptions(point)[:40]:
        row = rows.setdefault(e.date, {"date": e.date, "spans": [], "note": e.note})
        if not e.closed:
            row["spans"].append(f"{fmt_minute(e.opens_minute or 0)}-{fmt_minute(e.closes_minute or 0)}")
    return [{**r, "text": ", ".join(r["spans"]) or _("关闭")} for r in rows.values()]


def point(request: HttpRequest, point_id: int) -> HttpResponse:
    """A point's public page: what it offers, when it is open, where a mobile home stands now and next."""
    try:
        p = selectors.point_get_public(actor=request.user, point_id=point_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    schedule = selectors.point_schedule(p)
    whereabouts = selectors.point_whereabouts(p) if p.is_mobile else None
    located = whereabouts.now.stop if whereabouts and whereabouts.now else None
    shown = [
        {
            "id": p.pk,
            "name": p.name,
            "kind": p.kind,
            "lng": located.lng if located else p.lng,
            "lat": located.lat if located else p.lat,
        }
    ]
    gcj = from_wgs84(p.lng, p.lat, CoordSystem.GCJ02)
    return render(
        request,
        "network/point.html",
        {
            "p": p,
            "facilities": [Facility(c).label for c in selectors.point_facilities(p)],
            "week": _week_rows(schedule),
            "exceptions": _exception_rows(p),
            "open_now": None if schedule.is_empty() else schedule.is_open(timezone.now()),
            "whereabouts": whereabouts,
            "stops": selectors.point_stops(p) if p.is_mobile else [],
            "in_registry": selectors.in_registry(actor=request.user, point=p),
            "panels": extensions.point_panels(request, p),
            "gcj": {"lng": round(gcj[0], 6), "lat": round(gcj[1], 6)},
            "config": _map_config(points=shown, districts=_districts(), fit=True),
        },
    )


# ---- the console ---------------------------------------------------------------------------------------------------


def _filters(form: RegistryFilterForm) -> selectors.PointFilters:
    d = form.cleaned_data if form.is_valid() else {}
    return selectors.PointFilters(
        kind=d.get("kind") or None,
        status=d.get("status") or None,
        facility=d.get("facility") or None,
        search=d.get("q") or None,
        overdue=bool(d.get("overdue")) or None,
    )


@staff_page(Perm.NETWORK_VIEW)
def registry(request: HttpRequest) -> HttpResponse:
    form = RegistryFilterForm(request.GET or None)
    filters = _filters(form)
    page = Paginator(selectors.point_list(actor=request.user, filters=filters), 50).get_page(request.GET.get("page"))
    kinds = list(PointKind.values)
    rows = selectors.point_map_rows(actor=request.user, filters=filters)
    config = _map_config(
        compact=[[round(lng, 5), round(lat, 5), kinds.index(kind), pk] for pk, _n, kind, _s, lng, lat in rows],
        kind_order=kinds,
        point_url=reverse("network:console_point", args=[0]).replace("/0/", "/{id}/"),
        districts=_districts(),
        fit=True,
    )
    return render(
        request,
        "network/registry.html",
        {
            "form": form,
            "page": page,
            "counts": selectors.registry_counts(actor=request.user),
            "can_edit": scope_for(request.user).can(Perm.NETWORK_EDIT),
            "config": config,
            "today": timezone.localdate(),
        },
    )


@staff_page(Perm.NETWORK_VIEW)
def overdue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.overdue_list(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "network/overdue.html", {"page": page, "today": timezone.localdate()})


@staff_page(Perm.NETWORK_VIEW)
def console_point(request: HttpRequest, point_id: int) -> HttpResponse:
    p = selectors.point_get(actor=request.user, point_id=point_id)
    scope = scope_for(request.user)
    schedule = selectors.point_schedule(p)
    inspections = list(selectors.inspection_list(actor=request.user, point_id=p.pk)[:20])
    return render(
        request,
        "network/console_point.html",
        {
            "p": p,
            "facilities": [Facility(c).label for c in selectors.point_facilities(p)],
            "week": _week_rows(schedule),
            "exceptions": _exception_rows(p),
            "open_now": None if schedule.is_empty() else schedule.is_open(timezone.now()),
            "inspections": inspections,
            "latest": p.latest_inspection,
            "standard": selectors.standard_for(p),
            "whereabouts": selectors.point_whereabouts(p) if p.is_mobile else None,
            "can_edit": scope.can(Perm.NETWORK_EDIT),
            "can_inspect": scope.can(Perm.NETWORK_INSPECT),
            "today": timezone.localdate(),
        },
    )


def _form_errors(form: Any, exc: ZhijiaError) -> None:
    field = exc.detail.get("field")
    if field == "owner_id":
        field = "owner"
    form.add_error(field if field in form.fields else None, exc.message)


@staff_page(Perm.NETWORK_EDIT)
def point_create(request: HttpRequest) -> HttpResponse:
    form = PointForm(request.POST or None, owners=selectors.owner_choices(actor=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            p = services.point_create(actor=request.user, **form.service_fields())
        except ZhijiaError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已新建 %(name)s。") % {"name": p.name})
            return redirect("network:console_point", point_id=p.pk)
    return render(request, "network/point_form.html", {"form": form, "p": None})


@staff_page(Perm.NETWORK_EDIT)
def point_edit(request: HttpRequest, point_id: int) -> HttpResponse:
    p = selectors.point_get(actor=request.user, point_id=point_id, perm=Perm.NETWORK_EDIT)
    initial = {
        **{f: getattr(p, f) for f in ("name", "kind", "home_subtype", "address", "lng", "lat", "status", "area_m2")},
        **{f: getattr(p, f) for f in ("contact_name", "contact_phone", "vehicle_plate", "description")},
        "owner": p.owner_id,
        "coord": CoordSystem.WGS84,
        "facilities": selectors.point_facilities(p),
    }
    owners = selectors.owner_choices(actor=request.user, also=p.owner)
    form = PointForm(request.POST or None, initial=initial, owners=owners, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.point_update(actor=request.user, point_id=p.pk, **form.service_fields())
        except ZhijiaError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("network:console_point", point_id=p.pk)
    return render(request, "network/point_form.html", {"form": form, "p": p})


@require_POST
@staff_page(Perm.NETWORK_EDIT)
def point_close(request: HttpRequest, point_id: int) -> HttpResponse:
    p = services.point_close(actor=request.user, point_id=point_id, reason=request.POST.get("reason", "")[:200])
    messages.success(request, _("%(name)s 已关闭。") % {"name": p.name})
    return redirect("network:console_point", point_id=p.pk)


@staff_page(Perm.NETWORK_EDIT)
def point_hours(request: HttpRequest, point_id: int) -> HttpResponse:
    p = selectors.point_get(actor=request.user, point_id=point_id, perm=Perm.NETWORK_EDIT)
    schedule = selectors.point_schedule(p)
    initial = HoursForm.initial_for(dict(schedule.weekly), list(selectors.point_exceptions(p)), p.follows_holidays)
    form = HoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.point_hours_set(
                actor=request.user,
                point_id=p.pk,
                weekly={d: s for d, s in form.cleaned_data["weekly"].items() if s},
                exceptions=[services.DateHours(d, s, n) for d, s, n in form.cleaned_data["dated"]],
                follows_holidays=form.cleaned_data["follows_holidays"],
            )
        except ZhijiaError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("开放时间已保存。"))
            return redirect("network:console_point", point_id=p.pk)
    return render(request, "network/hours_form.html", {"form": form, "p": p, "holiday": HOLIDAY})


@staff_page(Perm.NETWORK_EDIT)
def stops(request: HttpRequest, point_id: int) -> HttpResponse:
    p = selectors.point_get(actor=request.user, point_id=point_id, perm=Perm.NETWORK_EDIT)
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mobile_stop_create(actor=request.user, point_id=p.pk, **form.service_fields())
        except ZhijiaError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已添加停靠点。"))
            return redirect("network:stops", point_id=p.pk)
    rows = [
        {
            "stop": s,
            "days": ", ".join(str(DAY_CHOICES[d][1]) for d in routes.mask_days(s.weekdays)),
            "time": f"{fmt_minute(s.arrives_minute)}-{fmt_minute(s.leaves_minute)}",
        }
        for s in selectors.point_stops(p)
    ]
    return render(
        request,
        "network/stops.html",
        {"p": p, "form": form, "rows": rows, "whereabouts": selectors.point_whereabouts(p), "is_mobile": p.is_mobile},
    )


@require_POST
@staff_page(Perm.NETWORK_EDIT)
def stop_delete(request: HttpRequest, stop_id: int) -> HttpResponse:
    stop = selectors.stop_get(actor=request.user, stop_id=stop_id)
    services.mobile_stop_delete(actor=request.user, stop_id=stop.pk)
    messages.success(request, _("已删除停靠点。"))
    return redirect("network:stops", point_id=stop.point_id)


@staff_page(Perm.NETWORK_INSPECT)
def inspect(request: HttpRequest, point_id: int) -> HttpResponse:
    p = selectors.point_get(actor=request.user, point_id=point_id, perm=Perm.NETWORK_INSPECT)
    standard = selectors.standard_for(p)
    items = list(standard.items.all()) if standard else []
    form = InspectionForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_record(
                actor=request.user,
                point_id=p.pk,
                passed_items=form.passed_items(),
                note=form.cleaned_data["note"],
                photos=form.cleaned_data["photos"],
            )
        except ZhijiaError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("检查记录已保存。"))
            return redirect("network:console_point", point_id=p.pk)
    return render(request, "network/inspect.html", {"p": p, "form": form, "standard": standard})
