from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from green_venue.models import Certificate, CertificateReviewEntry, CertificateStatus
from green_venue.selectors import marketplace_today
from tests.conftest import client_for
from tests.factories import CategoryFactory, MerchantFactory, ProductFactory, StaffFactory, UserFactory
from tests.green_venue.factories import SchemeCategoryFactory, SchemeFactory, SchemeGradeFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64


@pytest.fixture
def setup():
    category = CategoryFactory()
    scheme = SchemeFactory(number_pattern=r"TS-\d{4}")
    SchemeCategoryFactory(scheme=scheme, category_slug=category.slug)
    merchant = MerchantFactory()
    product = ProductFactory(merchant=merchant, category=category)
    return {"scheme": scheme, "merchant": merchant, "product": product, "category": category}


def _payload(setup, **overrides):
    today = marketplace_today()
    payload = {
        "scheme": setup["scheme"].code,
        "number": "TS-0001",
        "holder": "Green Co.",
        "valid_from": (today - datetime.timedelta(days=10)).isoformat(),
        "valid_until": (today + datetime.timedelta(days=300)).isoformat(),
        "products": [setup["product"].pk],
    }
    payload.update(overrides)
    return payload


def _submit(setup, **overrides):
    response = client_for(setup["merchant"].owner).post("/api/v1/certificates/", _payload(setup, **overrides))
    assert response.status_code == 201, response.content
    return response.json()


def _upload(user, certificate_id, content=PDF, name="certificate.pdf", content_type="application/pdf"):
    return client_for(user).post(
        f"/api/v1/certificates/{certificate_id}/evidence/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        format="multipart",
    )


def test_merchant_submits_a_certificate_for_review(setup):
    body = _submit(setup, number=" ts-0001 ")
    assert body["status"] == "submitted"
    assert body["number"] == "TS-0001"
    assert body["scheme"]["code"] == setup["scheme"].code
    assert body["products"] == [setup["product"].pk]
    assert [entry["action"] for entry in body["review_log"]] == ["submitted"]


def test_anonymous_gets_401(api_client, setup):
    assert api_client.post("/api/v1/certificates/", _payload(setup)).status_code == 401
    assert api_client.get("/api/v1/certificates/").status_code == 401


def test_shopper_without_shop_cannot_submit(setup):
    response = client_for(UserFactory()).post("/api/v1/certificates/", _payload(setup))
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_merchant"


def test_merchant_cannot_certify_another_merchants_product(setup):
    other = ProductFactory(category=setup["category"])
    response = client_for(setup["merchant"].owner).post(
        "/api/v1/certificates/", _payload(setup, products=[setup["product"].pk, other.pk])
    )
    assert response.status_code == 403
    assert Certificate.objects.count() == 0


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"number": "XX-1"}, "number"),
        ({"number": "TS-00011"}, "number"),
        ({"scheme": "no-such-scheme"}, "scheme"),
        ({"products": []}, "products"),
        ({"products": [999999]}, "products"),
        ({"valid_from": "2026-02-30"}, "valid_from"),
        ({"holder": "   "}, "holder"),
        ({"grade": "1"}, "grade"),
    ],
)
def test_bad_input_is_400(setup, override, field):
    response = client_for(setup["merchant"].owner).post("/api/v1/certificates/", _payload(setup, **override))
    assert response.status_code == 400, response.content
    assert field in response.json().get("errors", {}), response.json()
    assert Certificate.objects.count() == 0


def test_valid_until_before_valid_from_is_400(setup):
    response = client_for(setup["merchant"].owner).post(
        "/api/v1/certificates/", _payload(setup, valid_from="2026-06-02", valid_until="2026-06-01")
    )
    assert response.status_code == 400
    assert "valid_until" in response.json()["errors"]
    assert Certificate.objects.count() == 0


def test_scheme_that_does_not_apply_to_the_category_is_refused(setup):
    off_category = ProductFactory(merchant=setup["merchant"])
    response = client_for(setup["merchant"].owner).post(
        "/api/v1/certificates/", _payload(setup, products=[off_category.pk])
    )
    assert response.status_code == 400
    assert response.json()["code"] == "scheme_not_applicable"


def test_graded_scheme_needs_a_known_grade(setup):
    SchemeGradeFactory(scheme=setup["scheme"], code="1", qualifies=True)
    client = client_for(setup["merchant"].owner)
    assert client.post("/api/v1/certificates/", _payload(setup)).status_code == 400
    assert client.post("/api/v1/certificates/", _payload(setup, grade="9")).status_code == 400
    body = client.post("/api/v1/certificates/", _payload(setup, grade="1")).json()
    assert body["grade"] == "1"


