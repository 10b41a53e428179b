"""Writes of the alliance: enrolment and membership transitions, commitments, progress reports and the
platform's measurement of KPIs.

Rules (docs/domain.md, "Alliance"; docs/invariants.md, "Who sees what"): only the shop's owner acts for
it, only staff approve, reject, suspend and reinstate. Transitions lock the membership row, re-check its
status and append one history entry in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.core.errors import DomainError, Forbidden, InvalidInput, InvalidTransition
from merchants.alliance import kpis, selectors
from merchants.alliance.models import (
    AllianceMembership,
    Commitment,
    Kpi,
    KpiSource,
    MembershipStatus,
    MembershipStatusChange,
    Pledge,
    ProgressReport,
    TargetType,
    VerificationLevel,
)

MAX_REASON_LENGTH = 2000
HUNDRED = Decimal(100)


class NotAMember(DomainError):
    status_code = 403
    code = "not_a_member"
    default_detail = "Only active alliance members do this."


# --- who may act --------------------------------------------------------------------------------------


def _merchant_of(user: Any) -> Any:
    merchant = getattr(user, "merchant", None) if user.is_authenticated else None
    if merchant is None:
        raise DomainError(
            _("Open a shop first: only merchants join the alliance."), code="not_a_merchant", status_code=403
        )
    return merchant


def check_staff(user: Any) -> None:
    if not (user.is_authenticated and user.is_staff):
        raise Forbidden(_("Only staff decide on alliance memberships."))


def check_owner(*, membership: AllianceMembership, user: Any) -> None:
    if not user.is_authenticated or membership.merchant.owner_id != user.pk:
        raise Forbidden(_("Only the shop's owner acts for its membership."))


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason; the merchant sees it."), field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(_("The reason is too long."), field="reason")
    return reason


# --- hard criteria ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    label: str
    required: str
    actual: str
    passed: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "required": self.required,
            "actual": self.actual,
            "passed": self.passed,
        }


def membership_criteria(*, merchant: Any) -> list[Criterion]:
    """The hard criteria the platform checks itself, with what it found."""
    minimum = settings.ALLIANCE_MIN_CERTIFIED_PRODUCTS
    lookback = settings.ALLIANCE_REVOCATION_LOOKBACK_DAYS
    certified = selectors.merchant_certified_product_count(merchant=merchant)
    revoked = selectors.merchant_recent_revocations(merchant=merchant, days=lookback)
    return [
        Criterion(
            code="shop_active",
            label=_("The shop is active"),
            required="active",
            actual=str(merchant.status),
            passed=merchant.status == "active",
        ),
        Criterion(
            code="min_certified_products",
            label=_("At least %(n)s green certified products") % {"n": minimum},
            required=f">= {minimum}",
            actual=str(certified),
            passed=certified >= minimum,
        ),
        Criterion(
            code="no_recent_revocation",
            label=_("No certificate revoked in the last %(days)s days") % {"days": lookback},
            required="0",
            actual=str(revoked),
            passed=revoked == 0,
        ),
    ]


# --- enrolment and transitions -------------------------------------------------------------------------


def _log(*, membership: AllianceMembership, from_status: str, actor: Any, reason: str = "") -> None:
    MembershipStatusChange.objects.create(
        membership=membership,
        from_status=from_status,
        to_status=membership.status,
        actor=actor,
        reason=reason,
    )


def _clean_pledges(pledges: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(pledges))
    unknown = [code for code in chosen if code not in Pledge.values]
    if unknown:
        raise InvalidInput(_("Unknown pledge: %(code)s") % {"code": ", ".join(unknown)}, field="pledges")
    if not chosen:
        raise InvalidInput(_("Take at least one pledge."), field="pledges")
    return [code for code in Pledge.values if code in chosen]


def membership_apply(
    *, user: Any, pledges: Iterable[str], declarations: Mapping[str, Any] | None = None
) -> AllianceMembership:
    """The user's shop applies; the hard criteria are checked and stored with pass/fail."""
    merchant = _merchant_of(user)
    clean_pledges = _clean_pledges(pledges)
    criteria = membership_criteria(merchant=merchant)
    try:
        with transaction.atomic():
            membership = AllianceMembership.objects.create(
                merchant=merchant,
                status=MembershipStatus.APPLIED,
                pledges=clean_pledges,
                declarations=dict(declarations or {}),
                criteria=[criterion.as_json() for criterion in criteria],
                criteria_passed=all(criterion.passed for criterion in criteria),
            )
            _log(membership=membership, from_status="", actor=user)
    except IntegrityError as exc:  # the partial unique constraint: one live membership per shop
        raise DomainError(
            _("Your shop already has an application or a membership."), code="already_applied"
        ) from exc
    return membership


def _transition(
    *,
    membership: AllianceMembership,
    user: Any,
    allowed_from: tuple[str, ...],
    to: str,
    reason: str = "",
    before: Any = None,
) -> AllianceMembership:
    with transaction.atomic():
        locked = (
            AllianceMembership.objects.select_for_update().select_related("merchant").get(pk=membership.pk)
        )
        if locked.status == to:
            return locked  # Asking for the state it is already in changes nothing.
        if locked.status not in allowed_from:
            raise InvalidTransition(
                _("A membership that is %(status)s cannot become %(to)s.")
                % {"status": locked.get_status_display(), "to": MembershipStatus(to).label}
            )
        if before is not None:
            before(locked)
        from_status = locked.status
        now = timezone.now()
        locked.status = to
        fields = ["status", "updated_at"]
        if to in (MembershipStatus.REJECTED, MembershipStatus.SUSPENDED):
            locked.status_reason = reason
            fields.append("status_reason")
        elif to == MembershipStatus.ACTIVE:
            locked.status_reason = ""
            fields.append("status_reason")
        if from_status == MembershipStatus.APPLIED:
            locked.decided_at = now
            fields.append("decided_at")
        if to == MembershipStatus.ACTIVE and locked.activated_at is None:
            locked.activated_at = now
            fields.append("activated_at")
        locked.save(update_fields=fields)
        _log(membership=locked, from_status=from_status, actor=user, reason=reason)
    return locked


def membership_approve(*, membership: AllianceMembership, user: Any) -> AllianceMembership:
    """Staff approve; the hard criteria are checked again and must all pass now."""
    check_staff(user)

    def recheck(locked: AllianceMembership) -> None:
        criteria = membership_criteria(merchant=locked.merchant)
        locked.criteria = [criterion.as_json() for criterion in criteria]
        locked.criteria_passed = all(criterion.passed for criterion in criteria)
        if not locked.criteria_passed:
            failed = ", ".join(criterion.label for criterion in criteria if not criterion.passed)
            raise DomainError(
                _("The shop does not meet the alliance's criteria: %(failed)s") % {"failed": failed},
                code="criteria_not_met",
            )
        locked.save(update_fields=["criteria", "criteria_passed"])

    return _transition(
        membership=membership,
        user=user,
        allowed_from=(MembershipStatus.APPLIED,),
        to=MembershipStatus.ACTIVE,
        before=recheck,
    )


def membership_reject(*, membership: AllianceMembership, user: Any, reason: str) -> AllianceMembership:
    check_staff(user)
    return _transition(
        membership=membership,
        user=user,
        allowed_from=(MembershipStatus.APPLIED,),
        to=MembershipStatus.REJECTED,
        reason=_clean_reason(reason),
    )


def membership_suspend(*, membership: AllianceMembership, user: Any, reason: str) -> AllianceMembership:
    check_staff(user)
    return _transition(
        membership=membership,
        user=user,
        allowed_from=(MembershipStatus.ACTIVE,),
        to=MembershipStatus.SUSPENDED,
        reason=_clean_reason(reason),
    )


def membership_reinstate(
    *, membership: AllianceMembership, user: Any, reason: str = ""
) -> AllianceMembership:
    check_staff(user)
    return _transition(
        membership=membership,
        user=user,
        allowed_from=(MembershipStatus.SUSPENDED,),
        to=MembershipStatus.ACTIVE,
        reason=(reason or "").strip()[:MAX_REASON_LENGTH],
    )


