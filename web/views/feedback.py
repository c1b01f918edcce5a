"""How a reviewer's form action reports back: what happened, or why it could not be done."""
from __future__ import annotations

from typing import Callable

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist

from core.errors import FormError, UserError


def attempt(request, action: Callable, success: str | Callable) -> None:
    """Run the action. A refusal of the user error family (ReviewError, WorkflowError, FormError …)
    or an object that no longer exists becomes the error message; anything else is a bug and goes
    on to Django's server-error handling, which logs it (never shown as if it were a reason)."""
    try:
        result = action()
    except UserError as exc:
        messages.error(request, exc.message or "无法完成该操作")
        return
    except ObjectDoesNotExist:
        messages.error(request, "要操作的对象不存在（可能已被删除，或编号有误），请刷新页面后重试")
        return
    messages.success(request, success(result) if callable(success) else success)


def form_int(request, key: str, what: str) -> int:
    """A whole number from the posted form, or FormError saying which field and what was sent."""
    text = (request.POST.get(key) or "").strip()
    try:
        return int(text)
    except ValueError:
        shown = text[:20] or "空"
        raise FormError(f"{what}应为数字（收到“{shown}”）") from None
