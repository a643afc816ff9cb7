from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CareOfficeYear, Submission
from .selectors import SORTS, PortalState


class SubmitForm(forms.Form):
    note = forms.CharField(label=_("Toelichting voor het zorgkantoor (mag leeg blijven)"), required=False,
                           max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Waarom trekt u de indiening in?"), max_length=3000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Schrijf op waarom u de indiening intrekt.")})


class RespondForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uw antwoord"), widget=forms.RadioSelect,
        choices=[(Submission.Status.RECEIVED, _("Ontvangst bevestigen")),
                 (Submission.Status.CORRECTION_REQUESTED, _("Om een correctie vragen"))],
        error_messages={"required": _("Kies: ontvangst bevestigen of om een correctie vragen.")})
    reason = forms.CharField(label=_("Wat moet de organisatie verbeteren?"), required=False, max_length=3000,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Nodig als u om een correctie vraagt. De organisatie leest dit."))


class YearSettingForm(forms.Form):
    year = forms.IntegerField(label=_("Planjaar"), min_value=2015, max_value=2100,
                              error_messages={"required": _("Vul het planjaar in, bijvoorbeeld 2027."),
                                              "invalid": _("Vul het planjaar in als getal, bijvoorbeeld 2027."),
                                              "min_value": _("Kies een planjaar tussen 2015 en 2100."),
                                              "max_value": _("Kies een planjaar tussen 2015 en 2100.")})
    deadline = forms.DateField(label=_("Plannen indienen vóór"), widget=forms.DateInput(attrs={"type": "date"},
                                                                                       format="%Y-%m-%d"),
                               error_messages={"required": _("Vul de datum in waarvóór de plannen binnen moeten "
                                                             "zijn."),
                                               "invalid": _("Vul een datum in, bijvoorbeeld 31-01-2027.")})
    plan_format = forms.ChoiceField(label=_("Welke vorm verwacht u?"), widget=forms.RadioSelect,
                                    choices=CareOfficeYear.PlanFormat.choices,
                                    initial=CareOfficeYear.PlanFormat.FRAMEWORK,
                                    help_text=_("Bij „vrije vorm” houden ontbrekende onderdelen van het "
                                                "kwaliteitskader een plan niet meer tegen; ze worden alleen "
                                                "gemeld."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year + 1,
                                      "plan_format": CareOfficeYear.PlanFormat.FRAMEWORK})
        super().__init__(*args, **kwargs)


class PortalFilterForm(forms.Form):
    """The overview's filters, read from the query string; a wrong value is ignored, not an error."""

    year = forms.IntegerField(label=_("Planjaar"), required=False, min_value=2015, max_value=2100)
    q = forms.CharField(label=_("Zoek op naam van organisatie of locatie"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("Stand van zaken"), required=False,
                              choices=[("", _("Alle"))] + PortalState.choices)
    late = forms.BooleanField(label=_("Alleen wie te laat is"), required=False)
    attention = forms.BooleanField(label=_("Alleen met aandachtspunten"), required=False)
    sort = forms.ChoiceField(label=_("Sorteren op"), required=False, choices=[
        ("name", _("Naam")), ("state", _("Stand van zaken")), ("submitted", _("Datum van indienen")),
        ("locations", _("Aantal locaties"))])
    order = forms.ChoiceField(label=_("Volgorde"), required=False,
                              choices=[("asc", _("Oplopend")), ("desc", _("Aflopend"))])

    def values(self, default_year: int) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "year": data.get("year") or default_year, "q": data.get("q") or "", "state": data.get("state") or "",
            "late": bool(data.get("late")), "attention": bool(data.get("attention")),
            "sort": data.get("sort") if data.get("sort") in SORTS else "name",
            "descending": data.get("order") == "desc",
        }
