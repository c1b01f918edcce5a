"""How a reviewer's form action reports back: what happened, or why it could not be done."""
from __future__ import annotations

from typing import Callable

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist


def attempt(request, action: Callable, success: str | Callable) -> None:
    """Run the action; a refusal (ReviewError, WorkflowError and bad form values are ValueErrors)
    or a vanished object becomes the error message instead of a server error."""
    try:
        result = action()
    except (ValueError, ObjectDoesNotExist) as exc:
        messages.error(request, str(exc) or "无法完成该操作")
        return
    messages.success(request, success(result) if callable(success) else success)
