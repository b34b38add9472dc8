"""The companion's way in without e-mail: a login link, a login code, then a password of their own."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from .models import AccessGrant
from .services import AccessRefused, access_code_redeem, access_link_check, access_link_redeem, user_update
from .throttle import LoginThrottled, client_address

# Set at a login by link or code, cleared once the person has chosen a password (people.middleware).
MUST_SET_PASSWORD = "balai_must_set_password"  # noqa: S105 - a session key, not a password
# The backend that get_user() reloads the account with on later requests.
BACKEND = settings.AUTHENTICATION_BACKENDS[0]

LINK_REFUSED = {
    AccessGrant.State.USED: gettext_lazy(
        "This login link has already been used. If you chose a password then, log in with it."
    ),
    AccessGrant.State.EXPIRED: gettext_lazy("This login link has expired."),
    AccessGrant.State.REVOKED: gettext_lazy(
        "This login link was replaced by a newer one. Use the newest link you received."
    ),
    "unknown": gettext_lazy("This login link is not valid. Check that you opened the whole link."),
    "inactive": gettext_lazy("This account is not active. Contact the training committee."),
}
CODE_REFUSED = {
    AccessGrant.State.USED: gettext_lazy(
        "This login code has already been used. If you chose a password then, log in with it."
    ),
    AccessGrant.State.EXPIRED: gettext_lazy("This login code has expired."),
    AccessGrant.State.REVOKED: gettext_lazy("This login code was replaced by a newer one."),
    "unknown": gettext_lazy("The username, mobile number or login code is wrong. Check them and try again."),
    "inactive": gettext_lazy("This account is not active. Contact the training committee."),
}


def log_in_handed_over(request, user) -> None:
    login(request, user, backend=BACKEND)
    request.session[MUST_SET_PASSWORD] = True


@never_cache
def access_link(request, token):
    """GET shows a button, POST logs in: WhatsApp fetches a link to preview it, which must not use it up."""
    if request.method == "POST":
        try:
            user = access_link_redeem(token=token)
        except AccessRefused as refused:
            return link_refused(request, refused.reason)
        log_in_handed_over(request, user)
        return redirect("people:set-password")
    try:
        person = access_link_check(token=token)
    except AccessRefused as refused:
        return link_refused(request, refused.reason)
    return render(request, "people/access/link.html", {"person": person})


def link_refused(request, reason: str):
    return render(
        request,
        "people/access/refused.html",
        {"message": LINK_REFUSED[reason]},
        status=404 if reason == "unknown" else 410,
    )


class AccessCodeForm(forms.Form):
    identifier = forms.CharField(
        label=gettext_lazy("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Login code"),
        max_length=20,
        help_text=gettext_lazy("Eight letters and digits from your login sheet, for example 7KQM-R4TX."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )


@never_cache
@sensitive_post_parameters("code")
@sensitive_variables("code")
def access_code(request):
    form = AccessCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            user = access_code_redeem(
                identifier=form.cleaned_data["identifier"], code=code, address=client_address(request)
            )
        except LoginThrottled:
            form.add_error(
                None,
                _("Too many failed attempts. Wait %(minutes)d minutes, then try again.")
                % {"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
        except AccessRefused as refused:
            form.add_error(None, CODE_REFUSED[refused.reason])
        else:
            log_in_handed_over(request, user)
            return redirect("people:set-password")
    return render(request, "people/access/code.html", {"form": form})


@never_cache
@login_required
@sensitive_post_parameters("new_password1", "new_password2")
def set_password(request):
    """Django's password validators, through the user service, which also writes the audit log.

    Only right after a login by link or code: otherwise a borrowed phone's open session could
    change the password without the old one.
    """
    if not request.session.get(MUST_SET_PASSWORD):
        return redirect("home")
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_update(user=request.user, by=request.user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password2", error.message_dict.get("password", error.messages))
        else:
            update_session_auth_hash(request, user)
            request.session.pop(MUST_SET_PASSWORD, None)
            messages.success(request, _("Your password is saved. Next time, log in with your username and it."))
            return redirect("home")
    return render(request, "people/access/set_password.html", {"form": form})
