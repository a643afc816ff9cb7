from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenplan.plans.models import QualityPlan

from .models import ConsentCondition, ConsentDecision, LcvvRequest
from .services import DEFAULT_RESPONSE_TIME

# Empty rows for conditions: the form must work without JavaScript, so the rows are there from
# the start, and five is more than one meeting usually sets.
CONDITION_ROWS = 5


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_respond_by():
    return timezone.localdate() + DEFAULT_RESPONSE_TIME


class TransitionForm(forms.Form):
    """Moving the plan to another phase; going to the councils also takes a response date.
    `to` is checked by the service, which knows the phases and where a plan may go."""

    to = forms.CharField(label=_("Fase"), max_length=30, widget=forms.HiddenInput)
    respond_by = forms.DateField(label=_("Reageren vóór"), required=False, widget=_date_input(),
                                 help_text=_("Gewoonlijk zes weken. De raden krijgen 7 dagen en 1 dag van tevoren "
                                             "een herinnering."))
    include_works_council = forms.BooleanField(label=_("Vraag ook de ondernemingsraad (OR) om instemming"),
                                               required=False)
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    # The number of the version the board confirmed to adopt (the confirmation page sends it).
    version = forms.IntegerField(label=_("Versie"), required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("respond_by", default_respond_by())
        self.initial.setdefault("to", QualityPlan.Status.CONSENT)


class RespondByForm(forms.Form):
    respond_by = forms.DateField(label=_("Nieuwe reactiedatum"), widget=_date_input(),
                                 error_messages={"required": _("Vul de nieuwe reactiedatum in.")})


class DecisionForm(forms.Form):
    """The council's decision as its secretary records it after the meeting.

    Whether a decision needs conditions or reasons is the service's rule, so those fields are
    optional here and the service's message lands on the form.
    """

    decision = forms.ChoiceField(label=_("Wat heeft de raad besloten?"), choices=ConsentDecision.Decision.choices,
                                 widget=forms.RadioSelect, required=False)
    meeting_date = forms.DateField(label=_("Datum van de vergadering"), required=False, widget=_date_input())
    present = forms.TypedMultipleChoiceField(label=_("Wie waren er bij de vergadering?"), coerce=int,
                                             required=False, widget=forms.CheckboxSelectMultiple)
    present_note = forms.CharField(label=_("Ook aanwezig"), required=False, max_length=500,
                                   help_text=_("Bijvoorbeeld leden zonder account of een ondersteuner."))
    reasons = forms.CharField(label=_("Toelichting of redenen"), required=False, max_length=10000,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("Verplicht als de raad niet instemt: schrijf op waarom."))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, m.get_full_name() or m.username) for m in members]
        for n in range(1, CONDITION_ROWS + 1):
            self.fields[f"condition_{n}_text"] = forms.CharField(
                label=_("Voorwaarde %(n)s") % {"n": n}, required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"condition_{n}_owner"] = forms.CharField(
                label=_("Wie zorgt ervoor (voorwaarde %(n)s)") % {"n": n}, required=False, max_length=200)

    @property
    def condition_rows(self):
        return [(self[f"condition_{n}_text"], self[f"condition_{n}_owner"]) for n in range(1, CONDITION_ROWS + 1)]

    @property
    def main_fields(self):
        return [self[name] for name in ("decision", "meeting_date", "present", "present_note")]

    def conditions(self) -> list[dict]:
        return [{"text": self.cleaned_data[f"condition_{n}_text"], "owner": self.cleaned_data[f"condition_{n}_owner"]}
                for n in range(1, CONDITION_ROWS + 1)]

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's messages, each on its field. One about the conditions goes on each row it
        names (the service counts the rows as given, empty ones too), so the error summary links
        to the very box the secretary has to correct."""
        for field, errors in error.error_dict.items() if hasattr(error, "error_dict") else [(None, error)]:
            if field == "conditions":
                for message in errors:
                    for index, part in (message.params or {}).get("rows") or [(0, "text")]:
                        name = f"condition_{index + 1}_{part}"
                        self.add_error(name if name in self.fields else "condition_1_text", message)
                continue
            self.add_error(field if field in self.fields else NON_FIELD_ERRORS, errors)

    def summary(self) -> dict:
        """What the secretary is about to record, in words, for the confirmation step (a valid form)."""
        data = self.cleaned_data
        names = dict(self.fields["present"].choices)
        return {
            "decision": data["decision"],
            "decision_label": ConsentDecision.Decision(data["decision"]).label if data["decision"] else "",
            "meeting_date": data["meeting_date"],
            "present": [names[pk] for pk in data["present"] if pk in names],
            "present_note": data["present_note"],
            "conditions": [c for c in self.conditions() if c["text"] or c["owner"]],
            "reasons": data["reasons"],
        }

    def carried(self) -> list[tuple[str, str]]:
        """The cleaned answers as (name, value) pairs for hidden fields: the confirmation step
        carries them to the next post without JavaScript, and back to the form unchanged."""
        pairs = []
        for name, value in self.cleaned_data.items():
            values = value if isinstance(value, list) else [value]
            for item in values:
                if item in (None, ""):
                    continue
                pairs.append((name, item.isoformat() if hasattr(item, "isoformat") else str(item)))
        return pairs


class LcvvForm(forms.Form):
    """Plain forms, not model forms: a model form would change the object before the service
    compares it with what it was."""

    submitted_on = forms.DateField(label=_("Wanneer is het verzoek ingediend?"), required=False, widget=_date_input())
    outcome = forms.ChoiceField(label=_("Wat is de uitspraak?"), choices=LcvvRequest.Outcome.choices,
                                initial=LcvvRequest.Outcome.PENDING, widget=forms.RadioSelect)
    outcome_on = forms.DateField(label=_("Datum van de uitspraak"), required=False, widget=_date_input(),
                                 help_text=_("Alleen invullen als de commissie al uitspraak heeft gedaan."))
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ConditionForm(forms.Form):
    status = forms.ChoiceField(label=_("Hoe staat het ervoor?"), choices=ConsentCondition.Status.choices,
                               widget=forms.RadioSelect)
    owner = forms.CharField(label=_("Wie zorgt ervoor?"), required=False, max_length=200)
    action = forms.ModelChoiceField(label=_("Verbeteractie die bij deze voorwaarde hoort"), queryset=None,
                                    required=False, empty_label=_("Geen actie gekoppeld"))
    answer = forms.CharField(label=_("Antwoord aan de raad"), required=False, max_length=3000,
                             widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("Schrijf op wat de organisatie met de voorwaarde heeft gedaan."))

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions
        self.fields["action"].label_from_instance = lambda a: f"{a.title} ({a.paragraph.location.name})"
