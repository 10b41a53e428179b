"""Glue between forms and services: a refused request is shown next to the field it is about."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext

from marketplace.core.errors import DomainError, InvalidInput


def form_add_domain_error(
    form: forms.BaseForm, error: DomainError, *, field_map: dict[str, str] | None = None
) -> None:
    """Attach a service's ``DomainError`` to ``form``: to its field when it names one the form has.

    The message goes through ``gettext``, so service messages with a catalogue entry are translated.
    """
    message = gettext(str(error.detail))
    field = error.field if isinstance(error, InvalidInput) else None
    if field and field_map:
        field = field_map.get(field, field)
    form.add_error(field if field and field in form.fields else None, message)


def form_add_validation_error(form: forms.BaseForm, error: DjangoValidationError) -> None:
    """Attach a model's ``full_clean`` errors: per field where the form has the field, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in messages:
            form.add_error(target, message)
