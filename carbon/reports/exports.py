"""CSV of the campaign impact report: a one-row summary and a daily file, with self-explaining column
names (units in the name: ``_cny`` amounts in CNY, ``_kgco2e`` in kilograms of CO2e, ``_percent``)."""

from __future__ import annotations

import csv
import io
from typing import Any

from carbon.reports.impact import ImpactReport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

DAILY_COLUMNS = (
    "date",
    "orders",
    "gmv_cny",
    "green_gmv_cny",
    "voucher_discount_cny",
    "vouchers_claimed",
    "vouchers_claimed_face_value_cny",
    "vouchers_redeemed",
    "vouchers_redeemed_face_value_cny",
    "labelled_orders",
    "emitted_kgco2e",
    "baseline_kgco2e",
    "saved_kgco2e",
)


def _safe_text(value: str) -> str:
    """A spreadsheet must not run a campaign name as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def summary_row(report: ImpactReport) -> dict[str, Any]:
    row: dict[str, Any] = {
        "campaign_id": report.campaign_id,
        "campaign_name": _safe_text(report.campaign_name),
        "campaign_status": report.campaign_status,
        "window_starts_at": report.starts_at.isoformat(),
        "window_ends_at": report.ends_at.isoformat(),
        "total_budget_cny": report.total_budget,
        "allocated_cny": report.allocated,
        "factor_set": report.factor_set or "",
        "orders": report.orders,
        "gmv_cny": report.gmv,
        "green_gmv_cny": report.green_gmv,
        "green_gmv_share_percent": report.green_share_percent,
        "voucher_discount_cny": report.discount,
        "vouchers_claimed": report.vouchers_claimed,
        "vouchers_issued": report.vouchers_issued,
        "vouchers_issued_face_value_cny": report.vouchers_issued_face,
        "vouchers_redeemed": report.vouchers_redeemed,
        "vouchers_redeemed_face_value_cny": report.vouchers_redeemed_face,
        "labelled_orders": report.labelled_orders,
        "emitted_kgco2e": report.kgco2e,
        "baseline_kgco2e": report.baseline_kgco2e,
        "saved_kgco2e": report.saved_kgco2e,
        "saved_percent_of_baseline": report.saved_percent,
    }
    for share in report.packaging:
        row[f"packaging_{share.packaging}_orders"] = share.orders
        row[f"packaging_{share.packaging}_share_percent"] = share.share_percent
    return row


def daily_rows(report: ImpactReport) -> list[dict[str, Any]]:
    return [
        {
            "date": day.day.isoformat(),
            "orders": day.orders,
            "gmv_cny": day.gmv,
            "green_gmv_cny": day.green_gmv,
            "voucher_discount_cny": day.discount,
            "vouchers_claimed": day.vouchers_claimed,
            "vouchers_claimed_face_value_cny": day.vouchers_claimed_face,
            "vouchers_redeemed": day.vouchers_redeemed,
            "vouchers_redeemed_face_value_cny": day.vouchers_redeemed_face,
            "labelled_orders": day.labelled_orders,
            "emitted_kgco2e": day.kgco2e,
            "baseline_kgco2e": day.baseline_kgco2e,
            "saved_kgco2e": day.saved_kgco2e,
        }
        for day in report.daily
    ]


def _write(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def summary_csv(report: ImpactReport) -> str:
    row = summary_row(report)
    return _write(list(row), [row])


def daily_csv(report: ImpactReport) -> str:
    return _write(list(DAILY_COLUMNS), daily_rows(report))
