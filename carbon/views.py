"""Pages of the carbon app: the order's label graphic (an htmx partial that polls while the label is
computed), the shopper's carbon account and the staff view of factor sets with recomputation progress."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carbon import selectors, services
from carbon.models import CarbonLabel, FactorSet
from marketplace.core.errors import DomainError
from marketplace.orders.models import Order

GRADE_COLOURS = {"A": "#1a7f37", "B": "#5aa832", "C": "#c9a400", "D": "#e0782b", "E": "#c62828"}
BAR_WIDTH = 240  # px of the longest bar in the label graphic
POLL_SECONDS = 3
NOTE_TEXT = {
    "distance_estimated_great_circle": gettext_lazy(
        "Distances are estimated: great-circle distance between the cities times 1.05 for roads."
    ),
    "last_mile_generation_only_scope": gettext_lazy(
        "The electric last mile counts power-generation CO2 only (no upstream): its saving is compared with "
        "the diesel van's tank-to-wheel figure, the same scope."
    ),
    "product_default_spend_factor": gettext_lazy(
        "A product's category has no factor: a general spend-based estimate was used."
    ),
    "product_factor_is_an_estimate": gettext_lazy(
        "Category footprints are estimates, not measured values; a declared footprint replaces them."
    ),
    "packaging_none_not_possible_standard_box_assumed": gettext_lazy(
        "Not every product can ship in its own packaging: a standard box was assumed."
    ),
}
QUALITY_TEXT = {"high": gettext_lazy("high"), "medium": gettext_lazy("medium"), "low": gettext_lazy("low")}


def _own_order(request: HttpRequest, pk: int) -> Order:
    user: Any = request.user  # login_required: never anonymous here
    order = Order.objects.filter(pk=pk, user=user).select_related("shipping_city").first()
    if order is None:
        raise Http404
    return order


def _width(value: Decimal, scale: Decimal) -> int:
    if scale <= 0 or value <= 0:
        return 0
    return max(1, int((value / scale * BAR_WIDTH).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def label_graphic(label: CarbonLabel) -> dict[str, Any]:
    """What the SVG draws: bars scaled to the larger of footprint and baseline."""
    scale = max(label.total_kgco2e, label.baseline_kgco2e)
    parts = [
        (_("Product"), label.product_kgco2e),
        (_("Packaging"), label.packaging_kgco2e),
        (_("Delivery"), label.transport_kgco2e),
    ]
    return {
        "colour": GRADE_COLOURS.get(label.grade, "#555555"),
        "text_colour": "#1b1b1b" if label.grade == "C" else "#ffffff",
        "bars": [
            {"name": name, "kg": kg, "width": _width(kg, scale), "y": 92 + index * 26}
            for index, (name, kg) in enumerate(parts)
        ],
        "total_width": _width(label.total_kgco2e, scale),
        "baseline_width": _width(label.baseline_kgco2e, scale),
    }


@login_required
def order_label(request: HttpRequest, pk: int) -> HttpResponse:
    """The label partial of one of the shopper's orders (included on the order page with htmx)."""
    order = _own_order(request, pk)
    label = selectors.carbon_label_for_order(order)
    context: dict[str, Any] = {"order": order, "label": label, "poll_seconds": POLL_SECONDS}
    if label is not None:
        context["graphic"] = label_graphic(label)
        context["factors"] = selectors.label_factors(label)
        used = {factor.source for factor in context["factors"]}
        context["sources"] = [source for source in label.factor_set.sources if source.get("code") in used]
        context["legs"] = label.details.get("legs", [])
        context["notes"] = [NOTE_TEXT.get(code, code) for code in label.details.get("notes", [])]
        context["quality"] = QUALITY_TEXT.get(label.quality, label.quality)
    else:
        context["pending"] = order.paid_at is not None
    return render(request, "carbon/_label.html", context)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    data = selectors.carbon_account_for_user(request.user)
    largest = max([Decimal(month["baseline_kgco2e"]) for month in data["months"]] + [Decimal(0)])
    for month in data["months"]:
        month["width"] = _width(Decimal(month["kgco2e"]), largest)
        month["baseline_width"] = _width(Decimal(month["baseline_kgco2e"]), largest)
    return render(request, "carbon/account.html", {"account": data, "bar_width": BAR_WIDTH})


@staff_member_required
def staff_factor_sets(request: HttpRequest) -> HttpResponse:
    factor_sets = list(FactorSet.objects.order_by("-published_at", "-id"))
    rows = [
        {"factor_set": factor_set, "progress": selectors.recomputation_progress(factor_set)}
        for factor_set in factor_sets
    ]
    template = (
        "carbon/_staff_progress.html"
        if request.headers.get("HX-Request")
        else "carbon/staff_factor_sets.html"
    )
    return render(request, template, {"rows": rows, "poll_seconds": POLL_SECONDS})


@staff_member_required
@require_POST
def staff_factor_set_publish(request: HttpRequest, pk: int) -> HttpResponse:
    factor_set = FactorSet.objects.filter(pk=pk).first()
    if factor_set is None:
        raise Http404
    try:
        services.factor_set_publish(factor_set=factor_set)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Published. Labels are being recomputed in the background."))
    return redirect("carbon:staff-factor-sets")
