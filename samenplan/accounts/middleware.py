from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from .selectors import needs_second_factor


class UserLanguageMiddleware:
    """A logged-in person's chosen language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language != translation.get_language():
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


def second_factor_exempt(view):
    view.second_factor_exempt = True
    return view


class SecondFactorRequiredMiddleware:
    """Board, quality staff and care-office staff confirm a code from their app before anything else.

    The API is left to its own auth classes, which refuse such sessions (samenplan/api.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "second_factor_exempt", False) or request.path.startswith("/api/"):
            return None
        user = request.user
        # Verified first: it is known from the session, the roles would cost a query on every page.
        if user.is_authenticated and user.is_verified() or not needs_second_factor(user):
            return None
        from django_otp import devices_for_user

        target = "accounts:otp_verify" if any(devices_for_user(user)) else "accounts:otp_setup"
        return redirect(reverse(target) + "?" + urlencode({"next": request.get_full_path()}))
