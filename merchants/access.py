"""Who may use the merchant dashboard: signed-in users with a shop (the pages of every app use this)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from merchants.models import Merchant


def own_merchant(user: Any) -> Merchant | None:
    return Merchant.objects.select_related("city").filter(owner=user).first()


def merchant_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users without a shop are sent to open one; the view gets the shop as ``merchant``."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        merchant = own_merchant(request.user)
        if merchant is None:
            messages.info(request, _("Open a shop first."))
            return redirect("merchants:open")
        return view(request, *args, merchant=merchant, **kwargs)

    return wrapper
