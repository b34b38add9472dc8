"""Admin create and edit views that save through a service.

A ValidationError from the service lands on the form next to its field, and the form keeps what
was typed. Edit views hand the service only the changed fields, compared with the stored record.
"""

from django.core.exceptions import ValidationError

from wagtail.admin.views.generic.models import CreateView, EditView


class ServiceFormMixin:
    # The service's name for a field, where the form calls it differently: {"password": "password1"}.
    error_fields: dict[str, str] = {}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            self.add_service_errors(form, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def add_service_errors(self, form, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            name = self.error_fields.get(field, field)
            form.add_error(name if name in form.fields else None, errors)


class ServiceCreateView(ServiceFormMixin, CreateView):
    pass


class ServiceEditView(ServiceFormMixin, EditView):
    def stored_object(self):
        """The record as the database holds it: validating the form has already changed self.object."""
        return self.model._default_manager.get(pk=self.object.pk)

    def changes(self, fields=None) -> dict:
        """The form's changed fields and their cleaned values, limited to `fields` when given."""
        data = self.form.cleaned_data
        return {
            field: data[field]
            for field in self.form.changed_data
            if field in data and (fields is None or field in fields)
        }
