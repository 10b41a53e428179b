"""Staff pages of the voucher budget: campaigns, allocations, transitions and voids, through the forms."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import CategoryFactory, MerchantFactory, StaffFactory, UserFactory
from tests.vouchers.factories import make_allocation, make_campaign
from vouchers import services
from vouchers.models import Allocation, Campaign, Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.CLAIM_RATE_LIMIT = (1000, 60)
    settings.CLAIM_RATE_LIMIT_PER_IP = (1000, 60)


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(StaffFactory())
    return client


def _business(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _field_errors(html: str, field: str) -> str:
    """The error list tied to the field's input by aria-describedby ("" when there is none)."""
    match = re.search(rf'<ul class="errorlist field-errors" id="id_{field}_errors">(.*?)</ul>', html, re.S)
    if not match:
        return ""
    assert re.search(
        rf'<[^>]+id="id_{field}"[^>]*aria-describedby="[^"]*id_{field}_errors', html
    ) or re.search(rf'<[^>]+aria-describedby="[^"]*id_{field}_errors[^"]*"[^>]*id="id_{field}"', html), (
        f"the {field} input is not tied to its errors"
    )
    return match.group(1)


CAMPAIGN = {
    "name": "Double Eleven green week",
    "total_budget": "100000000.00",
    "starts_at": "2030-11-01T09:00",
    "ends_at": "2030-11-12T00:00",
}


def _allocation_form(**overrides: str) -> dict[str, str]:
    values = {
        "name": "Kitchen ¥50 off ¥300",
        "budget": "5000.00",
        "face_value": "50.00",
        "min_spend": "300.00",
        "per_user_limit": "1",
        "claim_starts_at": "",
        "claim_ends_at": "",
        "valid_days": "7",
        "category": "",
        "merchant": "",
    }
    values.update(overrides)
    return values


def _local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%dT%H:%M")


def _window(campaign: Campaign) -> dict[str, str]:
    """The campaign's window in whole minutes, inside it (what the form suggests)."""
    starts = campaign.starts_at.replace(second=0, microsecond=0)
    if starts != campaign.starts_at:
        starts += timedelta(minutes=1)
    return {"claim_starts_at": _local(starts), "claim_ends_at": _local(campaign.ends_at)}


# --- campaigns --------------------------------------------------------------------------------------
def test_staff_create_a_campaign_with_the_exact_budget_and_business_time_window(staff: Client) -> None:
    form = staff.get(reverse("vouchers:staff-campaign-new"))
    assert form.status_code == 200
    assert 'type="datetime-local"' in form.content.decode()

    response = staff.post(reverse("vouchers:staff-campaign-new"), CAMPAIGN)
    campaign = Campaign.objects.get(name="Double Eleven green week")
    assert response.status_code == 302
    assert response["Location"] == reverse("vouchers:staff-campaign", args=[campaign.pk])
    assert campaign.total_budget == Decimal("100000000.00")
    assert campaign.status == "draft"
    # The inputs are read in the business time zone, whatever zone the server runs in.
    assert campaign.starts_at == _business(2030, 11, 1, 9, 0)
    assert campaign.ends_at == _business(2030, 11, 12, 0, 0)

    detail = staff.get(response["Location"]).content.decode()
    assert "created as a draft" in detail
    assert "¥100,000,000.00" in detail
    assert "2030-11-01 09:00" in detail
    # And shown back the same way in the edit form.
    edit = staff.get(reverse("vouchers:staff-campaign-edit", args=[campaign.pk])).content.decode()
    assert 'value="2030-11-01T09:00"' in edit and 'value="2030-11-12T00:00"' in edit


def test_campaign_that_ends_before_it_starts_shows_the_error_on_the_end(staff: Client) -> None:
    response = staff.post(reverse("vouchers:staff-campaign-new"), {**CAMPAIGN, "ends_at": "2030-10-01T00:00"})
    assert response.status_code == 200
    assert "must end after it starts" in _field_errors(response.content.decode(), "ends_at")
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", ""),
        ("name", "x" * 10_000),
        ("name", "Green\x00week"),
        ("total_budget", "-5.00"),
        ("total_budget", "0"),
        ("total_budget", "1.005"),
        ("total_budget", "1000000000000.00"),
        ("total_budget", "NaN"),
        ("total_budget", "12\x00"),
        ("starts_at", "yesterday"),
        ("starts_at", "2030-02-30T10:00"),
        ("starts_at", "1899-01-01T00:00"),
        ("ends_at", "2030-11-12T00:00\x00"),
        ("ends_at", "9999-12-31T23:59"),
    ],
)
def test_bad_campaign_input_is_shown_next_to_its_field_and_creates_nothing(
    staff: Client, field: str, value: str
) -> None:
    response = staff.post(reverse("vouchers:staff-campaign-new"), {**CAMPAIGN, field: value})
    assert response.status_code == 200
    assert _field_errors(response.content.decode(), field)
    assert not Campaign.objects.exists()


