"""Accounts: workers who sign in with their phone, and union staff bound to one node of the tree with roles."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhijia.core.pii import BlindIndexField, EncryptedTextField, mask_phone, phone_index
from zhijia.core.roles import HandlerKind, Role
from zhijia.core.scope import Scope


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username=username)

    def create_user(self, username: str, password: str | None = None, **extra: object) -> User:
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("kind", User.Kind.STAFF)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Kind(models.TextChoices):
        WORKER = "worker", _("职工")
        STAFF = "staff", _("工会工作人员")

    # Staff sign in with a username; workers with their phone, found through the blind index.
    username = models.CharField(_("用户名"), max_length=64, unique=True)
    kind = models.CharField(_("账户类型"), max_length=10, choices=Kind.choices, default=Kind.WORKER)
    display_name = models.CharField(_("姓名"), max_length=60)
    phone = EncryptedTextField(_("手机号"), blank=True)
    phone_index = BlindIndexField(_("手机号索引"), unique=True, null=True)
    is_active = models.BooleanField(_("有效"), default=True)
    is_staff = models.BooleanField(_("可进入后台管理"), default=False)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = pgettext_lazy("plural", "账户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def set_phone(self, phone: str) -> None:
        self.phone = phone
        self.phone_index = phone_index(phone) if phone else None

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @cached_property
    def scope(self) -> Scope:
        if not self.is_active:
            return Scope(user_id=self.pk)
        if self.kind == self.Kind.WORKER and not self.is_superuser:
            # Workers are never bound to a node: no query on every request they make.
            return Scope(user_id=self.pk)
        assignment = StaffAssignment.objects.filter(user=self).select_related("org").first()
        if assignment is None or not assignment.org.is_active:
            return Scope(user_id=self.pk, is_superuser=self.is_superuser, path="" if self.is_superuser else None)
        return Scope(
            user_id=self.pk,
            org_id=assignment.org_id,
            path="" if self.is_superuser else assignment.org.path,
            roles=frozenset(assignment.roles.values_list("role", flat=True)),
            is_superuser=self.is_superuser,
        )


class StaffAssignment(models.Model):
    """A staff account's place in the tree: it sees this node's subtree and nothing else."""

    user = models.OneToOneField(User, verbose_name=_("账户"), on_delete=models.CASCADE, related_name="staff_assignment")
    org = models.ForeignKey(
        "organizations.Organization", verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="staff"
    )
    title = models.CharField(_("职务"), max_length=60, blank=True)
    handler_kind = models.CharField(_("承办人类别"), max_length=20, choices=HandlerKind.choices, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作人员任职")
        verbose_name_plural = pgettext_lazy("plural", "工作人员任职")

    def __str__(self) -> str:
        return f"{self.user} @ {self.org}"


class StaffRole(models.Model):
    assignment = models.ForeignKey(StaffAssignment, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = pgettext_lazy("plural", "角色")
        constraints = [models.UniqueConstraint(fields=["assignment", "role"], name="staffrole_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = pgettext_lazy("plural", "接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class PhoneVerification(models.Model):
    """An SMS code sent to a phone for one purpose. The code itself is stored hashed."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("注册")
        RESET_PASSWORD = "reset_password", _("重置密码")
        VERIFY_PHONE = "verify_phone", _("验证手机")

    phone_index = BlindIndexField(db_index=True, editable=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = pgettext_lazy("plural", "短信验证码")
        indexes = [models.Index(fields=["phone_index", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
