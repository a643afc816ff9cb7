"""Forms of the participation pages. They check the shape of what was typed; the rules themselves
(lengths, later versions, reasons, at most three points) live in services.py, whose messages land
on these forms through core.rendering.run_form_action."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Comment, commentable_sections, default_respond_by

# Three rows are shown; a posted fourth row is kept so that the service can say "at most three".
TOP_POINT_ROWS = 3
MAX_POSTED_ROWS = 10

SECTION_REQUIRED = _("Kies het onderdeel van het plan waar uw reactie over gaat.")


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def version_label(version) -> str:
    """`version.adopted` is set by consent.selectors.mark_adopted: the adopted version says so."""
    label = gettext("Versie %(number)s van %(date)s") % {
        "number": version.number, "date": date_format(version.created_at, "j F Y")}
    if getattr(version, "adopted", None):
        label = gettext("%(version)s (vastgestelde versie)") % {"version": label}
    return label


class CommentForm(forms.Form):
    section_key = forms.ChoiceField(label=_("Over welk onderdeel gaat uw reactie?"),
                                    error_messages={"required": SECTION_REQUIRED, "invalid_choice": SECTION_REQUIRED})
    quote = forms.CharField(label=_("Citaat (mag leeg blijven)"), required=False, strip=False, widget=_textarea(3),
                            help_text=_("Plak hier het stukje tekst waar uw reactie over gaat."))
    body = forms.CharField(label=_("Uw reactie"), widget=_textarea(6),
                           error_messages={"required": _("Schrijf uw reactie.")})

    def __init__(self, *args, sections: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        choices = commentable_sections({s["key"]: s["title"] for s in sections})
        self.fields["section_key"].choices = list(choices.items())
        # Without a (valid) section from the link, the comment is about the whole plan.
        if self.initial.get("section_key") not in choices:
            self.initial["section_key"] = Comment.WHOLE_PLAN


class CommentAnswerForm(forms.Form):
    """The author's answer. `later_versions` are the plan's versions after the comment's own, read
    once for the whole page, so that thirty answer forms cost no extra query."""

    outcome = forms.ChoiceField(label=_("Wat hebt u met de reactie gedaan?"), choices=Comment.Outcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": _("Kies wat u met de reactie hebt gedaan."),
                                                "invalid_choice": _("Kies wat u met de reactie hebt gedaan.")})
    change_version = forms.TypedChoiceField(
        label=_("Verwerkt in versie"), required=False, coerce=int, empty_value=None,
        help_text=_("Alleen bij „verwerkt”: de versie waarin de wijziging staat."),
        error_messages={"invalid_choice": _("Kies een latere versie van dit plan dan de versie van de reactie.")})
    answer = forms.CharField(label=_("Uw antwoord"), required=False, widget=_textarea(4),
                             help_text=_("Bij „deels verwerkt” of „niet verwerkt”: schrijf waarom."))

    def __init__(self, *args, later_versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.later_versions = {v.pk: v for v in later_versions}
        self.fields["change_version"].choices = [
            ("", _("Geen (niet of deels verwerkt)")),
            *[(v.pk, version_label(v)) for v in sorted(later_versions, key=lambda v: -v.number)],
        ]

    def clean_change_version(self):
        pk = self.cleaned_data["change_version"]
        return self.later_versions.get(pk) if pk else None


class TopPointsForm(forms.Form):
    """The client council's top 3: a council (hidden when the person sits on one), a location
    (empty: the whole organisation) and three rows of title and explanation."""

    council = forms.ModelChoiceField(label=_("Namens welke raad?"), queryset=None, empty_label=None)
    location = forms.ModelChoiceField(label=_("Voor welke locatie?"), queryset=None, required=False,
                                      empty_label=_("Hele organisatie"),
                                      help_text=_("Laat op „Hele organisatie” staan als de punten voor alle "
                                                  "locaties gelden."))

    def __init__(self, *args, councils, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.fields["location"].queryset = locations
        if len(councils) == 1:
            self.fields["council"].widget = forms.HiddenInput()
        for n in range(1, self._row_count() + 1):
            self.fields[f"title_{n}"] = forms.CharField(
                label=gettext("Verbeterpunt %(n)s") % {"n": n}, required=False,
                widget=forms.TextInput(attrs={"maxlength": 200}))
            self.fields[f"explanation_{n}"] = forms.CharField(
                label=gettext("Uitleg bij verbeterpunt %(n)s") % {"n": n}, required=False, widget=_textarea(3))

    def _row_count(self) -> int:
        if not self.is_bound:
            return TOP_POINT_ROWS
        posted = [n for n in range(1, MAX_POSTED_ROWS + 1) if self.data.get(f"title_{n}", "").strip()]
        return max([TOP_POINT_ROWS, *posted])

    @property
    def rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(n, self[f"title_{n}"], self[f"explanation_{n}"]) for n in range(1, self._row_count() + 1)]

    def points(self) -> list[dict]:
        return [{"title": self.cleaned_data[f"title_{n}"], "explanation": self.cleaned_data[f"explanation_{n}"]}
                for n in range(1, self._row_count() + 1)]


class TopPointAnswerForm(forms.Form):
    action_ids = forms.TypedMultipleChoiceField(
        label=_("Welke verbeteracties pakken dit punt aan?"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies acties uit dit plan.")})
    answer = forms.CharField(label=_("Antwoord aan de cliëntenraad"), required=False, widget=_textarea(5),
                             help_text=_("Schrijf hoe het plan dit punt oppakt, zeker als er geen actie bij past."))

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for action in actions:
            groups.setdefault(action.paragraph.location.name, []).append((action.pk, action.title))
        self.fields["action_ids"].choices = list(groups.items())

    @property
    def action_groups(self) -> list[tuple[str, list]]:
        """The checkboxes per location, for a fieldset each."""
        names = [name for name, _choices in self.fields["action_ids"].choices]
        groups: dict[str, list] = {}
        for checkbox in self["action_ids"].subwidgets:
            group = int(str(checkbox.data["index"]).split("_")[0])
            groups.setdefault(names[group], []).append(checkbox)
        return list(groups.items())


class InvitePeersForm(forms.Form):
    version = forms.TypedChoiceField(label=_("Welke versie moeten zij lezen?"), coerce=int,
                                     error_messages={"required": _("Kies een versie."),
                                                     "invalid_choice": _("Kies een versie van dit plan.")})
    organisations = forms.ModelMultipleChoiceField(
        label=_("Welke collega-organisaties nodigt u uit?"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies organisaties uit uw lerend netwerk."),
                        "invalid_pk_value": _("Kies organisaties uit uw lerend netwerk.")})
    # Left empty, the service takes four weeks from today; whether the date may be chosen is its rule.
    respond_by = forms.DateField(
        label=_("Feedback graag vóór"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Gewoonlijk vier weken. De collega's krijgen 7 dagen en 1 dag van tevoren een herinnering."),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 31-01-2027.")})

    def __init__(self, *args, versions, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {v.pk: v for v in versions}
        self.fields["version"].choices = [(v.pk, version_label(v)) for v in versions]
        if versions:
            self.fields["version"].initial = versions[0].pk
        self.fields["organisations"].queryset = candidates
        self.initial.setdefault("respond_by", default_respond_by())

    def clean_version(self):
        return self.versions[self.cleaned_data["version"]]


class PeerReviewForm(forms.Form):
    """Feedback per section of the version, and an overall summary."""

    summary = forms.CharField(label=_("Samenvatting van uw feedback"), required=False, widget=_textarea(6),
                              help_text=_("Wat gaat goed, en wat zou u als eerste verbeteren? Nodig om in te dienen."))

    def __init__(self, *args, sections: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[self.field_name(section["key"])] = forms.CharField(
                label=gettext("Uw feedback op „%(title)s”") % {"title": section["title"]}, required=False,
                widget=_textarea(4))

    @staticmethod
    def field_name(key: str) -> str:
        return f"feedback_{key}"

    @property
    def section_fields(self) -> list[tuple[dict, forms.BoundField]]:
        return [(section, self[self.field_name(section["key"])]) for section in self.sections]

    def section_feedback(self) -> dict[str, str]:
        return {s["key"]: self.cleaned_data[self.field_name(s["key"])] for s in self.sections}

    @property
    def service_field_names(self) -> dict[str, str]:
        """The service names a section's feedback `section_feedback.<key>`: here it is that section's box."""
        return {f"section_feedback.{s['key']}": self.field_name(s["key"]) for s in self.sections}


# --- The learning network's library -----------------------------------------------------------


class LibraryShareForm(forms.Form):
    who_took_part = forms.CharField(
        label=_("Wie deden er mee?"), required=False, widget=_textarea(4),
        help_text=_("Bijvoorbeeld: de cliëntenraad, de VAR, teams op de locaties, familie."))
    how_signals = forms.CharField(
        label=_("Hoe haalden u en uw collega's signalen op?"), required=False, widget=_textarea(4),
        help_text=_("Bijvoorbeeld: gesprekken aan tafel, een vragenlijst, een kaartje in de hal."))
    do_differently = forms.CharField(
        label=_("Wat zou u de volgende keer anders doen?"), required=False, widget=_textarea(4))

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["networks"] = forms.ModelMultipleChoiceField(
            label=_("Delen in"), queryset=networks, widget=forms.CheckboxSelectMultiple, initial=list(networks),
            error_messages={"required": _("Kies minstens één lerend netwerk.")})


class LibraryCommentForm(forms.Form):
    body = forms.CharField(label=_("Uw reactie"), widget=_textarea(5), max_length=3000,
                           error_messages={"required": _("Schrijf uw reactie."),
                                           "max_length": _("Uw reactie is te lang: houd het onder de 3000 tekens.")})


class LibraryCopyForm(forms.Form):
    def __init__(self, *args, sections: list[dict], plans: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section_key"] = forms.ChoiceField(
            label=_("Welk onderdeel wilt u overnemen?"), choices=[(s["key"], s["title"]) for s in sections],
            error_messages={"required": _("Kies een onderdeel."), "invalid_choice": _("Kies een onderdeel.")})
        self.fields["plan"] = forms.TypedChoiceField(
            label=_("In welk plan van uw organisatie?"), coerce=int,
            choices=[(p.pk, f"{p} · {p.organisation.name}") for p in plans],
            help_text=_("De tekst komt onderaan hetzelfde onderdeel van dat plan. U kunt hem daarna aanpassen."),
            error_messages={"required": _("Kies een plan."), "invalid_choice": _("Kies een plan.")})
