"""The A-E grade: how a footprint compares with its baseline, and the one table of thresholds.

The grade is the ratio footprint / baseline placed in bands. The bands are this project's proposal, not
a published standard, which is why the label shows the grade only beside its definition (the method is
written up in docs/carbon-method.md).
"""

from __future__ import annotations

from decimal import Decimal

# (grade, highest ratio footprint / baseline that still earns it); above the last bound the grade is E.
GRADE_BOUNDS = (("A", Decimal("0.6")), ("B", Decimal("0.85")), ("C", Decimal("1.15")), ("D", Decimal("1.5")))
WORST_GRADE = "E"


def grade_for_ratio(ratio: Decimal) -> str:
    for grade, bound in GRADE_BOUNDS:
        if ratio <= bound:
            return grade
    return WORST_GRADE


def grade_for(footprint: Decimal, baseline: Decimal) -> str:
    """The grade of ``footprint`` against ``baseline``; with no baseline, nothing (C) or anything (E)."""
    if baseline <= 0:
        return "C" if footprint <= 0 else WORST_GRADE
    return grade_for_ratio(footprint / baseline)
