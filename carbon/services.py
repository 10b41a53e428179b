from __future__ import annotations


def carbon_label_order_compute(*, order_id: int) -> None:
    """Compute and store the label of a paid order for the active factor set (the carbon issue)."""
    return None
