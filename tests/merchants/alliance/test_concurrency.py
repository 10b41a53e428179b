"""Parallel applications of one shop leave exactly one live membership (PostgreSQL, real threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from marketplace.core.errors import DomainError
from merchants.alliance import services
from merchants.alliance.models import AllianceMembership, MembershipStatusChange
from tests.factories import MerchantFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_applications_create_one_live_membership():
    merchant = MerchantFactory()
    owner = merchant.owner
    threads_count = 6
    barrier = threading.Barrier(threads_count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def apply() -> None:
        try:
            barrier.wait()
            services.membership_apply(user=owner, pledges=["green_products"])
            result = "created"
        except DomainError as exc:
            result = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=apply) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already_applied"] * (threads_count - 1) + ["created"]
    assert AllianceMembership.objects.filter(merchant=merchant).count() == 1
    assert MembershipStatusChange.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_measurements_append_one_report_per_period():
    import datetime

    from merchants.alliance.models import ProgressReport
    from tests.merchants.alliance.factories import active_member, certified_products, commitment

    merchant = MerchantFactory()
    certified_products(merchant, 2)
    membership = active_member(merchant)
    item = commitment(membership, "certified_product_share")
    today = datetime.date.today()
    start = today - datetime.timedelta(days=7)
    threads_count = 5
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def measure() -> None:
        try:
            barrier.wait()
            services.membership_measure(membership_id=membership.pk, period_start=start, period_end=today)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=measure) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    reports = ProgressReport.objects.filter(commitment=item)
    assert [str(report.value) for report in reports] == ["100.0000"]
