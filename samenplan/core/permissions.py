"""Small helpers that every app's views and services share."""

from django.core.exceptions import PermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme


def require(user, perm: str, obj=None) -> None:
    """Raises PermissionDenied unless `user` has `perm` (a django-rules permission) on `obj`."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def safe_next_url(request, fallback: str = "/") -> str:
    """The `next` address of a form or link, only when it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback
