"""Admin screens for accounts, companions and villages; every save calls a service."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import Companion, User, Village
from .services import companion_create, companion_update, village_update, village_upsert
from .validators import normalize_phone

FIELDS = ["username", "full_name", "email", "phone", "is_superuser", "groups"]


def cleaned_phone(value: str) -> str:
    """Store the phone as +62…, however it was typed, so it works as a login."""
    return normalize_phone(value) if value and value.strip() else ""


class UserFullNameMixin(forms.Form):
    first_name = None
    last_name = None
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)

    def clean_phone(self):
        return cleaned_phone(self.cleaned_data.get("phone", ""))


class BalaiUserCreationForm(UserFullNameMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = FIELDS


class BalaiUserEditForm(UserFullNameMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = [*FIELDS, "is_active"]


class UserViewSet(WagtailUserViewSet):
    template_prefix = "people/users/"

    def get_form_class(self, for_update=False):
        return BalaiUserEditForm if for_update else BalaiUserCreationForm


class CompanionCreateForm(WagtailAdminModelForm):
    """A companion who joins outside a roster import: the account is made with them."""

    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, help_text=_("For example 0812-3456-7890."))
    password = forms.CharField(
        label=_("First password"),
        min_length=8,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Give it to the companion; they log in with the username or the phone."),
    )

    class Meta:
        model = Companion
        fields = ["nik", "village"]

    def clean_phone(self):
        return cleaned_phone(self.cleaned_data["phone"])

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."))
        return username


class CompanionCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        try:
            companion = companion_create(
                username=data["username"],
                full_name=data["full_name"],
                phone=data["phone"],
                password=data["password"],
                nik=data["nik"],
                village=data["village"],
            )
        except ValidationError as error:
            self.form.add_error(None, error)
            raise
        log(instance=companion, action="wagtail.create", user=self.request.user)
        return companion

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)


class CompanionEditView(EditView):
    def save_instance(self):
        companion = companion_update(companion=self.form.instance)
        log(instance=companion, action="wagtail.edit", user=self.request.user)
        return companion


class CompanionViewSet(ModelViewSet):
    """Coordinators' list of companions. The full NIK shows only on this screen (UU 27/2022)."""

    model = Companion
    icon = "user"
    menu_label = _("Companions")
    add_to_admin_menu = False
    add_view_class = CompanionCreateView
    edit_view_class = CompanionEditView
    copy_view_enabled = False
    # Gender and birth date are read from the NIK by the service, never typed.
    form_fields = ["nik", "village"]
    list_display = ["user", "nik", "village", "phone"]
    list_filter = ["gender", "village__provinsi"]
    list_export = ["user", "nik", "gender", "birth_date", "phone", "village"]
    search_fields = ["user__full_name", "user__username", "nik", "village__name", "village__kabupaten"]
    export_filename = "pendamping"

    def get_form_class(self, for_update=False):
        return super().get_form_class(for_update) if for_update else CompanionCreateForm


class VillageCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        village = village_upsert(
            code=data["code"],
            name=data["name"],
            kecamatan=data["kecamatan"],
            kabupaten=data["kabupaten"],
            provinsi=data["provinsi"],
            code_version=data["code_version"],
        )
        log(instance=village, action="wagtail.create", user=self.request.user)
        return village


class VillageEditView(EditView):
    def save_instance(self):
        village = village_update(village=self.form.instance)
        log(instance=village, action="wagtail.edit", user=self.request.user)
        return village


class VillageViewSet(ModelViewSet):
    model = Village
    icon = "site"
    menu_label = _("Villages")
    add_to_admin_menu = False
    add_view_class = VillageCreateView
    edit_view_class = VillageEditView
    form_fields = ["code", "name", "kecamatan", "kabupaten", "provinsi", "code_version"]
    list_display = ["code", "name", "kecamatan", "kabupaten", "provinsi"]
    list_filter = ["provinsi"]
    list_export = ["code", "name", "kecamatan", "kabupaten", "provinsi", "code_version"]
    search_fields = ["code", "name", "kecamatan", "kabupaten", "provinsi"]
    export_filename = "desa"
