"""Sign-in by staff username or by a worker's phone number (looked up through its blind index)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from zhijia.core.pii import is_mainland_mobile, normalize_phone, phone_index

from .models import User


def find_login_user(login: str) -> User | None:
    login = (login or "").strip()
    if is_mainland_mobile(normalize_phone(login)):
        user = User.objects.filter(phone_index=phone_index(login)).first()
        if user is not None:
            return user
    return User.objects.filter(username=login).first()


class PhoneOrUsernameBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        user = find_login_user(username)
        if user is None:
            # Spend the same time as a real check so the response time does not reveal which accounts exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
