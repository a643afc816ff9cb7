from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Gebruikersnaam"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("De gebruikersnaam of het wachtwoord klopt niet. Let op hoofdletters."),
        "inactive": _("Dit account is niet actief. Neem contact op met uw organisatie."),
    }


class LoginLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Uw e-mailadres"), max_length=254,
        help_text=_("U krijgt een e-mail met een link. Daarmee logt u in zonder wachtwoord."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Dit is geen geldig e-mailadres. Een e-mailadres ziet eruit als naam@voorbeeld.nl."),
        },
    )


class OtpCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code uit uw app"), regex=r"^\s*\d{6}\s*$", max_length=12,
        help_text=_("Zes cijfers, bijvoorbeeld 123456."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={
            "required": _("Vul de code van zes cijfers in."),
            "invalid": _("De code bestaat uit zes cijfers."),
        },
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language", "notification_preference"]
        widgets = {"notification_preference": forms.RadioSelect, "language": forms.RadioSelect}


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": _("Naam van de nieuwe sleutel")}
        help_texts = {"name": _("Bijvoorbeeld: koppeling met het kwaliteitssysteem.")}
