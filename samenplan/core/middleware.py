"""One log line per request, for LOG_FORMAT=json (settings.py turns the `samenplan.request` logger on).

The line holds what an operator needs and nothing personal: the method, the route's pattern
(`/plannen/<int:plan_id>/`, never the path itself, and never the query string, where a search
term or an e-mail address may be), the status, the duration and the user's id. No name, no
e-mail address, no form data.
"""

import logging
import time

from django.conf import settings
from django.utils.functional import empty

logger = logging.getLogger("samenplan.request")


def path_template(request) -> str | None:
    """The URL pattern that answered, or None when none did (a 404, a redirect to add a slash)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return "/" + match.route
    if request.path_info.startswith(settings.STATIC_URL):
        return settings.STATIC_URL + "<path>"  # WhiteNoise answers before any URL is resolved
    return None


def user_id(request) -> int | None:
    user = getattr(request, "user", None)
    # A user nobody asked for is not looked up here: that would cost a query for the log alone.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not logger.isEnabledFor(logging.INFO):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        logger.info("request", extra={"fields": {
            "method": request.method,
            "path_template": path_template(request),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": user_id(request),
        }})
        return response