def membership_withdraw(*, membership: AllianceMembership, user: Any, reason: str = "") -> AllianceMembership:
    """The member leaves (or withdraws an application); the shop may apply again later."""
    check_owner(membership=membership, user=user)
    return _transition(
        membership=membership,
        user=user,
        allowed_from=(MembershipStatus.APPLIED, MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED),
        to=MembershipStatus.WITHDRAWN,
        reason=(reason or "").strip()[:MAX_REASON_LENGTH],
    )


# --- commitments and reports -----------------------------------------------------------------------------


def _active_membership_of(user: Any) -> AllianceMembership:
    merchant = _merchant_of(user)
    membership = AllianceMembership.objects.filter(merchant=merchant, status=MembershipStatus.ACTIVE).first()
    if membership is None:
        raise NotAMember(_("Only active alliance members make commitments and reports."))
    return membership


def _check_value(kpi: Kpi, value: Decimal, field: str) -> None:
    if value < 0:
        raise InvalidInput(_("A KPI value cannot be negative."), field=field)
    if kpi.is_share and value > HUNDRED:
        raise InvalidInput(_("A share cannot be above 100%."), field=field)


def commitment_create(
    *,
    user: Any,
    kpi_code: str,
    baseline_value: Decimal,
    baseline_date: datetime.date,
    target_value: Decimal,
    target_date: datetime.date,
    verification_level: str,
    target_type: str = TargetType.INTENSITY,
    coverage: str = "",
    coverage_percent: Decimal = HUNDRED,
) -> Commitment:
    membership = _active_membership_of(user)
    kpi = Kpi.objects.filter(code=kpi_code, active=True).first()
    if kpi is None:
        raise InvalidInput(_("Unknown KPI: %(code)s") % {"code": kpi_code}, field="kpi")
    today = selectors.marketplace_today()
    if baseline_date > today:
        raise InvalidInput(_("The baseline date cannot be in the future."), field="baseline_date")
    if target_date <= today:
        raise InvalidInput(_("The target date must be in the future."), field="target_date")
    if target_date <= baseline_date:
        raise InvalidInput(_("The target date must be after the baseline date."), field="target_date")
    _check_value(kpi, baseline_value, "baseline_value")
    _check_value(kpi, target_value, "target_value")
    improves = target_value > baseline_value if kpi.direction == "higher" else target_value < baseline_value
    if not improves:
        raise InvalidInput(
            _("The target must improve on the baseline (%(direction)s).")
            % {"direction": kpi.get_direction_display()},
            field="target_value",
        )
    if not (Decimal(0) < coverage_percent <= HUNDRED):
        raise InvalidInput(_("Coverage must be above 0% and at most 100%."), field="coverage_percent")
    if verification_level not in VerificationLevel.values:
        raise InvalidInput(_("Unknown verification level."), field="verification_level")
    if target_type not in TargetType.values:
        raise InvalidInput(_("Unknown target type."), field="target_type")
    try:
        with transaction.atomic():
            return Commitment.objects.create(
                membership=membership,
                kpi=kpi,
                baseline_value=baseline_value,
                baseline_date=baseline_date,
                target_value=target_value,
                target_date=target_date,
                target_type=target_type,
                coverage=coverage,
                coverage_percent=coverage_percent,
                verification_level=verification_level,
            )
    except IntegrityError as exc:
        raise DomainError(_("You already have a commitment on this KPI."), code="commitment_exists") from exc


