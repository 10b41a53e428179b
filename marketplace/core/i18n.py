from __future__ import annotations

from django.db import models
from django.utils.translation import get_language


def prefers_chinese() -> bool:
    return (get_language() or "en").lower().startswith("zh")


class BilingualNameMixin(models.Model):
    """``name_en`` and ``name_zh`` with ``name`` in the active language (falling back to the other)."""

    name_en = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if prefers_chinese():
            return self.name_zh or self.name_en
        return self.name_en or self.name_zh
