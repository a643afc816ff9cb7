import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samenplan.accounts.models import User
from samenplan.organisations.models import Location, Organisation
from samenplan.participation.models import TopPoint
from samenplan.plans.models import ImprovementAction

# DESIGN: a signal is short, in the giver's own words; a longer story belongs in a conversation.
MAX_TEXT_LENGTH = 2000
# Without 0/O and 1/l/I, so a code copied from the poster by hand is typed right.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 7


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class SignalPage(models.Model):
    """The public signal page of one location: its short link /s/<code>/ and the poster's QR code.

    The code is random, so nobody reaches another location's page by counting up from an id.
    """

    location = models.OneToOneField(Location, on_delete=models.CASCADE, related_name="signal_page")
    code = models.CharField(max_length=16, unique=True, default=new_code)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signaalpagina")
        verbose_name_plural = _("signaalpagina's")

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("signals:public_form", args=[self.code])


class Signal(models.Model):
    """An observation by a resident, relative, volunteer or member of staff about one location.

    Seen only by the organisation's council members and quality staff (DOMAIN rule 24: never
    shared with peers or the public as it is; later reports show counts and staff's own words).
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("Zelf ingevuld op de signaalpagina")
        PAPER = "paper", _("Op papier")
        MEETING = "meeting", _("In een bijeenkomst")
        PHONE = "phone", _("Aan de telefoon")
        CONVERSATION = "conversation", _("In een gesprek")

    class GiverRole(models.TextChoices):
        RESIDENT = "resident", _("Bewoner")
        RELATIVE = "relative", _("Familie, naaste of mantelzorger")
        VOLUNTEER = "volunteer", _("Vrijwilliger")
        STAFF = "staff", _("Medewerker")
        OTHER = "other", _("Iemand anders")

    class Topic(models.TextChoices):
        # The giver's own choice in everyday words; staff tag the framework's theme (theme_key)
        # afterwards, so no framework theme is written into this list.
        CARE = "care", _("Zorg en hulp")
        FOOD = "food", _("Eten en drinken")
        DAY = "day", _("Activiteiten en een fijne dag")
        CONTACT = "contact", _("Contact, bezoek en familie")
        STAFF = "staff", _("Medewerkers")
        SAFETY = "safety", _("Veiligheid")
        BUILDING = "building", _("Het gebouw, de tuin en de kamer")
        OTHER = "other", _("Iets anders")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="signals")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="signals",
                                 verbose_name=_("locatie"))
    text = models.TextField(_("signaal"), blank=True, max_length=MAX_TEXT_LENGTH)
    topic = models.CharField(_("onderwerp"), max_length=20, choices=Topic.choices, blank=True)
    giver_role = models.CharField(_("wie gaf het signaal"), max_length=20, choices=GiverRole.choices, blank=True)
    channel = models.CharField(_("hoe binnengekomen"), max_length=20, choices=Channel.choices,
                               default=Channel.ONLINE)
    received_on = models.DateField(_("ontvangen op"))
    created_at = models.DateTimeField(auto_now_add=True)
    # The giver chose to send it although the check saw something that looked like personal data.
    personal_data_confirmed = models.BooleanField(default=False)
    # Empty for a signal the giver sent themselves; who typed it in for a proxy entry.
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    # A theme of the plan's framework (FrameworkSection.key), set by those who work with signals.
    theme_key = models.SlugField(_("thema"), max_length=80, blank=True)
    # A duplicate points to the signal it repeats and counts as one with it.
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="duplicates", verbose_name=_("dubbel met"))
    redacted_at = models.DateTimeField(null=True, blank=True)
    redacted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        indexes = [
            models.Index(fields=["organisation", "received_on"]),
            models.Index(fields=["location", "received_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(redacted_at__isnull=True) | Q(text=""),
                                   name="redacted_signal_has_no_text"),
            models.CheckConstraint(condition=~Q(duplicate_of=models.F("id")), name="signal_not_its_own_duplicate"),
        ]

    def __str__(self):
        return _("Signaal %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("signals:detail", args=[self.pk])

    @property
    def is_redacted(self) -> bool:
        return self.redacted_at is not None

    @property
    def is_proxy_entry(self) -> bool:
        return self.entered_by_id is not None


class SignalTopPoint(models.Model):
    """This signal is (part of) the basis of a point of the client council's top 3."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="top_point_links")
    top_point = models.ForeignKey(TopPoint, on_delete=models.CASCADE, related_name="signal_links")
    linked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signal", "top_point"], name="signal_top_point_once")]


class SignalAction(models.Model):
    """This signal is (part of) the basis of an improvement action."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="action_links")
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="signal_links")
    linked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signal", "action"], name="signal_action_once")]
