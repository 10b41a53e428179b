from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.accounts import throttling


class LoginForm(AuthenticationForm):
    """Django's login form; its fields get autocomplete hints for password managers.

    Failed attempts are throttled per username and per client address (``throttling``): once over the
    limit, the form refuses before checking the password and ``retry_after`` says for how long.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after: int | None = None
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self) -> dict[str, Any]:
        ip = str(self.request.META.get("REMOTE_ADDR", "")) if self.request is not None else ""
        username = str(self.cleaned_data.get("username") or "")
        self.retry_after = throttling.login_retry_after(ip=ip, username=username)
        if self.retry_after is not None:
            raise ValidationError(
                _("Too many failed log-in attempts. Please wait a few minutes and try again."),
                code="throttled",
            )
        try:
            return super().clean()
        except ValidationError:
            throttling.login_failed(ip=ip, username=username)
            raise


class RegisterForm(forms.Form):
    """Shape only: the service decides whether the name is free and the password strong enough."""

    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password_again") != cleaned.get("password"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned
