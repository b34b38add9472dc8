from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .throttle import client_address, login_blocked, login_failure_record, login_failures_clear


class LoginForm(AuthenticationForm):
    """Username or phone, password; repeated failures pause the account for a while."""

    username = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("The username, mobile number or password is wrong. Check them and try again."),
        "inactive": _("This account is not active. Contact the training committee."),
        "throttled": _("Too many failed attempts. Wait %(minutes)d minutes, then try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username", "")
        address = client_address(self.request)
        if username and login_blocked(username=username, address=address):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                login_failure_record(username=username, address=address)
            raise
        login_failures_clear(username=username)
        return cleaned
