"""Warming: the allocations shoppers can claim are loaded into the claims Redis before they come, so a
flash sale's opening claims are one round trip each. Beat, a campaign's activation and a new allocation
of an active campaign ask for it (``services.voucher_claims_warm``), once claims are open."""

from __future__ import annotations

from collections.abc import Iterable

from vouchers.backends.redis.campaigns import put_campaign
from vouchers.backends.redis.counters import load_allocation
from vouchers.backends.redis.keys import allocation_key, campaign_key, user_counts_key
from vouchers.backends.redis.server import claims_client
from vouchers.models import Campaign


def preload_allocations(allocation_ids: Iterable[int]) -> int:
    """Load the allocations (and their campaigns) the claims Redis does not hold yet, before shoppers
    come: otherwise the first claims of a flash sale's opening second wait for the load (a journal drain
    and every shopper's count) and for each other. Returns how many were loaded; needs claims open."""
    ids = sorted(set(allocation_ids))
    if not ids:
        return 0
    client = claims_client()
    pipe = client.pipeline(transaction=False)
    for allocation_id in ids:
        pipe.exists(allocation_key(allocation_id))
        pipe.hexists(user_counts_key(allocation_id), "_loaded")
    answers = pipe.execute()
    missing = [
        allocation_id
        for index, allocation_id in enumerate(ids)
        if not (answers[2 * index] and answers[2 * index + 1])
    ]
    for allocation_id in missing:
        load_allocation(client, allocation_id)
    campaigns = Campaign.objects.filter(allocations__id__in=ids).distinct()
    for campaign in campaigns:
        if not client.exists(campaign_key(campaign.pk)):
            put_campaign(client, campaign)
    return len(missing)
