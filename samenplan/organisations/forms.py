from django import forms
from django.utils.translation import gettext_lazy as _

from samenplan.accounts.models import Role
from samenplan.core.validators import no_markup

from .models import Council, Location, Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kvk_number"]
        widgets = {"kvk_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = ["name", "kvk_establishment_number", "street", "postal_code", "city", "places", "is_active"]
        widgets = {"kvk_establishment_number": forms.TextInput(attrs={"inputmode": "numeric"})}

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].replace(" ", "").upper()
        return f"{code[:4]} {code[4:]}"


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = ["kind", "name", "location"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["location"].queryset = organisation.locations.filter(is_active=True)
        self.fields["location"].empty_label = _("Centrale raad (voor de hele organisatie)")
        if self.instance.pk:
            # The kind of an existing council does not change: consent rules depend on it.
            del self.fields["kind"]


class CouncilMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Naam"), max_length=150, validators=[no_markup])
    email = forms.EmailField(
        label=_("E-mailadres"), max_length=254,
        help_text=_("Hiermee logt deze persoon in met een link, zonder wachtwoord."),
    )
    role = forms.ChoiceField(
        label=_("Rol in de raad"),
        choices=[(Role.COUNCIL_MEMBER.value, Role.COUNCIL_MEMBER.label),
                 (Role.COUNCIL_SECRETARY.value, Role.COUNCIL_SECRETARY.label)],
        initial=Role.COUNCIL_MEMBER, widget=forms.RadioSelect,
    )
