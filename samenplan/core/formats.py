"""Numbers and dates as a person reads them, in the active language: "1.234,50" and "31 december 2027"
in Dutch, "1,234.50" and "31 December 2027" in English.

A version's snapshot keeps decimals as strings ("4.50") and dates as ISO strings ("2027-12-31") so
that its hash is the same on every database; pages, the diff and the PDF turn them into readable
text here, and the template filters `nl_number` and `nl_date` call these functions.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import date_format, number_format


def number(value, decimals: int = 2) -> str:
    """A Decimal, int, float or numeric string with `decimals` places and grouped thousands;
    "" for None or an empty string; anything that is not a number comes back unchanged."""
    if value is None or value == "":
        return ""
    try:
        # Through str: a float such as 0.1 would otherwise become 0.1000000000000000055…
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    try:
        # Rounded half up, as people round (Django's number_format would cut 4,567 to 4,5).
        amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than a Decimal holds: shown as it is
        pass
    return number_format(amount, decimals, use_l10n=True, force_grouping=True)


def is_none(value) -> bool:
    """Whether a figure means "nobody" or "nothing": None, empty or zero ("0.00", 0). Such a
    figure is shown as a dash, not as "0,00"; text that is not a number is not none."""
    if value is None or value == "":
        return True
    try:
        return Decimal(str(value).strip()) == 0
    except InvalidOperation:
        return False


def long_date(value) -> str:
    """A date, datetime or ISO date string as "31 december 2027"; "" when empty; a string that is
    not an ISO date comes back unchanged (never an error on a page)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value
    if isinstance(value, datetime) and timezone.is_aware(value):
        # The day as the reader's clock shows it, not as UTC's.
        value = timezone.localtime(value)
    if not isinstance(value, date):
        return str(value)
    return date_format(value, "j F Y", use_l10n=True)
