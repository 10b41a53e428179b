"""Authorization matrix: every API operation x every role, with the status each role must get.

The table is checked against the project's OpenAPI schema, so an endpoint added without a row here
fails ``test_every_api_operation_has_a_row``. Expectations follow docs/invariants.md ("Who sees what")
and docs/api.md:
401 for anonymous callers on writes and private reads, 404 for another shopper's order, cart item or
voucher, 403 for another merchant's (publicly visible) product or shop, 403 for staff-only actions.
Each case runs on a fresh world (tests/authz/factories.py) so a row that changes state does not leak.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from merchants.alliance.models import MembershipStatus
from tests.authz.factories import PDF, ROLES, World, build_world

pytestmark = pytest.mark.django_db

Build = Callable[[World], Any]


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    expect: dict[str, int]
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    body: Callable[[World, str], Any] = lambda w, role: None
    multipart: bool = False
    query: Callable[[World], dict[str, Any]] = lambda w: {}
    # role -> reason: known bugs in apps this task may not edit (xfail strict, flips when fixed).
    known_bugs: dict[str, str] = field(default_factory=dict)


def every(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, **overrides: int) -> dict[str, int]:
    """401 for anonymous, ``status`` for every signed-in role unless overridden."""
    return {"anonymous": 401, **dict.fromkeys(ROLES[1:], status), **overrides}


def staff_only(status: int) -> dict[str, int]:
    return signed_in(403, staff=status)


def staff_action_on_private(status: int, *, owner: str = "merchant") -> dict[str, int]:
    """A staff-only action on an object only its owner and staff can see: the owner (who sees it) gets
    403, everyone else 404 ("not visible to the caller", docs/api.md), so its existence does not leak."""
    return signed_in(404, **{owner: 403}, staff=status)


def owner_only(status: int, *, owner: str, others: int) -> dict[str, int]:
    return signed_in(others, **{owner: status})


def _in(days: int) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def _product_body(w: World, role: str) -> dict[str, Any]:
    return {
        "name": f"Bamboo brush {role}",
        "category": w.category.slug,
        "price": "19.90",
        "stock": 5,
        "weight_grams": 20,
    }


def _certificate_body(w: World, role: str) -> dict[str, Any]:
    return {
        "scheme": w.scheme.code,
        "number": "TS-9876",
        "holder": "Holder Ltd",
        "valid_from": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "valid_until": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
        "products": [w.product.pk],
    }


def _commitment_body(w: World, role: str) -> dict[str, Any]:
    kpi = w.extra["new_kpi"]
    return {
        "kpi": kpi.code,
        "baseline_value": "10",
        "baseline_date": "2026-01-01",
        "target_value": "50" if kpi.direction == "higher" else "5",
        "target_date": "2027-12-31",
        "verification_level": "self_declared",
    }


def _with_member_commitment(w: World) -> dict[str, Any]:
    """Make "merchant" an active member with one commitment; the row commits to another declared KPI."""
    from merchants.alliance.models import Kpi, KpiSource

    existing = w.commitment()
    w.extra["new_kpi"] = Kpi.objects.filter(source=KpiSource.DECLARED).exclude(pk=existing.kpi_id).first()
    assert w.extra["new_kpi"] is not None, "the KPI catalogue has two self-declared KPIs"
    return {}


REASON = {"reason": "Evidence does not match the registry."}

ROWS: list[Row] = [
    # --- accounts ----------------------------------------------------------------------------------
    Row("get", "/api/v1/auth/me/", signed_in(200)),
    Row(
        "post",
        "/api/v1/auth/register/",
        every(201),
        body=lambda w, role: {"username": f"new-{role}", "password": "a-Long-and-unusual-pass-42"},
    ),
    Row(
        "post",
        "/api/v1/auth/token/",
        every(200),
        body=lambda w, role: {"username": "shopper", "password": "correct-horse-battery"},
    ),
    # --- catalog and merchants ---------------------------------------------------------------------
    Row("get", "/api/v1/cities/", every(200)),
    Row("get", "/api/v1/categories/", every(200)),
    Row("get", "/api/v1/products/", every(200)),
    Row(
        "post",
        "/api/v1/products/",
        owner_only(201, owner="merchant", others=403) | {"other_merchant": 201},
        body=_product_body,
    ),
    Row("get", "/api/v1/products/{product_id}/", every(200), kwargs=lambda w: {"product_id": w.product.pk}),
    Row(
        "patch",
        "/api/v1/products/{product_id}/",
        owner_only(200, owner="merchant", others=403),
        kwargs=lambda w: {"product_id": w.product.pk},
        body=lambda w, role: {"stock": 7},
    ),
    Row("get", "/api/v1/merchants/", every(200)),
    Row(
        "post",
        "/api/v1/merchants/",
        signed_in(201, merchant=409, other_merchant=409),
        body=lambda w, role: {"name": f"Shop of {role}", "city": w.city.slug},
    ),
    Row(
        "get", "/api/v1/merchants/{merchant_id}/", every(200), kwargs=lambda w: {"merchant_id": w.merchant.pk}
    ),
    Row(
        "patch",
        "/api/v1/merchants/{merchant_id}/",
        owner_only(200, owner="merchant", others=403),
        kwargs=lambda w: {"merchant_id": w.merchant.pk},
        body=lambda w, role: {"description": "Renamed"},
    ),
    # --- cart, checkout, orders, shipments ---------------------------------------------------------
    Row("get", "/api/v1/cart/", signed_in(200)),
    Row(
        "post",
        "/api/v1/cart/items/",
        signed_in(201),
        body=lambda w, role: {"product": w.product.pk, "quantity": 1},
    ),
    Row(
        "patch",
        "/api/v1/cart/items/{item_id}/",
        owner_only(200, owner="shopper", others=404),
        kwargs=lambda w: {"item_id": w.cart_item.pk},
        body=lambda w, role: {"quantity": 3},
    ),
    Row(
        "delete",
        "/api/v1/cart/items/{item_id}/",
        owner_only(204, owner="shopper", others=404),
        kwargs=lambda w: {"item_id": w.cart_item.pk},
    ),
    Row(
        "post",
        "/api/v1/checkout/",
        # Only the shopper has something in the cart; for everyone else the cart is empty.
        signed_in(409, shopper=201),
        body=lambda w, role: {"shipping_city": w.city.slug, "address": "3 Leaf St", "packaging": "standard"},
    ),
    Row("get", "/api/v1/orders/", signed_in(200)),
    Row(
        "get",
        "/api/v1/orders/{order_id}/",
        owner_only(200, owner="shopper", others=404),
        kwargs=lambda w: {"order_id": w.order.pk},
    ),
    Row(
        "post",
        "/api/v1/orders/{order_id}/pay/",
        owner_only(200, owner="shopper", others=404),
        kwargs=lambda w: {"order_id": w.order.pk},
    ),
    Row(
        "post",
        "/api/v1/orders/{order_id}/cancel/",
        owner_only(200, owner="shopper", others=404),
        kwargs=lambda w: {"order_id": w.order.pk},
    ),
    Row(
        "post",
        "/api/v1/orders/{order_id}/confirm-receipt/",
        # Not shipped yet: the owner gets 409 invalid_transition, everyone else does not see the order.
        owner_only(409, owner="shopper", others=404),
        kwargs=lambda w: {"order_id": w.order.pk},
    ),
    Row("get", "/api/v1/shipments/", signed_in(403, merchant=200, other_merchant=200)),
    Row(
        "post",
        "/api/v1/shipments/{shipment_id}/ship/",
        # Not a merchant at all: 403 not_a_merchant; another shop: the shipment is not visible.
        signed_in(403, merchant=200, other_merchant=404),
        kwargs=lambda w: {"shipment_id": w.order.shipments.get().pk},
    ),
    # --- green venue -------------------------------------------------------------------------------
    Row("get", "/api/v1/certification-schemes/", every(200)),
    Row("get", "/api/v1/venue/products/", every(200)),
    Row("get", "/api/v1/certificate-notices/", signed_in(200)),
    Row("get", "/api/v1/certificates/", signed_in(200)),
    Row("post", "/api/v1/certificates/", signed_in(403, merchant=201), body=_certificate_body),
    Row(
        "get",
        "/api/v1/certificates/{certificate_id}/",
        signed_in(404, merchant=200, staff=200),
        kwargs=lambda w: {"certificate_id": w.certificate.pk},
    ),
    Row(
        "post",
        "/api/v1/certificates/{certificate_id}/evidence/",
        signed_in(404, merchant=201, staff=403),
        kwargs=lambda w: {"certificate_id": w.submitted_certificate().pk},
        body=lambda w, role: {"file": SimpleUploadedFile("proof.pdf", PDF, content_type="application/pdf")},
        multipart=True,
    ),
    Row(
        "get",
        "/api/v1/certificates/{certificate_id}/evidence/{file_id}/",
        signed_in(404, merchant=200, staff=200),
        kwargs=lambda w: {"certificate_id": w.certificate.pk, "file_id": w.evidence.pk},
    ),
    Row(
        "post",
        "/api/v1/certificates/{certificate_id}/verify/",
        staff_action_on_private(200),
        kwargs=lambda w: {"certificate_id": w.submitted_certificate().pk},
    ),
    Row(
        "post",
        "/api/v1/certificates/{certificate_id}/reject/",
        staff_action_on_private(200),
        kwargs=lambda w: {"certificate_id": w.submitted_certificate().pk},
        body=lambda w, role: REASON,
    ),
    Row(
        "post",
        "/api/v1/certificates/{certificate_id}/revoke/",
        staff_action_on_private(200),
        kwargs=lambda w: {"certificate_id": w.certificate.pk},
        body=lambda w, role: REASON,
    ),
    # --- vouchers ----------------------------------------------------------------------------------
    Row("get", "/api/v1/voucher-campaigns/", staff_only(200)),
    Row(
        "post",
        "/api/v1/voucher-campaigns/",
        staff_only(201),
        body=lambda w, role: {
            "name": "Spring",
            "total_budget": "5000.00",
            "starts_at": _in(1),
            "ends_at": _in(20),
        },
    ),
    Row(
        "get",
        "/api/v1/voucher-campaigns/{campaign_id}/",
        staff_only(200),
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
    ),
    Row(
        "patch",
        "/api/v1/voucher-campaigns/{campaign_id}/",
        staff_only(200),
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
        body=lambda w, role: {"name": "Renamed campaign"},
    ),
    *[
        Row(
            "post",
            f"/api/v1/voucher-campaigns/{{campaign_id}}/{action}/",
            staff_only(200),
            kwargs=lambda w, state=state: {"campaign_id": w.campaign_in(state).pk},
        )
        for action, state in (
            ("activate", "draft"),
            ("pause", "active"),
            ("resume", "paused"),
            ("end", "active"),
        )
    ],
    Row(
        "get",
        "/api/v1/voucher-campaigns/{campaign_id}/allocations/",
        staff_only(200),
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
    ),
    Row(
        "post",
        "/api/v1/voucher-campaigns/{campaign_id}/allocations/",
        staff_only(201),
        kwargs=lambda w: {"campaign_id": w.campaign.pk},
        body=lambda w, role: {
            "name": "Ten off fifty",
            "budget": "100.00",
            "face_value": "10.00",
            "min_spend": "50.00",
            "per_user_limit": 1,
            "claim_starts_at": _in(0),
            "claim_ends_at": _in(5),
            "valid_days": 7,
        },
    ),
    Row("get", "/api/v1/voucher-allocations/", every(200)),
    Row(
        "post",
        "/api/v1/voucher-allocations/{allocation_id}/claim/",
        signed_in(201),
        kwargs=lambda w: {"allocation_id": w.allocation.pk},
    ),
    Row("get", "/api/v1/vouchers/", signed_in(200)),
    Row(
        "post",
        "/api/v1/vouchers/{code}/void/",
        staff_action_on_private(200, owner="shopper"),
        kwargs=lambda w: {"code": w.voucher.code},
    ),
    # --- alliance ----------------------------------------------------------------------------------
    Row("get", "/api/v1/alliance/kpis/", every(200)),
    Row("get", "/api/v1/alliance/members/", every(200)),
    Row(
        "get",
        "/api/v1/alliance/members/{membership_id}/",
        every(200),
        kwargs=lambda w: {"membership_id": w.membership(MembershipStatus.ACTIVE).pk},
    ),
    # Staff see every application, an owner their own, anyone else an empty list.
    Row("get", "/api/v1/alliance/applications/", signed_in(200)),
    Row(
        "post",
        "/api/v1/alliance/applications/",
        signed_in(403, merchant=201, other_merchant=201),
        body=lambda w, role: {"pledges": ["green_products"]},
    ),
    Row(
        "post",
        "/api/v1/alliance/applications/{membership_id}/approve/",
        staff_action_on_private(200),
        kwargs=lambda w: {"membership_id": w.membership(MembershipStatus.APPLIED).pk},
    ),
    Row(
        "post",
        "/api/v1/alliance/applications/{membership_id}/reject/",
        staff_action_on_private(200),
        kwargs=lambda w: {"membership_id": w.membership(MembershipStatus.APPLIED).pk},
        body=lambda w, role: REASON,
    ),
    Row(
        "post",
        "/api/v1/alliance/memberships/{membership_id}/suspend/",
        staff_only(200),
        kwargs=lambda w: {"membership_id": w.membership(MembershipStatus.ACTIVE).pk},
        body=lambda w, role: REASON,
    ),
    Row(
        "post",
        "/api/v1/alliance/memberships/{membership_id}/reinstate/",
        staff_action_on_private(200),
        kwargs=lambda w: {"membership_id": w.membership(MembershipStatus.SUSPENDED).pk},
        body=lambda w, role: REASON,
    ),
    Row(
        "post",
        "/api/v1/alliance/memberships/{membership_id}/withdraw/",
        owner_only(200, owner="merchant", others=403),
        kwargs=lambda w: {"membership_id": w.membership(MembershipStatus.ACTIVE).pk},
    ),
    Row(
        "post",
        "/api/v1/alliance/memberships/{membership_id}/measure/",
        staff_only(200),
        kwargs=lambda w: {"membership_id": w.membership(MembershipStatus.ACTIVE).pk},
    ),
    Row(
        "post",
        "/api/v1/alliance/commitments/",
        signed_in(403, merchant=201),
        kwargs=_with_member_commitment,
        body=_commitment_body,
    ),
    Row(
        "get",
        "/api/v1/alliance/commitments/{commitment_id}/reports/",
        every(200),
        kwargs=lambda w: {"commitment_id": w.commitment().pk},
    ),
    Row(
        "post",
        "/api/v1/alliance/commitments/{commitment_id}/reports/",
        signed_in(403, merchant=201),
        kwargs=lambda w: {"commitment_id": w.commitment().pk},
        body=lambda w, role: {
            "period_start": "2026-06-01",
            "period_end": "2026-06-30",
            "value": "20",
            "evidence_text": "Metered in June.",
        },
    ),
    # --- carbon ------------------------------------------------------------------------------------
    Row("get", "/api/v1/carbon/factor-sets/", every(200)),
    Row(
        "get",
        "/api/v1/carbon/factor-sets/{version}/progress/",
        staff_only(200),
        kwargs=lambda w: {"version": w.draft_factor_set().version},
    ),
    Row(
        "post",
        "/api/v1/carbon/factor-sets/{version}/publish/",
        staff_only(202),
        kwargs=lambda w: {"version": w.draft_factor_set().version},
    ),
    Row("get", "/api/v1/carbon/account/", signed_in(200)),
    Row(
        "get",
        "/api/v1/carbon/impact/",
        staff_only(200),
        query=lambda w: {"campaign": w.campaign.pk},
    ),
]


def _cases() -> list[Any]:
    cases = []
    for row in ROWS:
        for role in ROLES:
            marks = []
            if role in row.known_bugs:
                marks.append(pytest.mark.xfail(strict=True, reason=row.known_bugs[role]))
            cases.append(
                pytest.param(row, role, id=f"{row.method.upper()} {row.path} as {role}", marks=marks)
            )
    return cases


def _schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    methods = {"get", "post", "put", "patch", "delete"}
    return {(method, path) for path, item in schema["paths"].items() for method in item if method in methods}


def test_every_api_operation_has_a_row() -> None:
    """A new endpoint without a row in the matrix fails here (and a row for a removed one too)."""
    table = {(row.method, row.path) for row in ROWS}
    assert len(table) == len(ROWS), "one row per operation"
    schema = _schema_operations()
    assert sorted(schema - table) == [], "operations without a row in the authorization matrix"
    assert sorted(table - schema) == [], "rows for operations the schema does not have"


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


@pytest.mark.parametrize(("row", "role"), _cases())
def test_role_gets_expected_status(row: Row, role: str) -> None:
    world = build_world()
    path = row.path.format(**row.kwargs(world))
    body = row.body(world, role)
    query = row.query(world)
    if query:
        path += "?" + urlencode(query)
    client = world.client(role)
    call = getattr(client, row.method)
    if row.multipart:
        response = call(path, body, format="multipart")
    else:
        response = call(path, body) if body is not None else call(path)
    expected = row.expect[role]
    assert response.status_code == expected, (
        f"{row.method.upper()} {path} as {role}: {response.status_code} {response.content[:300]!r}"
    )
    if expected >= 400:
        assert "code" in response.json(), "errors use the contract's {code, detail} body"