def test_default_validity_fills_a_missing_valid_until(setup):
    body = _submit(setup, valid_until=None, valid_from="2026-01-01")
    assert body["valid_until"] == "2026-12-31"  # 365 days, inclusive


def test_same_number_cannot_be_live_twice_but_rejected_may_be_resubmitted(setup):
    first = _submit(setup)
    rival = MerchantFactory()
    rival_product = ProductFactory(merchant=rival, category=setup["category"])
    rival_payload = _payload(setup, products=[rival_product.pk])
    response = client_for(rival.owner).post("/api/v1/certificates/", rival_payload)
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_certificate"

    staff = StaffFactory()
    client_for(staff).post(f"/api/v1/certificates/{first['id']}/reject/", {"reason": "Blurry scan"})
    response = client_for(rival.owner).post("/api/v1/certificates/", rival_payload)
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")],
)
def test_evidence_upload_checks_bytes_and_stores_sha256(setup, content, expected):
    certificate = _submit(setup)
    # The client's content type is ignored: only the bytes count.
    response = _upload(setup["merchant"].owner, certificate["id"], content, content_type="text/plain")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == expected
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["size"] == len(content)
    detail = client_for(setup["merchant"].owner).get(f"/api/v1/certificates/{certificate['id']}/").json()
    assert [f["id"] for f in detail["evidence_files"]] == [body["id"]]
    assert detail["review_log"][-1]["action"] == "evidence_added"


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 an executable", b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\x00" * 20, b""],
)
def test_evidence_that_is_not_pdf_or_image_is_400(setup, content):
    certificate = _submit(setup)
    response = _upload(setup["merchant"].owner, certificate["id"], content, name="evil.pdf")
    assert response.status_code == 400
    detail = client_for(setup["merchant"].owner).get(f"/api/v1/certificates/{certificate['id']}/").json()
    assert detail["evidence_files"] == []


def test_50_mb_upload_is_400_and_nothing_is_stored(setup, settings):
    certificate = _submit(setup)
    big = PDF + b"\x00" * (50 * 1024 * 1024)
    response = _upload(setup["merchant"].owner, certificate["id"], big)
    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"
    stored = list(settings.EVIDENCE_ROOT.rglob("*")) if settings.EVIDENCE_ROOT.exists() else []
    assert [p for p in stored if p.is_file()] == []


def test_file_just_over_the_limit_is_400_and_at_the_limit_is_accepted(setup, settings):
    settings.EVIDENCE_MAX_BYTES = 4096
    certificate = _submit(setup)
    at_limit = PDF + b"\x00" * (4096 - len(PDF))
    assert _upload(setup["merchant"].owner, certificate["id"], at_limit + b"\x00").status_code == 400
    assert _upload(setup["merchant"].owner, certificate["id"], at_limit).status_code == 201


def test_evidence_download_for_owner_and_staff_only(setup):
    certificate = _submit(setup)
    evidence = _upload(setup["merchant"].owner, certificate["id"]).json()
    url = evidence["url"]
    owner = client_for(setup["merchant"].owner).get(url)
    assert owner.status_code == 200
    assert b"".join(owner.streaming_content) == PDF
    assert owner["Content-Type"] == "application/pdf"
    assert "attachment" in owner["Content-Disposition"]
    assert client_for(StaffFactory()).get(url).status_code == 200
    assert client_for(MerchantFactory().owner).get(url).status_code == 404
    assert client_for(UserFactory()).get(url).status_code == 404


def test_merchant_cannot_upload_to_another_merchants_certificate(setup):
    certificate = _submit(setup)
    assert _upload(MerchantFactory().owner, certificate["id"]).status_code == 404


def test_only_staff_review(setup):
    certificate = _submit(setup)
    _upload(setup["merchant"].owner, certificate["id"])
    owner = client_for(setup["merchant"].owner)
    for action, payload in (("verify", {}), ("reject", {"reason": "x"}), ("revoke", {"reason": "x"})):
        response = owner.post(f"/api/v1/certificates/{certificate['id']}/{action}/", payload)
        assert response.status_code == 403, action
        other = client_for(MerchantFactory().owner).post(
            f"/api/v1/certificates/{certificate['id']}/{action}/", payload
        )
        assert other.status_code == 404
    assert Certificate.objects.get().status == CertificateStatus.SUBMITTED


