"""A product template: what a shop in one subcategory sells, in both languages.

Each template is ``(noun_en, noun_zh, sizes, price range in CNY, weight range in grams, own-box share)``;
a size is ``"English|中文"``. Prices and weights grow with the size's position in the list. Brands are the
demo shops' invented brands, never real ones.
"""

from __future__ import annotations

from typing import NamedTuple


class Template(NamedTuple):
    noun_en: str
    noun_zh: str
    sizes: tuple[str, ...]
    price: tuple[int, int]
    weight: tuple[int, int]
    own_box: float


def T(
    noun_en: str,
    noun_zh: str,
    sizes: str,
    price: tuple[int, int],
    weight: tuple[int, int],
    own_box: float = 0.0,
) -> Template:
    return Template(noun_en, noun_zh, tuple(sizes.split(";")), price, weight, own_box)


# Top categories whose products carry a model number (durable goods); the rest are named by size alone.
MODEL_NUMBER_TOPS = frozenset(
    {
        "home-appliances",
        "digital-electronics",
        "computers-office",
        "home-improvement",
        "kitchen",
        "automotive",
        "sports-outdoors",
        "jewellery-watches",
        "toys",
    }
)
