"""The voucher domain's errors (docs/domain.md, "Errors" of "Vouchers"); one handler maps them to
``{code, detail}`` (docs/api.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from marketplace.core.errors import DomainError


class VoucherError(DomainError):
    """Translated at raise time, in the request's language."""

    message = _("The voucher request conflicts with the current state.")

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        super().__init__(detail or str(self.message), **kwargs)


class BudgetExhausted(VoucherError):
    code = "budget_exhausted"
    message = _("This voucher allocation has no budget left.")


class LimitReached(VoucherError):
    code = "limit_reached"
    message = _("You have already claimed as many of these vouchers as allowed.")


class NotActive(VoucherError):
    code = "not_active"
    message = _("These vouchers cannot be claimed now.")


class AlreadyRedeemed(VoucherError):
    code = "already_redeemed"
    message = _("This voucher has already been used.")


class NotEligible(VoucherError):
    code = "not_eligible"
    message = _("This voucher cannot be applied to this order.")


class MinSpendNotMet(VoucherError):
    code = "min_spend_not_met"
    message = _("The eligible items do not reach the voucher's minimum spend.")


class IdempotencyMismatch(VoucherError):
    status_code = 422
    code = "idempotency_mismatch"
    message = _("This Idempotency-Key was already used for another request.")


class RateLimited(VoucherError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "rate_limited"
    message = _("Too many claims; please wait a moment.")

    def __init__(self, *, retry_after: int) -> None:
        super().__init__()
        self.retry_after = max(1, int(retry_after))
        self.headers = {"Retry-After": str(self.retry_after)}


class ClaimsUnavailable(VoucherError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "unavailable"
    message = _("Voucher claims are paused for a moment; please retry shortly.")
