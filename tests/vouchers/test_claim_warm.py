"""A flash sale's opening (redis backend): the allocations shoppers can claim are in the claims Redis
before the first claim, so the opening second's claims do not each wait for a load from the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory
from tests.vouchers.factories import make_allocation, make_campaign
from vouchers import services, tasks
from vouchers.backends.redis import campaigns, keys, recovery, server

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings: Any) -> None:
    settings.CLAIM_RATE_LIMIT = (1000, 60)
    settings.CLAIM_RATE_LIMIT_PER_IP = (1000, 60)
    settings.TOKEN_CACHE_SECONDS = 60


def _held(allocation_id: int) -> bool:
    client = server.claims_client()
    return bool(
        client.exists(keys.allocation_key(allocation_id))
        and client.hexists(keys.user_counts_key(allocation_id), "_loaded")
    )


def test_activating_a_campaign_loads_its_allocations(
    claims_redis: Any, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = make_campaign(activate=False)
    allocation = make_allocation(campaign=campaign)
    assert not _held(allocation.pk)  # a draft is not loaded

    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_transition(
            campaign_id=campaign.pk, user=StaffFactory(is_staff=True), action="activate"
        )

    assert _held(allocation.pk)


def test_an_allocation_added_to_an_active_campaign_is_loaded(
    claims_redis: Any, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = make_campaign()
    with django_capture_on_commit_callbacks(execute=True):
        allocation = make_allocation(campaign=campaign)

    assert _held(allocation.pk)


def test_beat_reloads_what_a_restarted_claims_redis_lost(claims_redis: Any) -> None:
    allocation = make_allocation()
    claims_redis.crash()
    claims_redis.start()  # an empty server: no AOF survives the test's flush
    server.reset_connections()

    tasks.journal_drain()

    assert recovery.claims_open()
    assert _held(allocation.pk)


def test_after_warming_a_shoppers_first_claim_needs_no_database(claims_redis: Any) -> None:
    allocation = make_allocation(per_user_limit=1)
    services.voucher_claims_warm()
    campaigns._campaign_of_allocation[allocation.pk] = allocation.campaign_id  # this process knew it
    shopper = client_for(UserFactory())
    assert shopper.get("/api/v1/vouchers/").status_code == 200  # authenticated once: token cached

    with CaptureQueriesContext(connection) as queries:
        response = shopper.post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/")

    assert response.status_code == 201
    assert queries.captured_queries == []


def test_warming_is_a_no_op_with_the_database_backend(settings: Any) -> None:
    settings.VOUCHER_CLAIM_BACKEND = "database"
    make_allocation()

    assert services.voucher_claims_warm() == 0
