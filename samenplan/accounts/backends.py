"""Sign-in backends that keep the signed-in person's row in memory between requests.

Django reads the person's row from accounts_user on every page (`auth.get_user`). Here the row is
kept in this process's memory (the `pages` cache) under the person's generation of the `users`
kind (core/pagecache.py): every write to their row, such as a new password, a deactivation or a
login, starts a new one, so the next request reads the row again and Django's check of the
session against the password sees a change at once. A write to the table that names no row (a
queryset update) renews everyone's. Each request gets its own copy.
"""

from django.contrib.auth import backends as django_backends
from django.core.cache import caches
from sesame import backends as sesame_backends

from samenplan.core import pagecache

USER_TABLES = frozenset({"accounts_user"})


class KeptUserMixin:
    def get_user(self, user_id):
        # The generation is read before the row: a write committed in between makes a new one.
        generation = pagecache.generation("users", [pagecache.for_person(user_id)])
        key = f"user:{generation}:{type(self).__name__}:{user_id}"
        kept = caches["pages"].get(key)
        if kept is not None:
            return kept
        user = super().get_user(user_id)
        if user is not None:
            caches["pages"].set(key, user)
        return user


class ModelBackend(KeptUserMixin, django_backends.ModelBackend):
    """Password sign-in."""


class LoginLinkBackend(KeptUserMixin, sesame_backends.ModelBackend):
    """Sign-in with an e-mailed login link (django-sesame)."""
