"""Admin screens for accounts, companions and villages; every save calls a service."""

import django_filters

from django import forms
from django.contrib.auth import update_session_auth_hash
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenMultipleView,
    ChosenView,
    CreateView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.bulk_actions.set_active_state import SetActiveStateBulkAction
from wagtail.users.views.users import CreateView as WagtailUserCreateView
from wagtail.users.views.users import EditView as WagtailUserEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .admin_views import ServiceCreateView, ServiceEditView, ServiceFormMixin
from .exports import SafeExportIndexView
from .models import Companion, User, Village
from .services import (
    ACCOUNT_FIELDS,
    companion_create,
    companion_update,
    errors_on_fields,
    user_create,
    user_update,
    village_create,
    village_update,
)
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

    def _update_errors(self, errors):
        # The case-blind username constraint names no field; its message belongs next to the username.
        super()._update_errors(errors_on_fields(errors))


class BalaiUserCreationForm(UserFullNameMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = FIELDS


class BalaiUserEditForm(UserFullNameMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = [*FIELDS, "is_active"]


def group_names(groups) -> list[str]:
    return [group.name for group in groups]


class UserCreateView(ServiceFormMixin, WagtailUserCreateView):
    error_fields = {"password": "password1"}

    def save_instance(self):
        data = self.form.cleaned_data
        return user_create(
            by=self.request.user,
            username=data["username"],
            full_name=data["full_name"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            password=data["password1"],
            is_superuser=data.get("is_superuser", False),
            groups=group_names(data.get("groups", ())),
        )


class UserEditView(ServiceFormMixin, WagtailUserEditView):
    error_fields = {"password": "password1"}

    def save_instance(self):
        data = self.form.cleaned_data
        changes = {field: data[field] for field in self.form.changed_data if field in ACCOUNT_FIELDS}
        if "groups" in changes:
            changes["groups"] = group_names(changes["groups"])
        if data.get("password1"):
            changes["password"] = data["password1"]
        user = user_update(user=User.objects.get(pk=self.object.pk), by=self.request.user, **changes)
        if user == self.request.user and "password" in changes:
            update_session_auth_hash(self.request, user)  # changing one's own password keeps one logged in
        return user


class UserSetActiveStateBulkAction(SetActiveStateBulkAction):
    """Wagtail's "set active state", one account at a time through user_update (audit log, signals)."""

    @classmethod
    def execute_action(cls, objects, mark_as_active=False, model=None, user=None, **kwargs):
        accounts = [account for account in objects if user is None or account.pk != user.pk]
        for account in accounts:
            user_update(user=account, by=user, is_active=mark_as_active)
        return len(accounts), 0


class UserViewSet(WagtailUserViewSet):
    template_prefix = "people/users/"
    add_view_class = UserCreateView
    edit_view_class = UserEditView

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


class CompanionCreateView(ServiceCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return companion_create(
            by=self.request.user,
            username=data["username"],
            full_name=data["full_name"],
            phone=data["phone"],
            password=data["password"],
            nik=data["nik"],
            village=data["village"],
        )


class CompanionEditView(ServiceEditView):
    def save_instance(self):
        return companion_update(companion=self.stored_object(), by=self.request.user, **self.changes())


class CompanionFilterSet(WagtailFilterSet):
    """Filters named as a coordinator says them ("Provinsi", not the field path's "Desa provinsi")."""

    provinsi = django_filters.AllValuesFilter(field_name="village__provinsi", label=_("Province"))

    class Meta:
        model = Companion
        fields = ["gender"]


class CompanionIndexView(SafeExportIndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("people.add_accessgrant"):
            url = reverse("access:companion", args=[instance.pk])
            buttons.append(MenuItem(_("Login access"), url=url, icon_name="key", priority=15))
        return buttons


class CompanionViewSet(ModelViewSet):
    """Coordinators' list of companions. The full NIK shows only on this screen (UU 27/2022)."""

    model = Companion
    icon = "user"
    menu_label = _("Companions")
    add_to_admin_menu = False
    index_view_class = CompanionIndexView
    add_view_class = CompanionCreateView
    edit_view_class = CompanionEditView
    copy_view_enabled = False
    # Gender and birth date are read from the NIK by the service, never typed.
    form_fields = ["nik", "village"]
    list_display = ["user", "nik", "village", "phone"]
    filterset_class = CompanionFilterSet
    list_export = ["user", "nik", "gender", "birth_date", "phone", "village"]
    search_fields = ["user__full_name", "user__username", "nik", "village__name", "village__kabupaten"]
    export_filename = "pendamping"

    def get_form_class(self, for_update=False):
        return super().get_form_class(for_update) if for_update else CompanionCreateForm


class VillageCreateView(ServiceCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return village_create(
            by=self.request.user,
            code=data["code"],
            name=data["name"],
            kecamatan=data["kecamatan"],
            kabupaten=data["kabupaten"],
            provinsi=data["provinsi"],
            code_version=data["code_version"],
        )


class VillageEditView(ServiceEditView):
    def save_instance(self):
        return village_update(village=self.stored_object(), by=self.request.user, **self.changes())


class VillageViewSet(ModelViewSet):
    model = Village
    icon = "site"
    menu_label = _("Villages")
    add_to_admin_menu = False
    index_view_class = SafeExportIndexView
    add_view_class = VillageCreateView
    edit_view_class = VillageEditView
    form_fields = ["code", "name", "kecamatan", "kabupaten", "provinsi", "code_version"]
    list_display = ["code", "name", "kecamatan", "kabupaten", "provinsi"]
    list_filter = ["provinsi"]
    list_export = ["code", "name", "kecamatan", "kabupaten", "provinsi", "code_version"]
    search_fields = ["code", "name", "kecamatan", "kabupaten", "provinsi"]
    export_filename = "desa"


class CompanionSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name, username, village or NIK")}),
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q", "").strip()
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        if query.isdigit():
            # A NIK is looked up from its start only: typing a few digits must not list strangers' NIKs.
            return objects.filter(nik__startswith=query)
        return objects.filter(
            Q(user__full_name__icontains=query)
            | Q(user__username__icontains=query)
            | Q(village__name__icontains=query)
            | Q(village__kecamatan__icontains=query)
            | Q(village__kabupaten__icontains=query)
        )


class CompanionChooserMixin:
    """Coordinators only: the chooser searches by NIK, which trainers may not."""

    filter_form_class = CompanionSearchForm
    per_page = 20

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("people.view_companion"):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        return Companion.objects.select_related("user", "village")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("username", label=_("Username"), accessor="user.username"),
            Column("village", label=_("Village"), accessor="village"),
            Column("nik", label=_("NIK"), accessor="masked_nik"),  # never in full outside the companion list
        ]


class CompanionChooseView(CompanionChooserMixin, ChooseView):
    pass


class CompanionChooseResultsView(CompanionChooserMixin, ChooseResultsView):
    pass


class CompanionChosenView(CompanionChooserMixin, ChosenView):
    def get_display_title(self, instance):
        return f"{instance} — {instance.village}"


class CompanionChosenMultipleView(CompanionChooserMixin, ChosenMultipleView):
    pass


class CompanionChooserCreateView(CompanionChooserMixin, CreateView):
    """Companions are added on their own screen or by import, never from inside the chooser."""

    def can_create(self):
        return False


class CompanionChooserViewSet(ChooserViewSet):
    """The searchable chooser every admin form's companion field uses (enrollments, replacements)."""

    model = Companion
    icon = "user"
    choose_one_text = _("Choose a companion")
    choose_another_text = _("Choose another companion")
    edit_item_text = _("Edit companion")
    choose_view_class = CompanionChooseView
    choose_results_view_class = CompanionChooseResultsView
    chosen_view_class = CompanionChosenView
    chosen_multiple_view_class = CompanionChosenMultipleView
    create_view_class = CompanionChooserCreateView


companion_chooser_viewset = CompanionChooserViewSet("companion_chooser", url_prefix="pendamping-pilih")
