from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samenplan.core.validators import (
    kvk_establishment_number_validator,
    kvk_number_validator,
    no_markup,
    postal_code_validator,
)


class Region(models.Model):
    """A care-office region (zorgkantoorregio)."""

    name = models.CharField(_("naam"), max_length=120, unique=True, validators=[no_markup])

    class Meta:
        ordering = ["name"]
        verbose_name = _("zorgkantoorregio")
        verbose_name_plural = _("zorgkantoorregio's")

    def __str__(self):
        return self.name


class CareOffice(models.Model):
    name = models.CharField(_("naam"), max_length=120, unique=True, validators=[no_markup])
    regions = models.ManyToManyField(Region, related_name="care_offices", verbose_name=_("regio's"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("zorgkantoor")
        verbose_name_plural = _("zorgkantoren")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:care_office", args=[self.pk])


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200, validators=[no_markup])
    kvk_number = models.CharField(
        _("KvK-nummer"), max_length=8, unique=True, validators=[kvk_number_validator],
        error_messages={"unique": _("Er is al een organisatie met dit KvK-nummer.")},
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("zorgkantoorregio")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("zorgorganisatie")
        verbose_name_plural = _("zorgorganisaties")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:detail", args=[self.pk])


class Location(models.Model):
    """A site as registered with the KvK (vestiging); closed sites stay for history."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations", verbose_name=_("organisatie")
    )
    name = models.CharField(_("naam"), max_length=200, validators=[no_markup])
    kvk_establishment_number = models.CharField(
        _("KvK-vestigingsnummer"),
        max_length=12,
        unique=True,
        validators=[kvk_establishment_number_validator],
        error_messages={"unique": _("Er is al een locatie met dit vestigingsnummer.")},
    )
    street = models.CharField(_("straat en huisnummer"), max_length=200, validators=[no_markup])
    postal_code = models.CharField(_("postcode"), max_length=7, validators=[postal_code_validator])
    city = models.CharField(_("plaats"), max_length=100, validators=[no_markup])
    is_active = models.BooleanField(
        _("in gebruik"), default=True, help_text=_("Zet dit uit als de locatie gesloten is.")
    )
    places = models.PositiveIntegerField(
        _("aantal plaatsen"), help_text=_("Het aantal bewoners dat hier kan wonen.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="location_name_unique_per_org",
                violation_error_message=_("Er is al een locatie met deze naam. Kies een andere naam."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:location", args=[self.organisation_id, self.pk])


class Council(models.Model):
    """A participation body: client council, works council or nursing council (VAR/PAR)."""

    class Kind(models.TextChoices):
        CLIENT_COUNCIL = "client_council", _("Cliëntenraad")
        WORKS_COUNCIL = "works_council", _("Ondernemingsraad (OR)")
        NURSING_COUNCIL = "nursing_council", _("Verpleegkundige/verzorgende adviesraad (VAR/PAR)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="councils", verbose_name=_("organisatie")
    )
    kind = models.CharField(_("soort raad"), max_length=20, choices=Kind.choices)
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("locatie"),
        help_text=_("Leeg voor een centrale raad; kies een locatie voor een lokale raad."),
    )
    name = models.CharField(_("naam"), max_length=200, validators=[no_markup])

    class Meta:
        ordering = ["kind", "location__name", "name"]
        verbose_name = _("raad")
        verbose_name_plural = _("raden")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(location__isnull=True),
                name="one_central_council_per_kind",
                violation_error_message=_("Er is al een centrale raad van deze soort. Kies een locatie voor een lokale raad."),
            ),
            models.UniqueConstraint(
                fields=["location", "kind"],
                condition=Q(location__isnull=False),
                name="one_local_council_per_kind_and_location",
                violation_error_message=_("Deze locatie heeft al een raad van deze soort."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:council", args=[self.organisation_id, self.pk])

    @property
    def is_central(self) -> bool:
        return self.location_id is None


class LearningNetwork(models.Model):
    """Organisations that give each other feedback on their plans (lerend netwerk)."""

    name = models.CharField(_("naam"), max_length=200, unique=True, validators=[no_markup])
    organisations = models.ManyToManyField(
        Organisation, related_name="learning_networks", verbose_name=_("organisaties")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("lerend netwerk")
        verbose_name_plural = _("lerende netwerken")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:network", args=[self.pk])
