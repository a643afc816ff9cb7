import base64
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from samenplan.core.permissions import safe_next_url

from . import services
from .forms import ApiTokenForm, LoginForm, LoginLinkRequestForm, OtpCodeForm, ProfileForm
from .middleware import second_factor_exempt
from .models import ApiToken


# django-otp slows down guessing: after a wrong code the next try must wait a little longer.
TOO_FAST = gettext_lazy("Even wachten: na een verkeerde code kunt u het over een paar seconden opnieuw proberen.")


@method_decorator(second_factor_exempt, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


@method_decorator(second_factor_exempt, name="dispatch")
class LogoutView(auth_views.LogoutView):
    pass


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def login_link_request(request):
    form = LoginLinkRequestForm(request.POST or None)
    # The page the person wanted before logging in (from the login page's ?next=) goes into the link.
    next_path = _next_path(request)
    if request.method == "POST" and form.is_valid():
        services.request_login_link(email=form.cleaned_data["email"], next_path=next_path)
        context = {"email": form.cleaned_data["email"], "minutes": settings.SESAME_MAX_AGE // 60,
                   "next": next_path}
        return render(request, "accounts/login_link_sent.html", context)
    return render(request, "accounts/login_link_request.html", {"form": form, "next": next_path})


def _next_path(request) -> str:
    return services.login_next_path(request.POST.get("next") or request.GET.get("next") or "")


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def login_link(request):
    # The link logs in by a button, not on GET: mail scanners open links before people do.
    user = services.user_for_login_link(request)
    if user is None:
        return render(request, "accounts/login_link_invalid.html", {"next": _next_path(request)}, status=410)
    if request.method == "POST":
        # Logging in sets last_login, which makes this link (and older ones) unusable.
        auth_login(request, user, backend="samenplan.accounts.backends.LoginLinkBackend")
        # A role that needs a second factor is sent on from there to the code page, which keeps `next`.
        return redirect(_next_path(request) or "core:dashboard")
    return render(request, "accounts/login_link_confirm.html", {"link_user": user, "next": _next_path(request)})


def _qr_code_data_uri(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@second_factor_exempt
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """First time: scan a QR code (or type the key) into an authenticator app, then confirm a code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="app", confirmed=False)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", TOO_FAST)
        elif device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Uw app is gekoppeld. Voortaan vragen we bij het inloggen om een code."))
            return redirect(safe_next_url(request))
        else:
            form.add_error("code", _("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat en probeer de nieuwste code."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr_code": _qr_code_data_uri(device.config_url),
        "secret_groups": [secret[i:i + 4] for i in range(0, len(secret), 4)],
        "next": safe_next_url(request),
    }
    return render(request, "accounts/otp_setup.html", context)


@second_factor_exempt
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect("accounts:otp_setup")
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed = [device for device in devices if device.verify_is_allowed()[0]]
        for device in allowed:
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(safe_next_url(request))
        form.add_error("code", _("Deze code klopt niet. Probeer de nieuwste code uit uw app.") if allowed else TOO_FAST)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": safe_next_url(request)})


def _profile_context(request, **extra):
    context = {
        "form": ProfileForm(instance=request.user),
        "token_form": ApiTokenForm(),
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            services.update_profile(user=request.user, **form.cleaned_data)
            messages.success(request, _("Uw instellingen zijn opgeslagen."))
            return redirect("accounts:profile")
        return render(request, "accounts/profile.html", _profile_context(request, form=form), status=400)
    return render(request, "accounts/profile.html", _profile_context(request))


@login_required
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        token, raw = services.create_api_token(user=request.user, name=form.cleaned_data["name"])
        # The secret is shown on this response only; a redirect would lose it.
        return render(request, "accounts/profile.html", _profile_context(request, new_token=raw, new_token_obj=token))
    return render(request, "accounts/profile.html", _profile_context(request, token_form=form), status=400)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(token=token, by=request.user)
    messages.success(request, _("De sleutel „%(name)s” is ingetrokken en werkt niet meer.") % {"name": token.name})
    return redirect("accounts:profile")
