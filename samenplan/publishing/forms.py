from django import forms
from django.utils.translation import gettext_lazy as _

from samenplan.core.widgets import QuickSelect

SEARCH_MAX_LENGTH = 100


def _search_field():
    return forms.CharField(label=_("Naam van de organisatie"), required=False, max_length=SEARCH_MAX_LENGTH,
                           error_messages={"max_length": _("Typ hoogstens %(limit_value)s tekens.")})


class OrganisationSearchForm(forms.Form):
    zoek = _search_field()


class PlanFilterForm(forms.Form):
    """The filters of the public plan list. A filter that does not hold is shown with its message
    and left out; the others still apply."""

    jaar = forms.TypedChoiceField(label=_("Jaar"), required=False, coerce=int, empty_value=None, widget=QuickSelect,
                                  error_messages={"invalid_choice": _("Kies een jaar uit de lijst.")})
    regio = forms.TypedChoiceField(label=_("Regio"), required=False, coerce=int, empty_value=None, widget=QuickSelect,
                                   error_messages={"invalid_choice": _("Kies een regio uit de lijst.")})
    zoek = _search_field()

    def __init__(self, data, *, years, regions):
        super().__init__(data)
        self.fields["jaar"].choices = [("", _("Alle jaren")), *((str(y), str(y)) for y in years)]
        self.fields["regio"].choices = [("", _("Alle regio's")), *((str(r.pk), r.name) for r in regions)]

    def valid_filters(self) -> dict:
        """The filters that hold, whether or not the others do."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
