"""Serializer fields shared by the apps' API modules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
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


class BusinessDateTimeField(serializers.DateTimeField):
    """A date-time a marketplace schedule can hold: years 2000 to 2099.

    Outside that range the answer could not be written back as RFC 3339 in every zone (before 1901
    Asia/Shanghai is local mean time, +08:05:43), and such a schedule is a typing mistake anyway.
    """

    default_error_messages = {"out_of_range": _("Use a date between the years 2000 and 2099.")}

    def to_internal_value(self, value: Any) -> Any:
        parsed = super().to_internal_value(value)
        if not 2000 <= parsed.year <= 2099:
            self.fail("out_of_range")
        return parsed
