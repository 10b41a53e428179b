"""Server-side chart geometry for the staff reports (pure: no database, no Django).

The templates draw what these functions return as inline SVG, so the charts need no JavaScript; each
chart has a title and description for assistive technology and a data table next to it with the exact
figures (the bars are rounded to a tenth of a pixel).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PIXEL = Decimal("0.1")
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
TICKS = 4
MAX_X_LABELS = 12


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    colour: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class Rect:
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    colour: str
    title: str


@dataclass(frozen=True, slots=True)
class Tick:
    y: Decimal
    label: str


@dataclass(frozen=True, slots=True)
class XLabel:
    x: Decimal
    label: str


@dataclass(frozen=True, slots=True)
class LegendItem:
    x: Decimal
    colour: str
    name: str


@dataclass(frozen=True, slots=True)
class ColumnChart:
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    baseline_y: int
    rects: tuple[Rect, ...]
    ticks: tuple[Tick, ...]
    x_labels: tuple[XLabel, ...]
    legend: tuple[LegendItem, ...]


@dataclass(frozen=True, slots=True)
class BarRow:
    y: Decimal
    width: Decimal
    label: str
    value_label: str
    colour: str


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    rows: tuple[BarRow, ...]


def _px(value: Decimal) -> Decimal:
    return value.quantize(PIXEL, rounding=ROUND_HALF_UP)


def nice_maximum(value: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 x 10^k at or above ``value`` (1 for nothing), for round axis ticks."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    unit = Decimal(10) ** exponent
    for step in NICE_STEPS:
        if step * unit >= value:
            return step * unit
    return Decimal(10) * unit  # pragma: no cover - the last step always fits


def _tick_label(value: Decimal) -> str:
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return f"{int(normal):,}"
    return f"{normal:,f}"


def column_chart(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    width: int = 720,
    height: int = 260,
    unit: str = "",
) -> ColumnChart:
    """Stacked columns, one per category (a day); negative values are drawn as zero (the table has them)."""
    left, right, top, bottom = 64, 12, 28, 36
    plot_width, plot_height = width - left - right, height - top - bottom
    stacks = [
        sum((max(item.values[index], Decimal(0)) for item in series), Decimal(0))
        for index in range(len(categories))
    ]
    maximum = nice_maximum(max(stacks, default=Decimal(0)))
    slot = Decimal(plot_width) / max(len(categories), 1)
    bar_width = _px(slot * Decimal("0.7"))
    rects = []
    for index, category in enumerate(categories):
        x = _px(left + slot * index + (slot - bar_width) / 2)
        base = Decimal(plot_height)
        for item in series:
            value = max(item.values[index], Decimal(0))
            bar_height = _px(value / maximum * plot_height)
            base -= bar_height
            if bar_height > 0:
                rects.append(
                    Rect(
                        x=x,
                        y=_px(top + base),
                        width=bar_width,
                        height=bar_height,
                        colour=item.colour,
                        title=f"{category} {item.name}: {item.values[index]}{unit}",
                    )
                )
    ticks = tuple(
        Tick(
            y=_px(Decimal(top + plot_height) - Decimal(plot_height) * step / TICKS),
            label=_tick_label(maximum * step / TICKS),
        )
        for step in range(TICKS + 1)
    )
    every = max(1, -(-len(categories) // MAX_X_LABELS))
    x_labels = tuple(
        XLabel(x=_px(left + slot * index + slot / 2), label=category)
        for index, category in enumerate(categories)
        if index % every == 0
    )
    legend = tuple(
        LegendItem(x=Decimal(left + index * 200), colour=item.colour, name=item.name)
        for index, item in enumerate(series)
    )
    return ColumnChart(
        width=width,
        height=height,
        left=left,
        top=top,
        plot_width=plot_width,
        plot_height=plot_height,
        baseline_y=top + plot_height,
        rects=tuple(rects),
        ticks=ticks,
        x_labels=x_labels,
        legend=legend,
    )


def bar_chart(
    *, rows: Sequence[tuple[str, Decimal, str]], colour: str, width: int = 480, scale: Decimal | None = None
) -> BarChart:
    """Horizontal bars: (label, value, value label) rows, scaled to ``scale`` (default: the largest)."""
    label_width, bar_height, gap = 200, 20, 8
    largest = scale if scale is not None else max((value for _, value, _ in rows), default=Decimal(0))
    room = Decimal(width - label_width - 80)
    bars = tuple(
        BarRow(
            y=Decimal(index * (bar_height + gap)),
            width=_px(max(value, Decimal(0)) / largest * room) if largest > 0 else Decimal(0),
            label=label,
            value_label=value_label,
            colour=colour,
        )
        for index, (label, value, value_label) in enumerate(rows)
    )
    return BarChart(
        width=width,
        height=max(len(rows), 1) * (bar_height + gap),
        label_width=label_width,
        bar_height=bar_height,
        rows=bars,
    )
