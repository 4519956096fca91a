"""Account pages: sign-in, worker registration with an SMS code, the profile, and staff account management."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core.errors import ValidationFailed, ZhijiaError
from zhijia.core.ids import int_from_text
from zhijia.core.pages import staff_page
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.selectors import org_get, org_root_for

from . import selectors, services
from .forms import LoginForm, RegisterForm, StaffCreateForm, StaffUpdateForm
from .models import User


class LoginPage(LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if isinstance(user, User) and user.kind == User.Kind.STAFF:
            return "/console/"
        return super().get_default_redirect_url()


def _form_error(form: RegisterForm | StaffCreateForm, exc: ZhijiaError) -> None:
    field = exc.detail.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None, initial={"phone": request.GET.get("phone", "")})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.worker_register(**form.cleaned_data)
        except ZhijiaError as exc:
            _form_error(form, exc)
        else:
            login(request, user, backend="zhijia.accounts.backends.PhoneOrUsernameBackend")
            messages.success(request, _("注册成功，欢迎加入职工之家！"))
            return redirect("home")
    return render(request, "accounts/register.html", {"form": form})


@require_POST
def register_code(request: HttpRequest) -> HttpResponse:
    phone = request.POST.get("phone", "")
    try:
        services.sms_code_send(phone=phone, purpose="register")
        message, ok = _("验证码已发送，5 分钟内有效。"), True
    except ZhijiaError as exc:
        message, ok = exc.message, False
    return render(request, "accounts/_code_status.html", {"message": message, "ok": ok})


@login_required
def me(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/me.html", {"scope": scope_for(request.user)})


@staff_page(Perm.ACCOUNT_VIEW)
def staff_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip() or None
    accounts = selectors.staff_account_list(actor=request.user, search=search)
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff_list.html",
        {"page": page, "q": search or "", "can_manage": scope_for(request.user).can(Perm.ACCOUNT_MANAGE)},
    )


@staff_page(Perm.ACCOUNT_MANAGE)
def staff_create(request: HttpRequest) -> HttpResponse:
    root = org_root_for(actor=request.user)
    org_id = int_from_text(request.POST.get("org_id") or request.GET.get("org"))
    if org_id is None:
        org_id = root.pk if root else None
    org = org_get(actor=request.user, org_id=org_id) if org_id else None
    form = StaffCreateForm(request.POST or None, initial={"org_id": org.pk if org else None})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_account_create(actor=request.user, **form.cleaned_data)
        except ZhijiaError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已创建账户 %(name)s。") % {"name": user.username})
            return redirect("accounts:staff_detail", user_id=user.pk)
    return render(request, "accounts/staff_form.html", {"form": form, "org": org})


@staff_page(Perm.ACCOUNT_VIEW)
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = selectors.staff_account_get(actor=request.user, user_id=user_id)
    roles = sorted(r.role for r in account.staff_assignment.roles.all())
    form = StaffUpdateForm(request.POST or None, initial={"roles": roles, "is_active": account.is_active})
    revealed = None
    if request.method == "POST":
        if "reveal_phone" in request.POST:
            revealed = services.user_phone_reveal(actor=request.user, user_id=user_id)
        elif form.is_valid():
            try:
                services.staff_account_update(actor=request.user, user_id=user_id, **form.cleaned_data)
            except ValidationFailed as exc:
                # A broken rule is shown on the form; a refusal (403/404) is a refusal, like every other page's.
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存。"))
                return redirect("accounts:staff_detail", user_id=user_id)
    return render(
        request,
        "accounts/staff_detail.html",
        {
            "account": account,
            "roles": roles,
            "form": form,
            "revealed": revealed,
            "can_manage": scope_for(request.user).can(Perm.ACCOUNT_MANAGE),
            "can_reveal": scope_for(request.user).can(Perm.PII_REVEAL),
        },
    )
