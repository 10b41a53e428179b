"""The alliance's move out of the merchants app into its own keeps a live database's rows: ids, values,
relations, the id sequences, and the content types that permissions hang on."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from merchants.alliance.models import (
    AllianceMembership,
    Commitment,
    Kpi,
    MembershipStatusChange,
    ProgressReport,
)

# The last state in which the merchants app still held the alliance models, and no alliance app.
LAST_IN_MERCHANTS = ("merchants", "0003_seed_alliance_kpis")
BEFORE = [LAST_IN_MERCHANTS, ("alliance", None)]
TABLES = ("kpi", "alliancemembership", "membershipstatuschange", "commitment", "progressreport")
ACTIVATED = datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.UTC)


def _make_rows_before_the_move(apps):
    """Rows made with the models as the merchants app had them, as a database of that time would hold."""
    user = apps.get_model(settings.AUTH_USER_MODEL).objects.create(username="moved-owner")
    city = apps.get_model("catalog", "City").objects.create(
        slug="moved-city",
        name_en="Moved City",
        province_en="Province",
        province_zh="省",
        latitude=Decimal("30.00000"),
        longitude=Decimal("120.00000"),
    )
    merchant = apps.get_model("merchants", "Merchant").objects.create(
        owner=user, name="Moved shop", city=city
    )
    kpi = apps.get_model("merchants", "Kpi").objects.create(
        code="moved_kpi",
        name_en="Moved KPI",
        unit="percent",
        direction="higher",
        source="declared",
        definition_en="A KPI made before the move.",
        position=99,
    )
    membership = apps.get_model("merchants", "AllianceMembership").objects.create(
        merchant=merchant,
        status="active",
        pledges=["green_power", "reduced_packaging"],
        declarations={"renewable_contract": "PPA 2026"},
        criteria=[{"code": "certified_products", "passed": True}],
        criteria_passed=True,
        activated_at=ACTIVATED,
    )
    history = apps.get_model("merchants", "MembershipStatusChange")
    history.objects.create(membership=membership, from_status="", to_status="applied", actor=user)
    history.objects.create(membership=membership, from_status="applied", to_status="active", reason="ok")
    commitment = apps.get_model("merchants", "Commitment").objects.create(
        membership=membership,
        kpi=kpi,
        baseline_value=Decimal("12.3456"),
        baseline_date=datetime.date(2026, 1, 1),
        target_value=Decimal("60.0000"),
        target_date=datetime.date(2028, 12, 31),
        target_type="absolute",
        coverage="all online sales",
        coverage_percent=Decimal("80.50"),
        verification_level="self_declared",
    )
    report = apps.get_model("merchants", "ProgressReport").objects.create(
        commitment=commitment,
        period_start=datetime.date(2026, 2, 1),
        period_end=datetime.date(2026, 2, 28),
        value=Decimal("20.5000"),
        evidence_url="https://example.com/evidence.pdf",
        evidence_text="invoice",
        source="declared",
        inputs={"kwh": 1200},
        created_by=user,
    )
    # A staff group granted a permission on an alliance model before the move.
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="merchants", model="commitment"
    )
    permission, _ = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="change_commitment", defaults={"name": "Can change commitment"}
    )
    group = apps.get_model("auth", "Group").objects.create(name="alliance reviewers")
    group.permissions.add(permission)
    return {
        "user": user.pk,
        "merchant": merchant.pk,
        "kpi": kpi.pk,
        "membership": membership.pk,
        "commitment": commitment.pk,
        "report": report.pk,
        "group": group.pk,
        "permission": permission.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_moving_the_alliance_models_to_their_own_app_keeps_the_rows():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        ContentType.objects.clear_cache()
        before = executor.loader.project_state(LAST_IN_MERCHANTS).apps
        assert {f"merchants_{name}" for name in TABLES} <= set(connection.introspection.table_names())
        ids = _make_rows_before_the_move(before)

        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        ContentType.objects.clear_cache()

        tables = set(connection.introspection.table_names())
        assert {f"alliance_{name}" for name in TABLES} <= tables
        assert not {f"merchants_{name}" for name in TABLES} & tables
        assert AllianceMembership._meta.app_label == "alliance"

        membership = AllianceMembership.objects.get(pk=ids["membership"])
        assert membership.merchant_id == ids["merchant"]
        assert membership.merchant.alliance_memberships.get() == membership
        assert membership.status == "active"
        assert membership.pledges == ["green_power", "reduced_packaging"]
        assert membership.declarations == {"renewable_contract": "PPA 2026"}
        assert membership.criteria == [{"code": "certified_products", "passed": True}]
        assert membership.criteria_passed is True
        assert membership.activated_at == ACTIVATED
        assert [(c.from_status, c.to_status, c.actor_id, c.reason) for c in membership.history.all()] == [
            ("", "applied", ids["user"], ""),
            ("applied", "active", None, "ok"),
        ]

        commitment = Commitment.objects.get(pk=ids["commitment"])
        assert commitment.membership_id == ids["membership"]
        assert commitment.kpi == Kpi.objects.get(pk=ids["kpi"], code="moved_kpi", position=99)
        assert (commitment.baseline_value, commitment.target_value) == (
            Decimal("12.3456"),
            Decimal("60.0000"),
        )
        assert (commitment.baseline_date, commitment.target_date) == (
            datetime.date(2026, 1, 1),
            datetime.date(2028, 12, 31),
        )
        assert (commitment.target_type, commitment.coverage, commitment.coverage_percent) == (
            "absolute",
            "all online sales",
            Decimal("80.50"),
        )
        assert commitment.verification_level == "self_declared"

        report = ProgressReport.objects.get(pk=ids["report"])
        assert report.commitment_id == ids["commitment"]
        assert report.created_by_id == ids["user"]
        assert (report.period_start, report.period_end) == (
            datetime.date(2026, 2, 1),
            datetime.date(2026, 2, 28),
        )
        assert (report.value, report.source) == (Decimal("20.5000"), "declared")
        assert (report.evidence_url, report.evidence_text) == ("https://example.com/evidence.pdf", "invoice")
        assert report.inputs == {"kwh": 1200}

        # The id sequences came along with the tables: new rows do not collide with the moved ones.
        again = AllianceMembership.objects.create(merchant_id=ids["merchant"], status="withdrawn")
        assert again.pk > ids["membership"]
        step = MembershipStatusChange.objects.create(membership=again, to_status="withdrawn")
        assert step.pk > max(membership.history.values_list("pk", flat=True))

        # The content type was relabelled, not replaced: the group's grant now reads as an alliance one.
        content_type = ContentType.objects.get_for_model(Commitment)
        assert content_type.app_label == "alliance"
        assert not ContentType.objects.filter(app_label="merchants", model__in=TABLES).exists()
        group = Group.objects.get(pk=ids["group"])
        assert list(group.permissions.values_list("pk", "content_type", "codename")) == [
            (ids["permission"], content_type.pk, "change_commitment")
        ]
        owner = membership.merchant.owner
        owner.groups.add(group)
        assert owner.has_perm("alliance.change_commitment")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        ContentType.objects.clear_cache()
