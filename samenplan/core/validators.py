"""Validators shared by forms, models and the API, so a rule on input is written once."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

kvk_number_validator = RegexValidator(
    r"^\d{8}\Z",
    _("Een KvK-nummer bestaat uit precies 8 cijfers, bijvoorbeeld 41234567."),
    code="kvk_number",
)
kvk_establishment_number_validator = RegexValidator(
    r"^\d{12}\Z",
    _("Een vestigingsnummer bestaat uit precies 12 cijfers, bijvoorbeeld 000012345678."),
    code="kvk_establishment_number",
)
postal_code_validator = RegexValidator(
    r"^[1-9]\d{3} ?[A-Za-z]{2}\Z",
    _("Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB."),
    code="postal_code",
)

_MARKUP = re.compile(r"[<>]")


def no_markup(value: str) -> None:
    """Names are plain text; angle brackets only ever arrive as an attempt at markup."""
    if _MARKUP.search(value or ""):
        raise ValidationError(
            _("Gebruik geen < of > in een naam. Schrijf de naam als gewone tekst."), code="markup"
        )


TEXT_MAX = 3000


def clean_text(value, field: str, *, required: str = "", limit: int = TEXT_MAX) -> str:
    """A free text of a form or API call, stripped: `required` is the message when it is empty (none:
    it may be), and beyond `limit` characters the field gets a message that names the limit."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError({field: _("Deze tekst is te lang: houd het onder de %(limit)s tekens.")
                               % {"limit": limit}})
    return value
