from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from .backends import login_was_throttled


class ThrottleMessageMixin:
    """Say "wait" instead of "wrong password" when the backend refused the attempt unchecked."""

    def get_invalid_login_error(self):
        if login_was_throttled(self.request):
            return forms.ValidationError(
                _("Too many failed attempts. Wait %(minutes)d minutes, then try again."),
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
        return super().get_invalid_login_error()


class LoginForm(ThrottleMessageMixin, AuthenticationForm):
    """Username or phone, and password."""

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
    }


class AdminLoginForm(ThrottleMessageMixin, WagtailLoginForm):
    """Wagtail's admin login, with the same messages as /masuk/ (the throttle itself is in the backend)."""

    error_messages = LoginForm.error_messages

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail gives the field no label, so it would read "Password" in every language.
        self.fields["password"].label = _("Password")
