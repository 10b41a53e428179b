from __future__ import annotations

import re

import pytest
from django.apps import apps

from green_venue.models import CertificationScheme, SchemeGrade
from green_venue.seed import load_schemes, scheme_seed_data
from green_venue.services import normalise_number

pytestmark = pytest.mark.django_db

TWELVE = {
    "china-green-product",
    "china-environmental-labelling",
    "china-energy-label",
    "china-water-efficiency-label",
    "china-organic-product",
    "eu-ecolabel",
    "energy-star",
    "fsc",
    "gots",
    "cradle-to-cradle",
    "blue-angel",
    "nordic-swan",
}


def test_the_twelve_schemes_are_seeded_by_the_migration():
    assert set(CertificationScheme.objects.values_list("code", flat=True)) >= TWELVE


def test_every_example_number_matches_its_pattern():
    for data in scheme_seed_data():
        assert data["number_example"], data["code"]
        assert re.fullmatch(data["number_pattern"], normalise_number(data["number_example"])), data["code"]
        assert data["claims"] and data["categories"], data["code"]
        assert data["registry_url"].startswith("http"), data["code"]


def test_china_energy_label_grades_one_and_two_qualify():
    grades = SchemeGrade.objects.filter(scheme__code="china-energy-label").order_by("position")
    assert [(g.code, g.qualifies) for g in grades] == [
        ("1", True),
        ("2", True),
        ("3", False),
        ("4", False),
        ("5", False),
    ]


def test_loading_twice_duplicates_nothing():
    before = (CertificationScheme.objects.count(), SchemeGrade.objects.count())
    load_schemes(apps)
    assert (CertificationScheme.objects.count(), SchemeGrade.objects.count()) == before
