"""Staff page of the campaign impact report (charts as server-side SVG) and its CSV downloads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from carbon.reports import charts, exports, selectors
from carbon.reports.impact import ImpactReport
from marketplace.orders.models import Packaging
from vouchers.models import Campaign, CampaignStatus

GREEN = "#2e7d32"
GREY = "#8a8a8a"
EMITTED = "#5d6d7e"
SAVED = "#43a047"


def _require_staff(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied


def _campaign_or_404(pk: Any) -> Campaign:
    try:
        campaign = Campaign.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        campaign = None
    if campaign is None:
        raise Http404
    return campaign


def _default_campaign(campaigns: list[Campaign]) -> Campaign | None:
    active = [campaign for campaign in campaigns if campaign.status == CampaignStatus.ACTIVE]
    choices = active or campaigns
    return choices[0] if choices else None


def impact_charts(report: ImpactReport) -> dict[str, Any]:
    days = [day.day.strftime("%m-%d") for day in report.daily]
    sales = charts.column_chart(
        categories=days,
        series=[
            charts.Series(_("Green GMV"), GREEN, tuple(day.green_gmv for day in report.daily)),
            charts.Series(_("Other GMV"), GREY, tuple(day.gmv - day.green_gmv for day in report.daily)),
        ],
        unit=" CNY",
    )
    carbon = charts.column_chart(
        categories=days,
        series=[
            charts.Series(_("Emitted"), EMITTED, tuple(day.kgco2e for day in report.daily)),
            charts.Series(_("Saved"), SAVED, tuple(day.saved_kgco2e for day in report.daily)),
        ],
        unit=" kgCO2e",
    )
    labels = dict(Packaging.choices)
    packaging = charts.bar_chart(
        rows=[
            (
                str(labels.get(share.packaging, share.packaging)),
                share.share_percent,
                f"{share.share_percent}%",
            )
            for share in report.packaging
        ],
        colour=GREEN,
        scale=Decimal(100),
    )
    return {"sales_chart": sales, "carbon_chart": carbon, "packaging_chart": packaging}


@login_required
def impact_report(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    campaigns = list(selectors.impact_campaigns())
    chosen = request.GET.get("campaign")
    campaign = _campaign_or_404(chosen) if chosen else _default_campaign(campaigns)
    context: dict[str, Any] = {"campaigns": campaigns, "campaign": campaign}
    if campaign is not None:
        report = selectors.campaign_impact(campaign=campaign)
        packaging_names = dict(Packaging.choices)
        context.update(
            report=report,
            packaging_rows=[
                {"name": packaging_names.get(share.packaging, share.packaging), "share": share}
                for share in report.packaging
            ],
            **impact_charts(report),
        )
    return render(request, "carbon/staff_impact.html", context)


def _csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def impact_summary_csv(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    report = selectors.campaign_impact(campaign=_campaign_or_404(pk))
    return _csv_response(exports.summary_csv(report), f"campaign-{pk}-impact-summary.csv")


@login_required
def impact_daily_csv(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    report = selectors.campaign_impact(campaign=_campaign_or_404(pk))
    return _csv_response(exports.daily_csv(report), f"campaign-{pk}-impact-daily.csv")
