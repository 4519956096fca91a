"""Staff console pages for the organisation tree: the dashboard, the tree browser with counts, a node's page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core.errors import NotFound, ZhijiaError
from zhijia.core.pages import staff_page
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for

from . import selectors, services
from .forms import OrgChildForm, OrgMoveForm
from .models import OrgKind


@staff_page(Perm.TREE_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    root = selectors.org_root_for(actor=request.user)
    if root is None:
        raise NotFound("org")
    counts = selectors.org_subtree_counts(actor=request.user, org_id=root.pk)
    children = selectors.org_children_with_counts(actor=request.user, org_id=root.pk)
    kinds = [
        {"kind": k, "label": str(OrgKind(k).label), "count": counts.get(k, 0)} for k in OrgKind.values if counts.get(k)
    ]
    chart = {
        "title": _("下级组织规模"),
        "categories": [c.name for c in children],
        "values": [c.subtree_size + 1 for c in children],
    }
    return render(
        request,
        "organizations/dashboard.html",
        {
            "root": root,
            "kinds": kinds,
            "children": children,
            "total_below": sum(counts.values()),
            "chart": chart,
        },
    )


@staff_page(Perm.TREE_VIEW)
def tree(request: HttpRequest) -> HttpResponse:
    root = selectors.org_root_for(actor=request.user)
    if root is None:
        raise NotFound("org")
    search = request.GET.get("q", "").strip()
    results = list(selectors.org_list(actor=request.user, search=search)[:50]) if search else []
    children = selectors.org_children_with_counts(actor=request.user, org_id=root.pk)
    return render(
        request,
        "organizations/tree.html",
        {"root": root, "children": children, "q": search, "results": results},
    )


@staff_page(Perm.TREE_VIEW)
def children_fragment(request: HttpRequest, org_id: int) -> HttpResponse:
    children = selectors.org_children_with_counts(actor=request.user, org_id=org_id)
    return render(request, "organizations/_children.html", {"children": children})


@staff_page(Perm.TREE_VIEW)
def org_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    counts = selectors.org_subtree_counts(actor=request.user, org_id=org.pk)
    kinds = [{"label": str(OrgKind(k).label), "count": n} for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    return render(
        request,
        "organizations/detail.html",
        {
            "org": org,
            "breadcrumb": selectors.org_ancestors_in_scope(actor=request.user, org=org),
            "kinds": kinds,
            "total_below": sum(counts.values()),
            "children": selectors.org_children_with_counts(actor=request.user, org_id=org.pk)[:200],
            "can_edit": scope_for(request.user).can(Perm.TREE_EDIT),
            "employers": selectors.employer_list(actor=request.user, union_id=org.pk)[:50],
        },
    )


@staff_page(Perm.TREE_EDIT)
def manage(request: HttpRequest, org_id: int) -> HttpResponse:
    """Add a child node, or move this node with its whole subtree under another node."""
    org = selectors.org_get(actor=request.user, org_id=org_id)
    child_form = OrgChildForm(request.POST if "add_child" in request.POST else None, parent=org)
    move_form = OrgMoveForm(request.POST if "move" in request.POST else None)
    if request.method == "POST":
        try:
            if "add_child" in request.POST and child_form.is_valid():
                child = services.org_create(actor=request.user, parent_id=org.pk, **child_form.cleaned_data)
                messages.success(request, _("已新建 %(name)s。") % {"name": child.name})
                return redirect("orgs:detail", org_id=child.pk)
            if "move" in request.POST and move_form.is_valid():
                target = selectors.org_get_by_code(actor=request.user, code=move_form.cleaned_data["new_parent_code"])
                services.org_move(actor=request.user, org_id=org.pk, new_parent_id=target.pk)
                messages.success(
                    request, _("已将 %(name)s 移到 %(target)s 之下。") % {"name": org.name, "target": target.name}
                )
                return redirect("orgs:detail", org_id=org.pk)
        except ZhijiaError as exc:
            form = child_form if "add_child" in request.POST else move_form
            field = exc.detail.get("field")
            if field == "new_parent" or exc.code == "org.not_found":
                field = "new_parent_code" if form is move_form else None
            form.add_error(field if field in form.fields else None, exc.message)
    return render(request, "organizations/manage.html", {"org": org, "child_form": child_form, "move_form": move_form})


@require_POST
@staff_page(Perm.TREE_VIEW)
def export(request: HttpRequest, org_id: int) -> HttpResponse:
    job = services.org_export_start(actor=request.user, org_id=org_id)
    return redirect("jobs:detail", job_id=job.pk)
