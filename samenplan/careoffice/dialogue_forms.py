"""Forms of the dialogue pages. Which combination of answers is allowed (a reason when a party
was missing, a date in the future) is the service's rule: its message lands on the form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenplan.core.formats import long_date

from .models import Agreement, DialogueParticipant

DATE_ROWS = 3  # without JavaScript the rows are there from the start; three dates is plenty


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _moment_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def party_label(participant) -> str:
    """A party by its role or council name, never a person's name (care offices see no names)."""
    if participant.council_id:
        return participant.council.name
    return str(DialogueParticipant.Party(participant.party).label)


def invite_choices(councils, participants=()) -> list[tuple[str, str]]:
    """The parties not invited yet: the board and each council of the organisation."""
    have_board = any(p.party == DialogueParticipant.Party.BOARD for p in participants)
    invited = {p.council_id for p in participants if p.council_id}
    choices = [] if have_board else [("board", str(DialogueParticipant.Party.BOARD.label))]
    choices += [(f"council-{c.pk}", f"{c.name} ({c.get_kind_display()})") for c in councils if c.pk not in invited]
    return choices


def split_invite(values) -> tuple[bool, list[int]]:
    board = "board" in values
    councils = [int(v.removeprefix("council-")) for v in values if v.startswith("council-")]
    return board, councils


class _Dates(forms.Form):
    """Rows date_1 … date_3: the care office fills in as many as it likes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, DATE_ROWS + 1):
            self.fields[f"date_{n}"] = forms.DateTimeField(
                label=_("Voorstel %(n)s: datum en begintijd") % {"n": n}, required=False, widget=_moment_input(),
                help_text=_("Bijvoorbeeld 14-03-2027 om 14:00.") if n == 1 else "")
        self.order_fields(["date_1", "date_2", "date_3", "place"])

    def dates(self):
        return [self.cleaned_data.get(f"date_{n}") for n in range(1, DATE_ROWS + 1)]


class SessionForm(_Dates):
    place = forms.CharField(label=_("Waar is de sessie?"), max_length=300, required=False,
                            help_text=_("Een adres, of de link van een videogesprek."))
    invite = forms.MultipleChoiceField(
        label=_("Wie nodigt u uit?"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Praat met de Raad van Bestuur, de cliëntenraad en de VAR/PAR (of de ondernemingsraad als er "
                    "geen VAR/PAR is)."))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invite"].choices = choices
        self.order_fields(["date_1", "date_2", "date_3", "place", "invite"])


class DatesForm(_Dates):
    place = forms.CharField(label=_("Waar is de sessie?"), max_length=300, required=False,
                            help_text=_("Een adres, of de link van een videogesprek."))


class InviteForm(forms.Form):
    invite = forms.MultipleChoiceField(label=_("Wie nodigt u nog uit?"), widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("Kies wie u wilt uitnodigen.")})

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invite"].choices = choices


NONE_FITS = "none"


class PickDateForm(forms.Form):
    proposed_date = forms.ChoiceField(label=_("Welke datum past?"), widget=forms.RadioSelect,
                                      error_messages={"required": _("Kies een datum, of dat er geen past.")})
    note = forms.CharField(label=_("Bericht aan het zorgkantoor"), required=False, max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Nodig als geen datum past: schrijf op wanneer het wel kan."))

    def __init__(self, *args, dates=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for proposed in dates:
            moment = timezone.localtime(proposed.starts_at)
            choices.append((str(proposed.pk), _("%(date)s om %(time)s uur")
                            % {"date": long_date(moment.date()), "time": moment.strftime("%H:%M")}))
        choices.append((NONE_FITS, _("Geen van deze data past")))
        self.fields["proposed_date"].choices = choices


class AgendaForm(forms.Form):
    section_keys = forms.MultipleChoiceField(label=_("Onderdelen van het plan"), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    finding_keys = forms.MultipleChoiceField(label=_("Punten uit de controle"), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    title = forms.CharField(label=_("Eigen punt"), required=False, max_length=300)
    text = forms.CharField(label=_("Toelichting bij het eigen punt"), required=False, max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, sections=(), findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section_keys"].choices = list(sections)
        self.fields["finding_keys"].choices = [(key, message) for key, _rule, message in findings]


class CouncilPointForm(forms.Form):
    title = forms.CharField(label=_("Uw punt voor de agenda"), max_length=300,
                            error_messages={"required": _("Schrijf uw punt in een paar woorden.")})
    text = forms.CharField(label=_("Toelichting"), required=False, max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class HeldForm(forms.Form):
    held_on = forms.DateField(label=_("Gehouden op"), widget=_date_input(), required=False)
    attended = forms.MultipleChoiceField(label=_("Wie waren erbij?"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    missing_party_reason = forms.CharField(
        label=_("Reden dat niet iedereen er was"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nodig als de Raad van Bestuur, de cliëntenraad of de VAR/PAR (of ondernemingsraad) er niet bij "
                    "was."))

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(p.pk), party_label(p)) for p in participants]


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Verslag"), max_length=30000, widget=forms.Textarea(attrs={"rows": 12}),
                              help_text=_("U kunt Markdown gebruiken: ## voor een kopje, - voor een opsomming."),
                              error_messages={"required": _("Schrijf het verslag.")})


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(label=_("Waarom gaat de sessie niet door?"), max_length=3000,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    error_messages={"required": _("Schrijf op waarom de sessie niet doorgaat.")})


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Afspraak"), max_length=300, required=False)
    description = forms.CharField(label=_("Toelichting"), required=False, max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label=_("Wie zorgt ervoor?"), max_length=200, required=False,
                            help_text=_("Een rol of team, bijvoorbeeld de bestuurder of de teamleider."))
    due_date = forms.DateField(label=_("Klaar op"), widget=_date_input(), required=False)


class AgreementTrackForm(forms.Form):
    status = forms.ChoiceField(label=_("Hoe staat het ervoor?"), choices=Agreement.Status.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": _("Kies hoe het ervoor staat.")})
    status_note = forms.CharField(label=_("Toelichting"), required=False, max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
