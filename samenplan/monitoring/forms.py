"""Forms of the progress pages. They check the shape of what was typed; the rules (which quarter,
lengths, the plan's state) live in services.py, whose messages land on these forms through
core.rendering.run_form_action."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samenplan.signals.forms import SignalTextField

from .models import ActionProgress


class ProgressForm(forms.Form):
    quarter = forms.ChoiceField(label=_("Over welk kwartaal?"),
                                error_messages={"required": _("Kies het kwartaal."),
                                                "invalid_choice": _("Kies een kwartaal uit de lijst.")})
    status = forms.ChoiceField(
        label=_("Hoe gaat het met de actie?"), widget=forms.RadioSelect, choices=ActionProgress.Status.choices,
        error_messages={"required": _("Kies hoe het met de actie gaat."),
                        "invalid_choice": _("Kies hoe het met de actie gaat.")})
    explanation = SignalTextField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In een paar zinnen: wat is er gedaan, en wat komt er nog?"),
        error_messages={"required": _("Schrijf in een paar zinnen hoe het gaat.")})
    figure = forms.CharField(label=_("Cijfer (mag leeg blijven)"), required=False,
                             help_text=ActionProgress._meta.get_field("figure").help_text)
    story = SignalTextField(
        label=_("Verhaal van de werkvloer (mag leeg blijven)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat merken bewoners of medewerkers ervan? Noem geen namen."))

    def __init__(self, *args, quarters: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q, q) for q in quarters]


class QuarterForm(forms.Form):
    """Which quarter (and location) a page shows, from the query string."""

    quarter = forms.ChoiceField(label=_("Kwartaal"), required=False,
                                error_messages={"invalid_choice": _("Kies een kwartaal uit de lijst.")})
    location = forms.TypedChoiceField(label=_("Locatie"), required=False, coerce=int, empty_value=None,
                                      error_messages={"invalid_choice": _("Kies een locatie uit de lijst.")})

    def __init__(self, *args, quarters: list[str], locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q, q) for q in quarters]
        if locations is None:
            del self.fields["location"]
        else:
            self.fields["location"].choices = [("", _("Alle locaties")), *[(loc.pk, loc.name) for loc in locations]]


class QuarterlyCommentForm(forms.Form):
    body = SignalTextField(label=_("Uw reactie"), widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Wat valt u op? Wat wilt u de organisatie vragen?"),
                           error_messages={"required": _("Schrijf uw reactie.")})
