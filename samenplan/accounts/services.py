"""Accounts: people, roles, API tokens, login links and profile changes."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import COUNCIL_ROLES, ApiToken, LoginLinkRequest, Membership, User
from .selectors import forget_memberships, roles_of

LOGIN_LINKS_PER_HOUR = 3


def find_or_create_person(*, full_name: str, email: str) -> User:
    email = email.strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    first, _sep, last = full_name.strip().partition(" ")
    base = slugify(email.split("@")[0]) or "persoon"
    username = base
    while User.objects.filter(username=username).exists():
        username = f"{base}-{secrets.token_hex(2)}"
    user = User(username=username, email=email, first_name=first, last_name=last)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def add_membership(*, user: User, role: str, **scope) -> Membership:
    """Gives a person a role. The organisation of a location or council role follows from it."""
    if scope.get("location") is not None:
        scope.setdefault("organisation", scope["location"].organisation)
    if scope.get("council") is not None:
        scope.setdefault("organisation", scope["council"].organisation)
    membership, _created = Membership.objects.get_or_create(user=user, role=role, **scope)
    forget_memberships(user)
    return membership


@transaction.atomic
def update_profile(*, user: User, language: str, notification_preference: str) -> User:
    user.language = language
    user.notification_preference = notification_preference
    user.full_clean()
    user.save(update_fields=["language", "notification_preference"])
    return user


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Geef de sleutel een naam, zodat u later weet waarvoor hij is.")})
    raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=ApiToken.hash(raw), hint=raw[:10])
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User) -> ApiToken:
    if token.user_id != by.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_api_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Writing on every call would turn each API read into a write; a minute is precise enough.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# A path on this site is short; anything longer is not a page a notification pointed at.
NEXT_PATH_MAX_LENGTH = 500


def login_next_path(candidate: str) -> str:
    """`candidate` when it is a path on this site ("/plannen/3/reacties/"), else "".

    Only a path, never an address with a host: what goes into a login link must not be able to
    send anyone to another site (//evil.example, https://other.example, /\\evil.example).
    """
    candidate = (candidate or "").strip()
    if (not candidate.startswith("/") or len(candidate) > NEXT_PATH_MAX_LENGTH
            or not url_has_allowed_host_and_scheme(candidate, allowed_hosts=None)):
        return ""
    return candidate


def login_link_url(user: User, next_path: str = "") -> str:
    """A signed one-time link (django-sesame): valid for SESAME_MAX_AGE, void after any login.

    The page to open after logging in travels in the link itself, beside the token, rather than
    in LoginLinkRequest: a link is void after any login, so nothing needs to be looked up later,
    and whoever edits that part of the link can only point it at another page of this site (it is
    checked again when the link is used). The token stays last, so a link without a page is as before.
    """
    from sesame.utils import get_query_string

    query = get_query_string(user)
    next_path = login_next_path(next_path)
    if next_path:
        query = "?" + urlencode({"next": next_path}) + "&" + query.removeprefix("?")
    return settings.SITE_URL + reverse("accounts:login_link") + query


def may_use_login_link(user: User) -> bool:
    return user.is_active and bool(roles_of(user) & COUNCIL_ROLES)


@transaction.atomic
def request_login_link(*, email: str, next_path: str = "") -> LoginLinkRequest | None:
    """Sends a login link to a council member. Returns None (and sends nothing) otherwise.

    With `next_path` (a path on this site, such as the page a notification linked to) the link
    opens that page after logging in; anything else is dropped and the link opens the dashboard.
    The caller shows the same message either way, so the form does not reveal who has an account.
    """
    from .tasks import send_login_link

    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not may_use_login_link(user):
        return None
    recent = LoginLinkRequest.objects.filter(user=user, created_at__gte=timezone.now() - timedelta(hours=1))
    if recent.count() >= LOGIN_LINKS_PER_HOUR:
        return None
    link_request = LoginLinkRequest.objects.create(user=user)
    # The database task backend stores the task in this same transaction, so no on_commit needed.
    send_login_link.enqueue(user_id=user.pk, next_path=login_next_path(next_path))
    return link_request


def user_for_login_link(request) -> User | None:
    """The person a login link in this request is for, without using the link up."""
    from sesame.utils import get_user

    return get_user(request, update_last_login=False)
