"""What the venue shows of the merchant alliance, which sits above the venue (the alliance's criteria read
certificates), so the venue asks through this port instead of importing it.

The alliance registers its reader when Django starts (``merchants.alliance.venue_port``). Without one,
no shop is shown as a member: the badge is an optional decoration of the venue, not a rule of it.
"""

from __future__ import annotations

from collections.abc import Callable

_alliance_member_ids: Callable[[], set[int]] | None = None


def register_alliance_members(reader: Callable[[], set[int]]) -> None:
    global _alliance_member_ids
    _alliance_member_ids = reader


def alliance_member_merchant_ids() -> set[int]:
    """Ids of the shops that are alliance members now, read afresh on every call (a suspended member
    loses the badge on the very next request)."""
    return _alliance_member_ids() if _alliance_member_ids is not None else set()