def test_staff_rename_and_change_the_budget_but_never_below_what_is_allocated(staff: Client) -> None:
    allocation = make_allocation(budget="3000.00")
    campaign = allocation.campaign
    url = reverse("vouchers:staff-campaign-edit", args=[campaign.pk])
    page = staff.get(url).content.decode()
    assert 'name="starts_at"' not in page  # active: the window is fixed

    too_low = staff.post(url, {"name": "Renamed", "total_budget": "2999.99"})
    assert too_low.status_code == 200
    assert "cannot go below the allocated" in _field_errors(too_low.content.decode(), "total_budget")
    campaign.refresh_from_db()
    assert campaign.name == "Double Eleven green week" and campaign.total_budget == Decimal("100000.00")

    saved = staff.post(url, {"name": "Renamed", "total_budget": "3000.00"}, follow=True)
    assert "Renamed" in saved.content.decode()
    campaign.refresh_from_db()
    assert campaign.name == "Renamed" and campaign.total_budget == Decimal("3000.00")


def test_a_draft_campaign_window_can_be_moved(staff: Client) -> None:
    campaign = make_campaign(activate=False, starts_at=_business(2030, 1, 1), ends_at=_business(2030, 2, 1))
    url = reverse("vouchers:staff-campaign-edit", args=[campaign.pk])
    response = staff.post(
        url,
        {
            "name": campaign.name,
            "total_budget": "100000.00",
            "starts_at": "2030-01-01T00:00",
            "ends_at": "2030-03-01T08:30",
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.ends_at == _business(2030, 3, 1, 8, 30)


# --- transitions ------------------------------------------------------------------------------------
def _buttons(html: str) -> set[str]:
    return set(re.findall(r'action="/staff/vouchers/campaigns/\d+/(activate|pause|resume|end)/"', html))


def test_transition_buttons_follow_the_status_and_change_it(staff: Client) -> None:
    campaign = make_campaign(activate=False)
    detail = reverse("vouchers:staff-campaign", args=[campaign.pk])

    def press(action: str) -> str:
        response = staff.post(reverse("vouchers:staff-campaign-transition", args=[campaign.pk, action]))
        assert response.status_code == 302 and response["Location"] == detail
        return staff.get(detail).content.decode()

    assert _buttons(staff.get(detail).content.decode()) == {"activate"}
    page = press("activate")
    assert Campaign.objects.get(pk=campaign.pk).status == "active"
    assert _buttons(page) == {"pause", "end"}
    page = press("pause")
    assert Campaign.objects.get(pk=campaign.pk).status == "paused"
    assert _buttons(page) == {"resume", "end"}
    page = press("resume")
    assert Campaign.objects.get(pk=campaign.pk).status == "active"
    page = press("end")
    assert Campaign.objects.get(pk=campaign.pk).status == "ended"
    assert _buttons(page) == set()
    assert "New allocation" not in page


def test_a_transition_that_does_not_apply_gives_a_message_not_an_error_page(staff: Client) -> None:
    campaign = make_campaign(activate=False)
    response = staff.post(
        reverse("vouchers:staff-campaign-transition", args=[campaign.pk, "pause"]), follow=True
    )
    assert response.status_code == 200
    assert "message-error" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == "draft"

    unknown = staff.post(reverse("vouchers:staff-campaign-transition", args=[campaign.pk, "delete"]))
    assert unknown.status_code == 404
    missing = staff.post(reverse("vouchers:staff-campaign-transition", args=[999_999, "activate"]))
    assert missing.status_code == 404
    assert (
        staff.get(reverse("vouchers:staff-campaign-transition", args=[campaign.pk, "end"])).status_code == 405
    )


# --- allocations ------------------------------------------------------------------------------------
def test_staff_split_a_campaign_into_an_allocation_with_a_scope(staff: Client) -> None:
    campaign = make_campaign(total_budget="20000.00")
    category = CategoryFactory(name_en="Kitchen")
    merchant = MerchantFactory(name="Bamboo & Co")
    url = reverse("vouchers:staff-allocation-new", args=[campaign.pk])
    page = staff.get(url).content.decode()
    assert "Kitchen" in page and "Bamboo &amp; Co" in page
    # The claim window defaults to the campaign's, in whole minutes inside it.
    assert f'value="{_window(campaign)["claim_starts_at"]}"' in page

    response = staff.post(
        url,
        _allocation_form(
            **_window(campaign),
            category=str(category.pk),
            merchant=str(merchant.pk),
        ),
        follow=True,
    )
    assert response.status_code == 200
    allocation = Allocation.objects.get(campaign=campaign)
    assert allocation.budget == Decimal("5000.00") and allocation.face_value == Decimal("50.00")
    assert allocation.category == category and allocation.merchant == merchant
    body = response.content.decode()
    assert "¥15,000.00" in body  # unallocated now
    assert "Kitchen ¥50 off ¥300" in body


def test_an_allocation_bigger_than_the_unallocated_budget_shows_the_error_by_the_budget(
    staff: Client,
) -> None:
    campaign = make_campaign(total_budget="6000.00")
    make_allocation(campaign=campaign, budget="2000.00")
    response = staff.post(
        reverse("vouchers:staff-allocation-new", args=[campaign.pk]),
        _allocation_form(budget="4000.01", **_window(campaign)),
    )
    assert response.status_code == 200
    assert "unallocated budget is smaller" in _field_errors(response.content.decode(), "budget")
    assert Allocation.objects.filter(campaign=campaign).count() == 1
    campaign.refresh_from_db()
    assert campaign.allocated == Decimal("2000.00")


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("min_spend", "40.00", "at least the face value"),
        ("budget", "20.00", "cover at least one voucher"),
        ("claim_ends_at", "2000-01-01T00:00", "end after it starts"),
        ("face_value", "-50.00", ""),
        ("budget", "abc", ""),
        ("name", "n" * 10_000, ""),
        ("name", "\x00", ""),
        ("per_user_limit", "0", ""),
        ("valid_days", "99999", ""),
        ("category", "999999", ""),
        ("category", "1\x00", ""),
        ("merchant", "not-a-number", ""),
        ("claim_starts_at", "31/12/2030", ""),
    ],
)
def test_bad_allocation_input_is_shown_next_to_its_field_and_creates_nothing(
    staff: Client, field: str, value: str, message: str
) -> None:
    campaign = make_campaign(total_budget="20000.00")
    data = _allocation_form(**_window(campaign))
    data[field] = value
    response = staff.post(reverse("vouchers:staff-allocation-new", args=[campaign.pk]), data)
    assert response.status_code == 200
    errors = _field_errors(response.content.decode(), field)
    assert errors and message in errors
    assert not Allocation.objects.exists()
    campaign.refresh_from_db()
    assert campaign.allocated == Decimal("0")


