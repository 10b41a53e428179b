"""Serializer fields shared by the apps' API modules."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class SlugLookupField(serializers.SlugRelatedField):
    """``SlugRelatedField`` that answers 400 "does not exist" for text no row can hold.

    PostgreSQL text cannot contain NUL characters: DRF's field would send such a value to the database,
    which raises ``DataError`` (a 500). A ``CharField`` rejects NUL by itself; a lookup must too.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", "\\x00"))
        return super().to_internal_value(data)
