from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import Companion, User, Village

FIELDS = ["username", "full_name", "email", "phone", "is_superuser", "groups"]


class UserFullNameMixin(forms.Form):
    first_name = None
    last_name = None
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)


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


class CompanionViewSet(ModelViewSet):
    """Coordinators' list of companions. The full NIK shows only on this screen (UU 27/2022)."""

    model = Companion
    icon = "user"
    menu_label = _("Companions")
    add_to_admin_menu = False
    form_fields = ["nik", "gender", "birth_date", "village"]
    list_display = ["user", "nik", "village", "phone"]
    list_filter = ["gender", "village__provinsi"]
    list_export = ["user", "nik", "gender", "birth_date", "phone", "village"]
    search_fields = ["user__full_name", "user__username", "nik", "village__name", "village__kabupaten"]
    export_filename = "pendamping"


class VillageViewSet(ModelViewSet):
    model = Village
    icon = "site"
    menu_label = _("Villages")
    add_to_admin_menu = False
    form_fields = ["code", "name", "kecamatan", "kabupaten", "provinsi", "code_version"]
    list_display = ["code", "name", "kecamatan", "kabupaten", "provinsi"]
    list_filter = ["provinsi"]
    list_export = ["code", "name", "kecamatan", "kabupaten", "provinsi", "code_version"]
    search_fields = ["code", "name", "kecamatan", "kabupaten", "provinsi"]
    export_filename = "desa"
