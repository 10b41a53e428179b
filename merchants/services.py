from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from marketplace.core.errors import DomainError, Forbidden, InvalidInput
from merchants.models import Merchant

EDITABLE_FIELDS = frozenset({"name", "city", "last_mile_vehicle", "description"})


def _name_taken(name: str, *, exclude_pk: int | None = None) -> bool:
    others = Merchant.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def merchant_open(*, owner: Any, name: str, city: Any, **values: Any) -> Merchant:
    """Open a shop for ``owner``; a user runs at most one shop."""
    if Merchant.objects.filter(owner=owner).exists():
        raise DomainError("You already run a shop.", code="already_merchant")
    if _name_taken(name):
        raise InvalidInput("A shop with this name already exists.", field="name")
    merchant = Merchant(owner=owner, name=name, city=city, **values)
    merchant.full_clean(exclude=["owner"])
    try:
        with transaction.atomic():
            merchant.save()
    except IntegrityError as exc:  # a parallel request opened the shop or took the name first
        raise DomainError("You already run a shop, or the name was just taken.", code="conflict") from exc
    return merchant


def merchant_check_editable(*, merchant: Merchant, user: Any) -> None:
    if merchant.owner_id != user.pk:
        raise Forbidden("You can only edit your own shop.")


@transaction.atomic
def merchant_update(*, merchant: Merchant, user: Any, **values: Any) -> Merchant:
    merchant_check_editable(merchant=merchant, user=user)
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}")
    if "name" in values and _name_taken(values["name"], exclude_pk=merchant.pk):
        raise InvalidInput("A shop with this name already exists.", field="name")
    for field, value in values.items():
        setattr(merchant, field, value)
    merchant.full_clean(exclude=["owner"])
    merchant.save()
    return merchant
