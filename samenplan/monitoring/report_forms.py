"""Forms of the quality report and "u zei, wij deden". Checks that need the database (a theme of the
plan's framework, a location of the organisation, a signal's own words) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActionProgress


class ReportTextForm(forms.Form):
    """The introduction and one box per theme of the plan's framework (Markdown)."""

    introduction = forms.CharField(label=_("Inleiding"), required=False, max_length=10000,
                                   widget=forms.Textarea(attrs={"rows": 5}),
                                   help_text=_("Een paar zinnen over het jaar: wat ging goed, wat was moeilijk?"))

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = list(themes)
        for key, title in self.themes:
            self.fields[f"theme_{key}"] = forms.CharField(
                label=_("Evaluatie: %(theme)s") % {"theme": title}, required=False, max_length=20000,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("Wat heeft u op dit thema bereikt? U kunt Markdown gebruiken, zoals **vet** en lijstjes."))

    def theme_fields(self):
        return [(key, title, self[f"theme_{key}"]) for key, title in self.themes]


class EvaluationForm(forms.Form):
    final_status = forms.ChoiceField(label=_("Hoe is de actie geëindigd?"), choices=ActionProgress.Status.choices,
                                     widget=forms.RadioSelect)
    evaluation = forms.CharField(label=_("Wat heeft de actie opgeleverd?"), max_length=3000,
                                 widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text=_("Schrijf in gewone woorden wat er is veranderd voor de bewoners, en wat "
                                             "u ervan leerde."),
                                 error_messages={"required": _("Schrijf op wat de actie heeft opgeleverd.")})


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Bevinding"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Wat heeft u dit jaar geleerd? Volgend jaar begint het plan hiermee."),
                           error_messages={"required": _("Schrijf de bevinding op: wat heeft u dit jaar geleerd?")})
    location = forms.TypedChoiceField(label=_("Voor welke locatie?"), required=False, coerce=int, empty_value=None)
    theme_key = forms.ChoiceField(label=_("Thema"), required=False)

    def __init__(self, *args, locations=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", _("De hele organisatie")), *[(loc.pk, loc.name) for loc in locations]]
        self.fields["theme_key"].choices = [("", _("Geen thema")), *themes]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Uw reactie"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Wat vindt uw raad van het verslag? Wat mist u?"),
                           error_messages={"required": _("Schrijf uw reactie op het kwaliteitsverslag.")})


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Ja, ik weet wat deze stap doet"),
                                 error_messages={"required": _("Zet een vinkje als u het zeker weet.")})


class YouSaidForm(forms.Form):
    """The rows of a location's page: one per proposal of the data, plus empty ones. The row's source
    (a theme or a top-3 point) rides along hidden."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.row_count = len(rows)
        for index, row in enumerate(rows):
            self.fields[f"theme_key_{index}"] = forms.CharField(required=False, widget=forms.HiddenInput,
                                                                initial=row.get("theme_key", ""))
            self.fields[f"top_point_{index}"] = forms.CharField(required=False, widget=forms.HiddenInput,
                                                                initial=row.get("top_point") or "")
            self.fields[f"you_said_{index}"] = forms.CharField(
                label=_("U zei"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                initial=row.get("you_said", ""),
                help_text=_("In uw eigen woorden, kort en gewoon. Nooit de letterlijke woorden van een bewoner."))
            self.fields[f"we_did_{index}"] = forms.CharField(
                label=_("Wij deden"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                initial=row.get("we_did", ""))
        self.rows = list(rows)

    def row_fields(self):
        return [(row, self[f"you_said_{i}"], self[f"we_did_{i}"], self[f"theme_key_{i}"], self[f"top_point_{i}"])
                for i, row in enumerate(self.rows)]

    def items(self) -> list[dict]:
        data = self.cleaned_data
        return [{"theme_key": data.get(f"theme_key_{i}", ""), "top_point": data.get(f"top_point_{i}") or None,
                 "you_said": data.get(f"you_said_{i}", ""), "we_did": data.get(f"we_did_{i}", "")}
                for i in range(self.row_count)]
