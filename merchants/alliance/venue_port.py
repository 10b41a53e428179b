"""The alliance's side of ``green_venue.ports``: the venue's member badge reads the live memberships.

A membership write also makes every cached venue answer stale. It is a signal, not a call in the
services, because the admin and the shell write memberships too, and a suspended member must lose the
badge on the very next request whoever suspended it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from green_venue.cache import venue_bump
from green_venue.ports import register_alliance_members
from merchants.alliance.models import AllianceMembership
from merchants.alliance.selectors import alliance_member_merchant_ids


def _membership_written(sender: Any, **kwargs: Any) -> None:
    venue_bump()


def connect() -> None:
    register_alliance_members(alliance_member_merchant_ids)
    post_save.connect(
        _membership_written, sender=AllianceMembership, dispatch_uid="alliance_venue_badge_save"
    )
    post_delete.connect(
        _membership_written, sender=AllianceMembership, dispatch_uid="alliance_venue_badge_delete"
    )