def test_a_claim_window_outside_the_campaign_is_refused(staff: Client) -> None:
    campaign = make_campaign(starts_at=_business(2030, 1, 1), ends_at=_business(2030, 2, 1), activate=False)
    response = staff.post(
        reverse("vouchers:staff-allocation-new", args=[campaign.pk]),
        _allocation_form(claim_starts_at="2029-12-31T23:00", claim_ends_at="2030-01-15T00:00"),
    )
    assert response.status_code == 200
    assert "inside the campaign" in _field_errors(response.content.decode(), "claim_starts_at")
    assert not Allocation.objects.exists()


def test_an_ended_campaign_takes_no_allocation_and_says_so(staff: Client) -> None:
    campaign = make_campaign()
    services.campaign_transition(campaign_id=campaign.pk, user=campaign.created_by, action="end")
    response = staff.post(
        reverse("vouchers:staff-allocation-new", args=[campaign.pk]),
        _allocation_form(**_window(campaign)),
    )
    assert response.status_code == 200
    assert "An ended campaign takes no new allocations." in response.content.decode()
    assert not Allocation.objects.exists()


# --- voids ------------------------------------------------------------------------------------------
def test_staff_find_a_voucher_void_it_and_the_budget_comes_back(staff: Client, backend: str) -> None:
    allocation = make_allocation(name="Ten off fifty", budget="100.00", face_value="10.00")
    shopper = UserFactory(username="lin")
    code = services.voucher_claim(user=shopper, allocation_id=allocation.pk).code
    detail = reverse("vouchers:staff-campaign", args=[allocation.campaign_id])
    assert "¥90.00" in staff.get(detail).content.decode()  # remaining after the claim

    url = reverse("vouchers:staff-voucher-void")
    found = staff.get(url, {"code": code.lower()}).content.decode()
    assert "lin" in found and "Ten off fifty" in found and "Issued" in found
    assert "Void this voucher" in found
    assert Voucher.objects.get(code=code).status == "issued"  # looking does not void

    response = staff.post(url, {"code": code})
    assert response.status_code == 302
    after = staff.get(response["Location"]).content.decode()
    assert f"Voucher {code} is void" in after
    assert "Void this voucher" not in after and "This voucher is void." in after
    assert Voucher.objects.get(code=code).status == "void"
    # The figures show the face value back in the allocation.
    figures = staff.get(detail).content.decode()
    assert "¥100.00" in figures and "¥90.00" not in figures

    again = staff.post(url, {"code": code}, follow=True)
    assert again.status_code == 200 and Voucher.objects.get(code=code).status == "void"


