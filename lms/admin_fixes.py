"""Two of Wagtail's admin screens that print English (or "None") whatever the language."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.views.pages.search import SearchView
from wagtail.models import Page


class AdminLoginForm(LoginForm):
    """Wagtail's login form leaves the password field without a label, so it reads "Password"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


class PageSearchView(SearchView):
    """Wagtail's page search counts its results as "1-2 of 2 None".

    The page listing mixin names its model but not the model's verbose names, which the count
    ("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s") reads; the explorer gets
    them from its own view class, the search view from no one.
    """

    verbose_name = Page._meta.verbose_name
    verbose_name_plural = Page._meta.verbose_name_plural
