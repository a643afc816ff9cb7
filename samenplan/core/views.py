from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from samenplan.accounts import services as account_services
from samenplan.accounts.middleware import second_factor_exempt
from samenplan.accounts.models import User

from . import health, pagecache, selectors
from .permissions import safe_next_url
from .rendering import render_page


@login_required
@require_GET
@pagecache.per_person("dashboard")
def dashboard(request):
    context = selectors.dashboard_for(request)
    return render_page(request, "core/dashboard.html", context)


@require_GET
def healthz(request):
    """For load balancers and as the bare baseline in bench/pages.py."""
    return HttpResponse("ok", content_type="text/plain")


@second_factor_exempt
@never_cache
@require_GET
def readyz(request):
    """For monitoring and deploys: the database, the shared cache and the worker (core/health.py)."""
    result = health.readiness()
    return JsonResponse(result.as_dict(), status=200 if result.ok else 503)


@second_factor_exempt
@require_GET
def favicon(request):
    """Browsers and bookmark tools ask for /favicon.ico whatever the page links to."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@second_factor_exempt
@require_POST
def set_language(request):
    """Language switch in the footer; for a logged-in person it is also saved in the profile."""
    language = request.POST.get("language")
    if language not in dict(User.Language.choices):
        language = "nl"
    if request.user.is_authenticated:
        account_services.update_profile(
            user=request.user, language=language,
            notification_preference=request.user.notification_preference,
        )
    translation.activate(language)
    response = HttpResponseRedirect(safe_next_url(request))
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
    )
    return response