def progress_report_declare(
    *,
    commitment: Commitment,
    user: Any,
    period_start: datetime.date,
    period_end: datetime.date,
    value: Decimal,
    evidence_url: str = "",
    evidence_text: str = "",
) -> ProgressReport:
    """A member reports a self-declared KPI with its evidence (platform KPIs are measured, not declared)."""
    check_owner(membership=commitment.membership, user=user)
    if commitment.membership.status != MembershipStatus.ACTIVE:
        raise NotAMember(_("Only active alliance members report progress."))
    if commitment.kpi.source != KpiSource.DECLARED:
        raise InvalidInput(
            _("This KPI is measured by the platform; it cannot be declared."), field="commitment"
        )
    if period_end < period_start:
        raise InvalidInput(_("The period must end on or after its start."), field="period_end")
    if period_end > selectors.marketplace_today():
        raise InvalidInput(_("A period cannot end in the future."), field="period_end")
    if period_end < commitment.baseline_date:
        raise InvalidInput(_("The period ends before the commitment's baseline."), field="period_end")
    _check_value(commitment.kpi, value, "value")
    if not (evidence_url.strip() or evidence_text.strip()):
        raise InvalidInput(_("Declared progress needs evidence (a link or a description)."), field="evidence")
    try:
        with transaction.atomic():
            return ProgressReport.objects.create(
                commitment=commitment,
                period_start=period_start,
                period_end=period_end,
                value=value,
                evidence_url=evidence_url.strip(),
                evidence_text=evidence_text.strip(),
                source=KpiSource.DECLARED,
                created_by=user,
            )
    except IntegrityError as exc:
        raise DomainError(_("This period is already reported."), code="already_reported") from exc


# --- platform measurement ---------------------------------------------------------------------------------


def membership_measure(
    *, membership_id: int, period_start: datetime.date, period_end: datetime.date
) -> list[ProgressReport]:
    """Measure the platform KPIs of one active member over a period and append one report per
    commitment. Idempotent: a period already measured is left as it is (the unique constraint decides)."""
    commitments = list(
        selectors.active_commitments_to_measure().filter(membership_id=membership_id).order_by("id")
    )
    if not commitments:
        return []
    merchant = commitments[0].membership.merchant
    facts = selectors.merchant_period_facts(
        merchant=merchant, period_start=period_start, period_end=period_end
    )
    inputs = selectors.facts_as_json(facts)
    reports = []
    for commitment in commitments:
        if commitment.kpi.code not in kpis.MEASURES:
            continue
        value = kpis.measure(commitment.kpi.code, facts)
        if value is None:
            continue  # nothing to measure in the period (no products, orders, shipments or labels)
        reports.append(
            ProgressReport(
                commitment=commitment,
                period_start=period_start,
                period_end=period_end,
                value=value,
                source=KpiSource.PLATFORM,
                inputs={"kpi": commitment.kpi.code, "facts": inputs},
                evidence_text="measured by the platform",
            )
        )
    # ON CONFLICT DO NOTHING: a period measured before (or by a parallel run) keeps its first report.
    ProgressReport.objects.bulk_create(reports, ignore_conflicts=True)
    return reports


def membership_measure_on_demand(
    *,
    membership: AllianceMembership,
    user: Any,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> list[ProgressReport]:
    """Staff measure one member now (default: last month); the same idempotent path as the beat.

    Returns the member's platform reports of that period."""
    check_staff(user)
    if membership.status != MembershipStatus.ACTIVE:
        raise InvalidTransition(_("Only active members are measured."))
    today = selectors.marketplace_today()
    if period_start is None or period_end is None:
        period_start, period_end = kpis.previous_month(today)
    if period_end < period_start:
        raise InvalidInput(_("The period must end on or after its start."), field="period_end")
    if period_end > today:
        raise InvalidInput(_("A period cannot end in the future."), field="period_end")
    membership_measure(membership_id=membership.pk, period_start=period_start, period_end=period_end)
    return list(
        ProgressReport.objects.filter(
            commitment__membership=membership,
            period_start=period_start,
            period_end=period_end,
            source=KpiSource.PLATFORM,
        )
        .select_related("commitment")
        .order_by("commitment_id")
    )


def alliance_measure_progress(
    *, period_start: datetime.date | None = None, period_end: datetime.date | None = None
) -> int:
    """Measure every active member (default: last month); returns the number of members measured."""
    if period_start is None or period_end is None:
        period_start, period_end = kpis.previous_month(selectors.marketplace_today())
    membership_ids = sorted(
        set(selectors.active_commitments_to_measure().values_list("membership_id", flat=True))
    )
    for membership_id in membership_ids:
        membership_measure(membership_id=membership_id, period_start=period_start, period_end=period_end)
    return len(membership_ids)
