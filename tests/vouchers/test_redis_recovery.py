"""The redis claim backend when its Redis goes away (docs/domain.md, "Recovery of the redis backend"): claims
answer 503 and issue nothing, browsing still works; on its return the journal goes into the ledger, the
counters are set from the ledger, then claims reopen. Acknowledged claims survive the crash."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory
from tests.vouchers.factories import make_allocation
from vouchers import services
from vouchers.backends.redis import journal, keys, recovery, server
from vouchers.buckets import allocation_issued_amount
from vouchers.ledger import persist_journaled_claim
from vouchers.models import BudgetEntry, EntryKind, Voucher
from vouchers.reconcile import reconcile

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.CLAIM_RATE_LIMIT = (1000, 60)
    settings.CLAIM_RATE_LIMIT_PER_IP = (1000, 60)


def test_claims_acknowledged_before_a_crash_survive_it_and_claims_answer_503_meanwhile(claims_redis):
    allocation = make_allocation(budget="100.00", face_value="10.00", per_user_limit=1)
    early = [UserFactory() for _ in range(5)]
    acknowledged = []
    for user in early:
        response = client_for(user).post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/")
        assert response.status_code == 201, response.content
        acknowledged.append(response.json()["code"])
    assert Voucher.objects.count() == 0  # only in the journal: the drain has not run

    claims_redis.crash()  # SIGKILL right after the acknowledgements: no shutdown save

    late = UserFactory()
    response = client_for(late).post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    # Browsing still works while the claims Redis is down.
    assert client_for(late).get("/api/v1/voucher-allocations/").status_code == 200
    assert client_for(early[0]).get("/api/v1/vouchers/").status_code == 200
    assert Voucher.objects.count() == 0
    assert BudgetEntry.objects.count() == 0

    claims_redis.start()  # same port and directory: the AOF is replayed

    response = client_for(late).post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/")
    assert response.status_code == 201, response.content
    # Recovery wrote every acknowledged claim into the ledger before reopening.
    persisted = set(Voucher.objects.values_list("code", flat=True))
    assert set(acknowledged) <= persisted
    # The per-user limit still holds after the counters were rebuilt from the database.
    again = client_for(early[0]).post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/")
    assert again.status_code == 409
    assert again.json()["code"] == "limit_reached"
    # The shopper sees every voucher they were told they have.
    mine = client_for(early[1]).get("/api/v1/vouchers/").json()
    assert [item["code"] for item in mine["results"]] == [acknowledged[1]]

    services.voucher_journal_drain()
    assert Voucher.objects.count() == 6
    assert reconcile() == []


def test_budget_is_not_overspent_after_recovery(claims_redis):
    allocation = make_allocation(budget="30.00", face_value="10.00", per_user_limit=1)
    for _ in range(3):
        services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
    claims_redis.crash()
    claims_redis.start()
    with pytest.raises(Exception) as exc:
        services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
    assert getattr(exc.value, "code", None) == "budget_exhausted"
    assert Voucher.objects.count() == 3
    assert reconcile() == []


def test_missing_counter_means_not_loaded_never_zero(claims_redis):
    allocation = make_allocation(budget="20.00", face_value="10.00", per_user_limit=1)
    services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
    services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
    services.voucher_journal_drain()
    # The counter key disappears (an operator flushed it): it is loaded from the ledger, not read as 0.
    server.claims_client().delete(keys.allocation_key(allocation.pk))
    with pytest.raises(Exception) as exc:
        services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
    assert getattr(exc.value, "code", None) == "budget_exhausted"
    assert Voucher.objects.count() == 2


def test_a_drain_worker_dying_after_its_commit_replays_without_duplicates(claims_redis):
    allocation = make_allocation(budget="100.00", face_value="10.00", per_user_limit=1)
    for _ in range(3):
        services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
    client = server.claims_client()
    claim_id, entry = next(iter(client.hgetall(keys.journal_key()).items()))
    # The worker committed this entry to the database, then died before removing it from the journal.
    assert persist_journaled_claim(journal._parse(claim_id, entry))

    services.voucher_journal_drain()  # the task redelivered (acks_late) runs again
    services.voucher_journal_drain()

    assert Voucher.objects.count() == 3
    assert BudgetEntry.objects.filter(kind=EntryKind.RESERVE).count() == 3
    assert allocation_issued_amount(allocation.pk) == Decimal("30.00")
    assert reconcile() == []


def test_the_beat_drain_recovers_a_restarted_redis_and_persists_every_acknowledged_claim(claims_redis):
    from vouchers import tasks

    allocation = make_allocation(budget="100.00", face_value="10.00", per_user_limit=1)
    codes = {services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk).code for _ in range(4)}
    # The web processes that acknowledged these claims may die now: the journal in Redis is the record.
    claims_redis.crash()
    assert tasks.journal_drain() == 0  # Redis unreachable: nothing to do, nothing lost
    claims_redis.start()

    tasks.journal_drain()

    assert set(Voucher.objects.values_list("code", flat=True)) == codes
    assert recovery.claims_open()
    assert reconcile() == []


def test_a_checkout_that_rolls_back_does_not_lose_a_claim_it_drained(claims_redis):
    from django.db import transaction

    from marketplace.core.errors import DomainError
    from tests.vouchers.factories import certified_product, make_order

    cheap, _ = certified_product(price=Decimal("5.00"))
    allocation = make_allocation(face_value="10.00", min_spend="50.00")
    shopper = UserFactory()
    claimed = services.voucher_claim(user=shopper, allocation_id=allocation.pk)
    order = make_order(user=shopper, lines=[(cheap, 1)])

    with pytest.raises(DomainError), transaction.atomic():
        services.voucher_redeem_for_order(user=shopper, code=claimed.code, order=order)

    assert not Voucher.objects.filter(code=claimed.code).exists()  # rolled back with the checkout...
    services.voucher_journal_drain()
    assert Voucher.objects.filter(code=claimed.code, owner=shopper).exists()  # ...but still in the journal
    assert reconcile() == []


def test_staff_can_void_a_voucher_acknowledged_a_moment_ago(claims_redis):
    allocation = make_allocation(budget="10.00", face_value="10.00")
    claimed = services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
    response = client_for(StaffFactory()).post(f"/api/v1/vouchers/{claimed.code}/void/")
    assert response.status_code == 200
    assert response.json()["status"] == "void"
    services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)  # the face value came back
    services.voucher_journal_drain()
    assert reconcile() == []
