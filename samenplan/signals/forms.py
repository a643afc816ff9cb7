"""Forms of the signal pages. They check the shape of what was typed; the rules (length, personal
data, dates, themes of the framework) live in services.py, whose messages land on these forms
through core.rendering.run_form_action."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Signal

TEXT_REQUIRED = _("Schrijf op wat er goed ging of wat beter kan.")


class SignalTextField(forms.CharField):
    """No maxlength attribute on the box: a browser would cut a pasted text off without a word;
    the service says how long it may be instead."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def _optional(choices, empty_label) -> list:
    return [("", empty_label), *choices]


class PublicSignalForm(forms.Form):
    """The form anyone can fill in without an account. No name is asked."""

    text = SignalTextField(
        label=_("Wat ging er goed, of wat kan beter?"), widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Schrijf het in uw eigen woorden. Noem liever geen namen of telefoonnummers."),
        error_messages={"required": TEXT_REQUIRED})
    topic = forms.ChoiceField(
        label=_("Waar gaat het over? (mag leeg blijven)"), required=False,
        choices=_optional(Signal.Topic.choices, _("Weet ik niet of zeg ik liever niet")))
    giver_role = forms.ChoiceField(
        label=_("Wie bent u? (mag leeg blijven)"), required=False,
        choices=_optional(Signal.GiverRole.choices, _("Zeg ik liever niet")))
    # Filled in only after the warning about personal data, when the person sends it anyway.
    confirm_personal_data = forms.BooleanField(
        label=_("Ik wil het toch zo versturen"), required=False)
    # The honeypot: hidden from people and screen readers; a program that fills every box fills it.
    website = forms.CharField(label=_("Laat dit vak leeg"), required=False)


class ProxySignalForm(PublicSignalForm):
    """A council secretary or quality staff member types in a signal they received otherwise."""

    location = forms.ModelChoiceField(label=_("Over welke locatie gaat het?"), queryset=None,
                                      error_messages={"required": _("Kies de locatie."),
                                                      "invalid_choice": _("Kies de locatie.")})
    channel = forms.ChoiceField(
        label=_("Hoe kreeg u het signaal?"), widget=forms.RadioSelect,
        choices=[c for c in Signal.Channel.choices if c[0] != Signal.Channel.ONLINE],
        error_messages={"required": _("Kies hoe u het signaal kreeg."),
                        "invalid_choice": _("Kies hoe u het signaal kreeg.")})
    received_on = forms.DateField(
        label=_("Op welke dag kreeg u het?"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Bijvoorbeeld 14-03-2026."),
        error_messages={"required": _("Vul de dag in waarop u het signaal kreeg."),
                        "invalid": _("Vul een datum in, bijvoorbeeld 14-03-2026.")})

    field_order = ["location", "channel", "received_on", "text", "topic", "giver_role", "confirm_personal_data"]

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["location"].queryset = locations
        self.fields["text"].label = _("Het signaal")
        self.fields["text"].help_text = _("Schrijf op wat de persoon zei, zonder naam of andere gegevens "
                                          "waaraan iemand te herkennen is.")
        self.fields["giver_role"].label = _("Wie gaf het signaal? (mag leeg blijven)")
        self.fields["giver_role"].choices = _optional(Signal.GiverRole.choices, _("Weet ik niet"))
        self.fields["topic"].choices = _optional(Signal.Topic.choices, _("Weet ik niet"))
        self.fields["received_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["received_on"].input_formats = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


class PeriodForm(forms.Form):
    """The selection on the list: a quarter, or a date range; a location; a theme; words to find."""

    locatie = forms.TypedChoiceField(label=_("Locatie"), required=False, coerce=int, empty_value=None)
    kwartaal = forms.RegexField(
        label=_("Kwartaal"), required=False, regex=r"^\d{4}-Q[1-4]$",
        help_text=_("Bijvoorbeeld 2026-Q3. Laat leeg om een periode te kiezen."),
        error_messages={"invalid": _("Schrijf het kwartaal als jaar-Q en een cijfer, bijvoorbeeld 2026-Q3.")})
    van = forms.DateField(label=_("Van"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 01-01-2026.")})
    tot = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 31-12-2026.")})
    thema = forms.ChoiceField(label=_("Thema"), required=False)
    zoek = forms.CharField(label=_("Zoek in de tekst"), required=False, max_length=100,
                           error_messages={"max_length": _("Zoek op hoogstens 100 tekens.")})

    def __init__(self, *args, locations, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locatie"].choices = [("", _("Alle locaties")), *[(loc.pk, loc.name) for loc in locations]]
        self.fields["thema"].choices = [("", _("Alle thema's")), ("-", _("Nog zonder thema")), *themes]
        for name in ("van", "tot"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d-%m-%Y"]

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            self.add_error("tot", _("Deze datum ligt voor de datum bij „Van”. Kies een latere datum."))
        return data


def quarter_bounds(quarter: str) -> tuple[datetime.date, datetime.date]:
    year, number = int(quarter[:4]), int(quarter[-1])
    start = datetime.date(year, 3 * number - 2, 1)
    end = datetime.date(year + 1, 1, 1) if number == 4 else datetime.date(year, 3 * number + 1, 1)
    return start, end - datetime.timedelta(days=1)


class ThemeForm(forms.Form):
    theme_key = forms.ChoiceField(label=_("Thema uit het kwaliteitskader"), required=False)

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme_key"].choices = [("", _("Nog geen thema")), *themes]


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(
        label=_("Dit signaal is dubbel met"), coerce=int,
        help_text=_("Kies het signaal dat blijft. Dit signaal telt dan niet meer apart mee."),
        error_messages={"required": _("Kies het signaal waar dit signaal dubbel mee is."),
                        "invalid_choice": _("Kies een ander signaal van dezelfde locatie.")})

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", _("Kies een signaal")), *candidates]


class LinkForm(forms.Form):
    top_point = forms.TypedChoiceField(label=_("Punt uit de top 3 van de cliëntenraad"), required=False,
                                       coerce=int, empty_value=None,
                                       error_messages={"invalid_choice": _("Kies een punt uit de lijst.")})
    action = forms.TypedChoiceField(label=_("Verbeteractie"), required=False, coerce=int, empty_value=None,
                                    error_messages={"invalid_choice": _("Kies een actie uit de lijst.")})

    def __init__(self, *args, top_points, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["top_point"].choices = [("", _("Geen")), *top_points]
        self.fields["action"].choices = [("", _("Geen")), *actions]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("top_point") and not data.get("action"):
            raise forms.ValidationError(_("Kies een punt uit de top 3, een verbeteractie of allebei."))
        return data


class RedactForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, haal de tekst van dit signaal weg. Dat kan niet ongedaan worden gemaakt."),
        error_messages={"required": _("Zet een vinkje als u de tekst echt wilt weghalen.")})