def test_staff_verify_then_revoke_with_reason_and_log_is_kept(setup):
    certificate = _submit(setup)
    _upload(setup["merchant"].owner, certificate["id"])
    staff = client_for(StaffFactory())
    base = f"/api/v1/certificates/{certificate['id']}"
    assert staff.post(f"{base}/revoke/", {"reason": "x"}).status_code == 409  # not verified yet
    verified = staff.post(f"{base}/verify/")
    assert verified.status_code == 200
    assert verified.json()["status"] == "verified"
    assert staff.post(f"{base}/verify/").status_code == 200  # already verified: no change
    assert staff.post(f"{base}/revoke/", {"reason": ""}).status_code == 400
    revoked = staff.post(f"{base}/revoke/", {"reason": "Registry lists it as withdrawn"}).json()
    assert revoked["status"] == "revoked"
    log = revoked["review_log"]
    assert [e["action"] for e in log] == ["submitted", "evidence_added", "verified", "revoked"]
    assert log[-1]["reason"] == "Registry lists it as withdrawn"
    assert log[-1]["from_status"] == "verified"
    # The merchant sees the same log.
    mine = client_for(setup["merchant"].owner).get(f"{base}/").json()
    assert [e["action"] for e in mine["review_log"]] == [e["action"] for e in log]


def test_verify_needs_evidence(setup):
    certificate = _submit(setup)
    response = client_for(StaffFactory()).post(f"/api/v1/certificates/{certificate['id']}/verify/")
    assert response.status_code == 409
    assert response.json()["code"] == "no_evidence"


def test_reject_needs_a_reason_and_blocks_later_verify(setup):
    certificate = _submit(setup)
    staff = client_for(StaffFactory())
    base = f"/api/v1/certificates/{certificate['id']}"
    assert staff.post(f"{base}/reject/", {}).status_code == 400
    assert staff.post(f"{base}/reject/", {"reason": "Number not in registry"}).json()["status"] == "rejected"
    assert staff.post(f"{base}/verify/").status_code == 409


def test_review_log_is_append_only(setup):
    certificate = _submit(setup)
    entry = CertificateReviewEntry.objects.get(certificate_id=certificate["id"])
    entry.reason = "tampered"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        CertificateReviewEntry.objects.filter(pk=entry.pk).update(reason="tampered")
    with pytest.raises(TypeError):
        CertificateReviewEntry.objects.all().delete()


def test_list_merchant_sees_own_staff_sees_all_and_filters_queue(setup):
    mine = _submit(setup)
    other_merchant = MerchantFactory()
    other_product = ProductFactory(merchant=other_merchant, category=setup["category"])
    theirs = (
        client_for(other_merchant.owner)
        .post("/api/v1/certificates/", _payload(setup, number="TS-0002", products=[other_product.pk]))
        .json()
    )
    listing = client_for(setup["merchant"].owner).get("/api/v1/certificates/").json()
    assert [c["id"] for c in listing["results"]] == [mine["id"]]
    assert client_for(setup["merchant"].owner).get(f"/api/v1/certificates/{theirs['id']}/").status_code == 404
    assert client_for(UserFactory()).get("/api/v1/certificates/").json()["count"] == 0

    staff = client_for(StaffFactory())
    client_for(StaffFactory()).post(f"/api/v1/certificates/{theirs['id']}/reject/", {"reason": "no"})
    queue = staff.get("/api/v1/certificates/?status=submitted").json()
    assert [c["id"] for c in queue["results"]] == [mine["id"]]
    assert staff.get("/api/v1/certificates/").json()["count"] == 2
    assert staff.get("/api/v1/certificates/?status=bogus").status_code == 400


def test_scheme_list_is_public_with_patterns(api_client, setup):
    SchemeGradeFactory(scheme=setup["scheme"], code="1", qualifies=True)
    SchemeGradeFactory(scheme=setup["scheme"], code="3", qualifies=False)
    body = api_client.get("/api/v1/certification-schemes/").json()
    entry = next(s for s in body["results"] if s["code"] == setup["scheme"].code)
    assert entry["number_pattern"] == r"TS-\d{4}"
    assert entry["number_example"] == "TS-0001"
    assert entry["qualifying_grades"] == ["1"]
    assert [g["code"] for g in entry["grades"]] == ["1", "3"]
    assert entry["categories"] == [setup["category"].slug]
