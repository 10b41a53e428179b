"""The claims Redis's copy of each campaign: its status, end and version, which the claim script checks
before it counts anything. A campaign change drops the copy inside its transaction (so a change the
claims Redis cannot be told about rolls back) and puts the new version after the commit; a claim that
finds no copy puts one itself. The script keeps the newer version, so an old copy never overwrites it.
"""

from __future__ import annotations

import logging

import redis

from marketplace.core.errors import NotFound
from vouchers.backends.redis.keys import campaign_key, to_epoch
from vouchers.backends.redis.server import claims_client, run_script
from vouchers.errors import ClaimsUnavailable
from vouchers.models import Allocation, Campaign

logger = logging.getLogger(__name__)

# An allocation never changes campaign, so this process asks the database once per allocation.
_campaign_of_allocation: dict[int, int] = {}


def campaign_id_of(allocation_id: int) -> int:
    campaign_id = _campaign_of_allocation.get(allocation_id)
    if campaign_id is None:
        found = Allocation.objects.filter(pk=allocation_id).values_list("campaign_id", flat=True).first()
        if found is None:
            raise NotFound("No voucher allocation matches the given id.")
        campaign_id = _campaign_of_allocation[allocation_id] = found
    return campaign_id


def put_campaign(client: redis.Redis, campaign: Campaign) -> None:
    run_script(
        client,
        "put_campaign",
        [campaign_key(campaign.pk)],
        [campaign.status, to_epoch(campaign.ends_at), campaign.version],
    )


def push_campaign(campaign: Campaign) -> None:
    try:
        put_campaign(claims_client(), campaign)
    except redis.RedisError as exc:
        logger.warning("campaign %s state not pushed to the claims Redis: %s", campaign.pk, exc)


def forget_campaign(campaign_id: int) -> None:
    """Inside a campaign change's transaction: drop the fast copy (reloaded on the next claim); raises
    ClaimsUnavailable when the claims Redis cannot be told, which rolls the change back."""
    try:
        claims_client().delete(campaign_key(campaign_id))
    except redis.RedisError as exc:
        raise ClaimsUnavailable() from exc
