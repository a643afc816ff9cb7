"""A fixed-window rate limit per client, kept in the `default` cache (shared by every web server in
production, see deploy/), for what anyone may use without an account: open data, signal forms."""

import time

from django.conf import settings
from django.core.cache import caches
from python_ipware import IpWare

_IPWARE = IpWare(precedence=tuple(settings.AXES_IPWARE_META_PRECEDENCE_ORDER), leftmost=False)


def client_address(request) -> str:
    """The client's address as the lockouts count it: the proxy's header only behind our proxy."""
    address, _routable = _IPWARE.get_client_ip(request.META)
    return str(address) if address else request.META.get("REMOTE_ADDR", "")


def retry_after(request, scope: str, *, limit: int, window: int, key: str = "") -> int | None:
    """Counts this request against `limit` per `window` seconds for this client (and `key`, e.g. a
    location). None while within the limit, else the seconds until the window ends."""
    now = int(time.time())
    start = now - now % window
    cache_key = f"ratelimit:{scope}:{key}:{client_address(request)}:{start}"
    cache = caches["default"]
    # add() is atomic on every backend we use: the first request of a window sets 1.
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        return max(1, start + window - now)
    return None
