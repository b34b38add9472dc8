import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        max_length=20,
        help_text=_("The six digits shown on the screen."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*"}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(r"[0-9]{6}", code):
            raise ValidationError(_("The code has six digits."))
        return code
