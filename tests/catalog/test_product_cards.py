"""Product cards: one grid partial draws every product grid, the catalog's card and the venue's card
(the catalog card with the certification details in place of the stock)."""

from __future__ import annotations

import re

import pytest

from tests.factories import ProductFactory
from tests.green_venue.factories import certified_product

pytestmark = pytest.mark.django_db


def _cards(html: str) -> list[str]:
    return re.findall(
        r'<li class="card product-card">.*?</li>\s*(?=<li class="card product-card">|</ul>)', html, re.S
    )


def _templates(response) -> list[str]:
    return [template.name for template in response.templates]


def test_catalog_pages_draw_their_grids_with_the_shared_partial(client):
    product = ProductFactory(name_en="Bamboo towel", stock=0)
    for url in ("/", f"/categories/{product.category.slug}/", "/search/?q=bamboo"):
        response = client.get(url)
        assert response.status_code == 200
        assert "catalog/_product_grid.html" in _templates(response), url
        (card,) = _cards(response.content.decode())
        assert "Bamboo towel" in card and "Out of stock" in card, url


def test_venue_pages_draw_the_venue_card_in_the_shared_grid(client, settings):
    settings.VENUE_CACHE_SECONDS = 0
    product, certificate = certified_product(name_en="Solar lamp", stock=0)
    for url in ("/venue/", "/venue/products/"):
        response = client.get(url)
        assert response.status_code == 200
        templates = _templates(response)
        assert "catalog/_product_grid.html" in templates, url
        # The venue card is the catalog card with its details block replaced.
        assert {"green_venue/_product_card.html", "catalog/_product_card.html"} <= set(templates), url
        (card,) = _cards(response.content.decode())
        assert "Solar lamp" in card and f'href="/products/{product.pk}/"' in card
        assert certificate.number in card and certificate.scheme.name_en in card
        # Stock is left out of the venue's cached pages (a stock change does not invalidate them).
        assert "Out of stock" not in card
