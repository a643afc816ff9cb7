from django import forms
from django.utils.translation import gettext_lazy as _

from samenplan.frameworks.models import FrameworkSection
from samenplan.frameworks.selectors import frameworks_for_organisation

from .models import (
    CARE_INTENSITY_PROFILES,
    CARE_TYPES,
    SUMMARY_MAX_LENGTH,
    TARGET_GROUPS,
    ImprovementAction,
    StaffingRow,
    care_intensity_label,
)
from .selectors import next_free_plan_year


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar van het plan"), min_value=2017, max_value=2100)
    framework = forms.ModelChoiceField(label=_("Kwaliteitskader"), queryset=None, empty_label=None,
                                       help_text=_("Het kader bepaalt de onderdelen van het plan."))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks_for_organisation(organisation).order_by("-valid_from")
        self.initial.setdefault("year", next_free_plan_year(organisation))


class SectionForm(forms.Form):
    body = forms.CharField(label=_("Tekst"), required=False, max_length=60000, strip=False,
                           widget=forms.Textarea(attrs={"rows": 18}),
                           help_text=_("U kunt Markdown gebruiken: **vet**, *schuin*, een lijst met - aan het begin van de regel."))
    summary = forms.CharField(
        label=_("In het kort, voor de raden"), required=False, max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Schrijf in twee tot vier korte zinnen wat er in dit onderdeel staat, in gewone woorden. De "
                    "cliëntenraad en de andere raden lezen dit eerst. Nodig voordat u de raden om instemming vraagt."))
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ProfileForm(forms.Form):
    target_groups = forms.MultipleChoiceField(label=_("Voor wie zorgt u? (doelgroepen)"), choices=TARGET_GROUPS,
                                              required=False, widget=forms.CheckboxSelectMultiple)
    care_types = forms.MultipleChoiceField(label=_("Welke soorten zorg geeft u?"), choices=CARE_TYPES,
                                           required=False, widget=forms.CheckboxSelectMultiple)
    text = forms.CharField(label=_("Toelichting"), required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for profile in CARE_INTENSITY_PROFILES:
            self.fields[f"zzp_{profile}"] = forms.IntegerField(
                label=care_intensity_label(profile), min_value=0,
                max_value=100000, required=False)

    @property
    def intensity_fields(self):
        return [self[f"zzp_{profile}"] for profile in CARE_INTENSITY_PROFILES]

    def care_intensity(self) -> dict[str, int]:
        return {p: self.cleaned_data.get(f"zzp_{p}") or 0 for p in CARE_INTENSITY_PROFILES}


class StaffingForm(forms.Form):
    reference_date = forms.DateField(label=_("Peildatum"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                     help_text=_("De datum waarop deze cijfers gelden."))
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class StaffingRowForm(forms.ModelForm):
    class Meta:
        model = StaffingRow
        fields = StaffingRow.FTE_FIELDS + StaffingRow.COUNT_FIELDS + ["inflow", "outflow", "sickness_rate"]
        widgets = {name: forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})
                   for name in StaffingRow.FTE_FIELDS + ["sickness_rate"]}

    def __init__(self, *args, location=None, **kwargs):
        super().__init__(*args, prefix=f"loc-{location.pk if location else 'org'}", **kwargs)
        self.location = location
        # Every row has the same labels: the legend says whose figures they are, on the page and
        # in the error summary ("De Linde — Niveau 3 fte: ...").
        self.legend = location.name if location else _(
            "Niet aan één locatie verbonden (bijvoorbeeld centrale diensten)")
        # An empty box means none: nobody should have to type 0 in forty boxes.
        for name in StaffingRow.FTE_FIELDS + StaffingRow.COUNT_FIELDS:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in StaffingRow.FTE_FIELDS + StaffingRow.COUNT_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data


class ParagraphForm(forms.Form):
    # The text as it was when the page opened travels along (hidden), so that adding or removing an
    # action saves the text only when this person changed it, and never writes back an old copy
    # over what a colleague saved in the meantime.
    body = forms.CharField(label=_("Wat gaat deze locatie verbeteren?"), required=False, max_length=30000,
                           widget=forms.Textarea(attrs={"rows": 6}), show_hidden_initial=True)


class ActionForm(forms.ModelForm):
    theme_key = forms.ChoiceField(label=_("Thema"), required=False)

    class Meta:
        model = ImprovementAction
        fields = ["title", "goal", "measurable_result", "theme_key", "owner", "due_quarter", "status", "source",
                  "source_note"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 3}), "measurable_result": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        themes = [(s.key, s.title) for s in plan.sections.all() if s.kind == FrameworkSection.Kind.THEME]
        self.fields["theme_key"].choices = [("", _("Geen thema"))] + themes
        # The example is of this plan's own year; plans.services checks that the quarter fits it.
        example = f"{plan.year}-Q2"
        self.fields["due_quarter"].widget.attrs["placeholder"] = example
        self.fields["due_quarter"].help_text = _("Een kwartaal in %(year)s of later, bijvoorbeeld %(example)s.") % {
            "year": plan.year, "example": example}


class FreezeForm(forms.Form):
    note = forms.CharField(label=_("Notitie bij deze versie"), required=False, max_length=500,
                           help_text=_("Bijvoorbeeld: versie voor de cliëntenraad."))
