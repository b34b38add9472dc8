"""The wording of a certificate: a sentence with placeholders, filled from the certificate's facts."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDERS = ("name", "village", "kabupaten", "program", "cohort", "dates", "place", "jp")


def placeholders_in(text: str) -> list[str]:
    return [name for _text, name, _spec, _conv in string.Formatter().parse(text) if name is not None]


def validate_wording(value: str) -> None:
    try:
        names = placeholders_in(value)
    except ValueError:
        names = None
    unknown = None if names is None else [name for name in names if name not in PLACEHOLDERS]
    if names is None or unknown:
        raise ValidationError(
            _("Unknown placeholder in the wording: %(names)s. Use only %(known)s.")
            % {
                "names": ", ".join(unknown or ["{…}"]),
                "known": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
            },
            code="wording",
        )


def fill_wording(text: str, facts: dict[str, str]) -> str:
    return text.format_map({name: facts.get(name, "") for name in PLACEHOLDERS})
