import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from samenplan.organisations.models import CareOffice, Council, Location, Organisation


class Role(models.TextChoices):
    BOARD = "board", _("Bestuurder")
    QUALITY_STAFF = "quality_staff", _("Kwaliteitsmedewerker")
    LOCATION_MANAGER = "location_manager", _("Locatiemanager")
    COUNCIL_MEMBER = "council_member", _("Lid van de raad")
    COUNCIL_SECRETARY = "council_secretary", _("Secretaris van de raad")
    PEER_REVIEWER = "peer_reviewer", _("Collega-beoordelaar (lerend netwerk)")
    CARE_OFFICE_STAFF = "care_office_staff", _("Medewerker zorgkantoor")
    PLATFORM_ADMIN = "platform_admin", _("Beheerder van Samenplan")


COUNCIL_ROLES = frozenset({Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY})
ORGANISATION_ROLES = frozenset(
    {Role.BOARD, Role.QUALITY_STAFF, Role.LOCATION_MANAGER, Role.PEER_REVIEWER} | COUNCIL_ROLES
)
# KK/DESIGN: those who adopt, write or purchase need a second factor.
SECOND_FACTOR_ROLES = frozenset(
    {Role.BOARD, Role.QUALITY_STAFF, Role.CARE_OFFICE_STAFF, Role.PLATFORM_ADMIN}
)


class User(AbstractUser):
    class Language(models.TextChoices):
        DUTCH = "nl", "Nederlands"
        ENGLISH = "en", "English"

    class NotificationPreference(models.TextChoices):
        IMMEDIATE = "immediate", _("Direct een e-mail bij elk bericht")
        DAILY_DIGEST = "daily_digest", _("Eén e-mail per dag met alle berichten")

    language = models.CharField(
        _("taal"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    notification_preference = models.CharField(
        _("berichten per e-mail"),
        max_length=20,
        choices=NotificationPreference.choices,
        default=NotificationPreference.IMMEDIATE,
    )
    # Demo accounts may skip the second factor, and only when the site runs in demo mode.
    is_demo = models.BooleanField(default=False, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_email_unique_case_insensitive"
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username


class Membership(models.Model):
    """One role of one person, scoped to what the role is about. A person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisatie"),
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name=_("locatie"),
    )
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name=_("raad"),
    )
    care_office = models.ForeignKey(
        CareOffice, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name=_("zorgkantoor"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("rol van een persoon")
        verbose_name_plural = _("rollen van personen")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(r.value for r in ORGANISATION_ROLES), organisation__isnull=False,
                      care_office__isnull=True)
                    | Q(role=Role.CARE_OFFICE_STAFF, care_office__isnull=False, organisation__isnull=True)
                    | Q(role=Role.PLATFORM_ADMIN, organisation__isnull=True, care_office__isnull=True)
                ),
                name="membership_scope_matches_role",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.LOCATION_MANAGER) | Q(location__isnull=False),
                name="location_manager_has_location",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in COUNCIL_ROLES)) | Q(council__isnull=False),
                name="council_role_has_council",
            ),
        ]

    def __str__(self):
        scope = self.council or self.location or self.organisation or self.care_office
        return f"{self.get_role_display()} ({scope})" if scope else self.get_role_display()


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    PREFIX = "sp_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("naam"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so a person can tell tokens apart without the secret.
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class LoginLinkRequest(models.Model):
    """That someone asked for a login link for this person, and when: for the hourly limit.

    The link itself is a signed django-sesame token made when the e-mail is sent; it is
    stored nowhere.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_link_requests")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("aanvraag inloglink")
        verbose_name_plural = _("aanvragen inloglink")