def test_unknown_or_malformed_codes_are_form_errors(staff: Client) -> None:
    url = reverse("vouchers:staff-voucher-void")
    for method in (staff.get, staff.post):
        for code in ("GVNOSUCHCODE", "", "x" * 10_000, "GV\x00"):
            response = method(url, {"code": code})
            assert response.status_code == 200, (method, code)
            assert _field_errors(response.content.decode(), "code"), (method, code)
    unknown = staff.get(url, {"code": "GVNOSUCHCODE"}).content.decode()
    assert "No voucher matches the given code." in unknown
    assert staff.get(url).status_code == 200  # no code yet: just the form


def test_a_redeemed_voucher_cannot_be_voided_and_the_page_says_so(staff: Client) -> None:
    allocation = make_allocation()
    voucher_code = services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk).code
    Voucher.objects.filter(code=voucher_code).update(status="expired")
    url = reverse("vouchers:staff-voucher-void")
    page = staff.get(url, {"code": voucher_code}).content.decode()
    assert "Void this voucher" not in page and "Only an issued voucher can be voided." in page
    response = staff.post(url, {"code": voucher_code}, follow=True)
    assert response.status_code == 200
    assert "message-error" in response.content.decode()
    assert Voucher.objects.get(code=voucher_code).status == "expired"


# --- access -----------------------------------------------------------------------------------------
ROUTES = [
    ("vouchers:staff-figures", False),
    ("vouchers:staff-figures-live", False),
    ("vouchers:staff-campaign-new", False),
    ("vouchers:staff-campaign", True),
    ("vouchers:staff-campaign-edit", True),
    ("vouchers:staff-allocation-new", True),
    ("vouchers:staff-voucher-void", False),
]


def _urls() -> list[str]:
    campaign = make_campaign(activate=False)
    urls = [reverse(name, args=[campaign.pk] if needs_id else []) for name, needs_id in ROUTES]
    urls += [
        reverse("vouchers:staff-campaign-transition", args=[campaign.pk, action])
        for action in ("activate", "pause", "resume", "end")
    ]
    return urls


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_staff_page_sends_anonymous_visitors_to_log_in(method: str) -> None:
    for url in _urls():
        response = getattr(Client(), method)(url, {"name": "x", "code": "GVX"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('accounts:login')}?next="), url
    assert Campaign.objects.get().status == "draft"


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_staff_page_is_forbidden_to_shoppers(method: str) -> None:
    client = Client()
    client.force_login(UserFactory())
    for url in _urls():
        response = getattr(client, method)(url, {**CAMPAIGN, "code": "GVX"})
        assert response.status_code == 403, url
    assert Campaign.objects.count() == 1 and Campaign.objects.get().status == "draft"


def test_a_missing_campaign_is_not_found(staff: Client) -> None:
    for name in ("vouchers:staff-campaign", "vouchers:staff-campaign-edit", "vouchers:staff-allocation-new"):
        assert staff.get(reverse(name, args=[999_999])).status_code == 404


# --- the list and the language ----------------------------------------------------------------------
def test_the_live_figures_page_lists_campaigns_with_their_pages(staff: Client) -> None:
    campaign = make_campaign(name="618 festival")
    html = staff.get(reverse("vouchers:staff-figures")).content.decode()
    assert reverse("vouchers:staff-campaign", args=[campaign.pk]) in html
    assert reverse("vouchers:staff-campaign-new") in html
    assert "managed through the API" not in html
    assert reverse("vouchers:staff-voucher-void") in html  # the staff menu and the page link it


def test_the_staff_pages_speak_chinese(staff: Client) -> None:
    campaign = make_campaign(activate=False)
    pages = [
        (reverse("vouchers:staff-campaign-new"), ["新建活动", "总预算（元）"]),  # noqa: RUF001
        (reverse("vouchers:staff-campaign", args=[campaign.pk]), ["启用", "新建批次"]),
        (reverse("vouchers:staff-allocation-new", args=[campaign.pk]), ["面额（元）", "最低消费（元）"]),  # noqa: RUF001
        (reverse("vouchers:staff-voucher-void"), ["作废消费券", "券码"]),
    ]
    for url, words in pages:
        html = staff.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert '<html lang="zh-hans"' in html
        for word in words:
            assert word in html, (url, word)
    errors = staff.post(
        reverse("vouchers:staff-campaign-new"),
        {**CAMPAIGN, "total_budget": "-1"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert "总预算（元）" in errors and "Total budget" not in errors  # noqa: RUF001
