from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CohortCertificateRule


class CheckForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"), max_length=80, help_text=_("As printed, for example 001/BIMTEK-DESMIG/XI/2017.")
    )
    name = forms.CharField(label=_("Holder's name"), max_length=150, help_text=_("As printed on the certificate."))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to no one outside the committee; the verify page says only that it was revoked, and when."),
    )


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("What was corrected"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the name's spelling. Correct the companion's record first."),
    )


class RuleForm(forms.ModelForm):
    class Meta:
        model = CohortCertificateRule
        fields = ["min_attendance_percent", "pass_mark", "post_test_required", "modules_complete", "template"]
