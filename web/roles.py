"""Who may do what. Three roles, each including the one below it:

- clerk (经办人): upload, follow batches, see documents and cases;
- reviewer (复核人): also review fields, change document types and page ranges, resolve or waive flags;
- admin (管理员): also users, roster import and configuration (the Django admin).

Roles are Django groups; a superuser is an admin. Pages and the API check the same functions.
"""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import transaction

CLERK, REVIEWER, ADMIN = "clerk", "reviewer", "admin"
ROLE_ZH = {CLERK: "经办人", REVIEWER: "复核人", ADMIN: "管理员"}
_RANK = {CLERK: 1, REVIEWER: 2, ADMIN: 3}


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ADMIN
    names = set(user.groups.values_list("name", flat=True)) & set(_RANK)
    return max(names, key=_RANK.get, default=None)


def has_role(user, role: str) -> bool:
    return _RANK.get(role_of(user), 0) >= _RANK[role]


def role_required(role: str):
    """View decorator: a logged-in user without the role gets 403 (anonymous ones never get
    here: the login middleware sends them to the login page)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, role):
                raise PermissionDenied(f"需要“{ROLE_ZH[role]}”权限")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


@transaction.atomic
def create_user(username: str, role: str, password: str) -> User:
    if role not in _RANK:
        raise ValueError(f"unknown role {role!r}: one of {', '.join(_RANK)}")
    if User.objects.filter(username=username).exists():
        raise ValueError(f"user {username!r} exists")
    user = User.objects.create_user(username=username, password=password)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if role == ADMIN:
        user.is_staff = user.is_superuser = True  # the Django admin: users, roster, configuration
        user.save(update_fields=["is_staff", "is_superuser"])
    return user
