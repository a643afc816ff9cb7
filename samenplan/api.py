"""The JSON API at /api/v1/: one NinjaAPI, a router per app, errors as JSON with a field path."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from samenplan.accounts.selectors import needs_second_factor
from samenplan.accounts.services import user_for_api_token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_api_token(token)
        if user is not None:
            request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    """The browser's session, but only once the second factor is done where it is required."""

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and (not needs_second_factor(user) or user.is_verified()):
            return user
        return None


api = NinjaAPI(
    title="Samenplan API",
    version="1",
    description="Kwaliteitsplannen verpleeghuiszorg. Authenticate with `Authorization: Bearer <token>` "
    "(personal API token from the profile page) or the browser session.",
    urls_namespace="api",
    auth=[ApiTokenAuth(), VerifiedSessionAuth()],
    docs_url=None,
)


def error(request, status: int, message: str, errors: list | None = None):
    body = {"message": message}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


# Pydantic's messages are English; the people reading them are not always. By error type, with
# pydantic's own context (a length, a limit) filled in; an unknown type keeps the generic sentence.
_FIELD_MESSAGES = {
    "missing": gettext_lazy("Dit veld ontbreekt."),
    "int_parsing": gettext_lazy("Geef een heel getal."),
    "int_type": gettext_lazy("Geef een heel getal."),
    "int_from_float": gettext_lazy("Geef een heel getal."),
    "float_parsing": gettext_lazy("Geef een getal."),
    "float_type": gettext_lazy("Geef een getal."),
    "decimal_parsing": gettext_lazy("Geef een getal."),
    "bool_parsing": gettext_lazy("Geef true of false."),
    "bool_type": gettext_lazy("Geef true of false."),
    "string_type": gettext_lazy("Geef een tekst."),
    "string_too_long": gettext_lazy("Dit is te lang: hoogstens %(max_length)s tekens."),
    "string_too_short": gettext_lazy("Dit is te kort: minstens %(min_length)s tekens."),
    "too_long": gettext_lazy("Dit zijn er te veel: hoogstens %(max_length)s."),
    "too_short": gettext_lazy("Dit zijn er te weinig: minstens %(min_length)s."),
    "list_type": gettext_lazy("Geef een lijst."),
    "dict_type": gettext_lazy("Geef een object."),
    "model_attributes_type": gettext_lazy("Geef een object."),
    "date_parsing": gettext_lazy("Geef een datum als JJJJ-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Geef een datum als JJJJ-MM-DD."),
    "date_type": gettext_lazy("Geef een datum als JJJJ-MM-DD."),
    "datetime_parsing": gettext_lazy("Geef een datum en tijd, zoals 2027-03-01T14:00."),
    "datetime_from_date_parsing": gettext_lazy("Geef een datum en tijd, zoals 2027-03-01T14:00."),
    "datetime_type": gettext_lazy("Geef een datum en tijd, zoals 2027-03-01T14:00."),
    "literal_error": gettext_lazy("Kies een van deze waarden: %(expected)s."),
    "enum": gettext_lazy("Kies een van deze waarden: %(expected)s."),
    "greater_than": gettext_lazy("Geef een waarde groter dan %(gt)s."),
    "greater_than_equal": gettext_lazy("Geef een waarde van minstens %(ge)s."),
    "less_than": gettext_lazy("Geef een waarde kleiner dan %(lt)s."),
    "less_than_equal": gettext_lazy("Geef een waarde van hoogstens %(le)s."),
    "json_invalid": gettext_lazy("Dit is geen geldige JSON."),
}


def _field_message(item: dict) -> str:
    message = _FIELD_MESSAGES.get(item.get("type", ""))
    if message is None:
        return _("Deze waarde klopt niet.")
    try:
        return str(message) % {key: value for key, value in (item.get("ctx") or {}).items()}
    except (KeyError, TypeError, ValueError):
        return _("Deze waarde klopt niet.")


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    errors = [
        {"field": ".".join(str(part) for part in item.get("loc", ())), "message": _field_message(item)}
        for item in exc.errors
    ]
    return error(request, 422, _("Er is iets niet goed ingevuld. Zie de velden in errors."), errors)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc):
    if hasattr(exc, "error_dict"):
        errors = [{"field": f"body.{name}", "message": str(msg)} for name, msgs in exc.message_dict.items() for msg in msgs]
    else:
        errors = [{"field": "body", "message": str(msg)} for msg in exc.messages]
    return error(request, 400, _("Er is iets niet goed ingevuld. Zie de velden in errors."), errors)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error(request, 401, _("Log in of geef een geldige API-sleutel mee (Authorization: Bearer …)."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error(request, 403, _("U mag dit niet doen."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, _("Niet gevonden."))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return error(request, exc.status_code, str(exc))


api.add_router("", "samenplan.accounts.api.router")
api.add_router("", "samenplan.organisations.api.router")
api.add_router("", "samenplan.plans.api.router")
api.add_router("", "samenplan.participation.api.router")
api.add_router("", "samenplan.consent.api.router")
api.add_router("", "samenplan.audit.api.router")
api.add_router("", "samenplan.careoffice.api.router")
api.add_router("", "samenplan.careoffice.dialogue_api.router")
api.add_router("", "samenplan.publishing.api.router")
api.add_router("", "samenplan.signals.api.router")
api.add_router("", "samenplan.monitoring.progress_api.router")
api.add_router("", "samenplan.monitoring.report_api.router")
