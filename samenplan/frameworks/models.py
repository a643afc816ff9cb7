from dataclasses import dataclass, field, fields

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samenplan.core.validators import no_markup
from samenplan.organisations.models import Council, Organisation


@dataclass(frozen=True)
class FrameworkRules:
    """The rule settings a framework file declares; the checker and the consent round read these."""

    consenting_councils: tuple[str, ...] = (Council.Kind.CLIENT_COUNCIL, Council.Kind.NURSING_COUNCIL)
    # KK footnote: without a VAR/PAR the works council takes its place for consent.
    works_council_replaces_nursing_council: bool = True
    min_peer_reviews: int = 2
    min_peer_organisations: int = 2
    improvement_paragraph_per_location: bool = True
    organisation_profile_required: bool = True
    staffing_profile_required: bool = True
    # The section that ties the plan to the budget and year plan of the same year (DOMAIN rule 16).
    budget_link_section: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def names(cls) -> set[str]:
        return {f.name for f in fields(cls)} - {"extra"}

    @classmethod
    def from_json(cls, data: dict) -> "FrameworkRules":
        known = {k: v for k, v in data.items() if k in cls.names()}
        if "consenting_councils" in known:
            known["consenting_councils"] = tuple(known["consenting_councils"])
        return cls(**known)

    def to_json(self) -> dict:
        data = {name: getattr(self, name) for name in self.names()}
        data["consenting_councils"] = list(self.consenting_councils)
        return data


class Framework(models.Model):
    """A quality framework (kwaliteitskader, kompas), loaded from a data file, or an organisation's
    adapted copy of one."""

    key = models.SlugField(_("sleutel"), max_length=80)
    name = models.CharField(_("naam"), max_length=200, validators=[no_markup])
    version_label = models.CharField(_("versie"), max_length=80, blank=True)
    description = models.TextField(_("beschrijving"), blank=True)
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="frameworks",
        verbose_name=_("aangepast door"),
        help_text=_("Leeg voor een landelijk kader; gevuld voor de eigen versie van een organisatie."),
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies",
        verbose_name=_("gebaseerd op"),
    )
    rules = models.JSONField(_("regels"), default=dict)
    source_file = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["organisation_id", "-valid_from", "name"]
        verbose_name = _("kwaliteitskader")
        verbose_name_plural = _("kwaliteitskaders")
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(organisation__isnull=True),
                                    name="one_national_framework_per_key"),
            models.UniqueConstraint(
                fields=["key", "organisation"], condition=Q(organisation__isnull=False),
                name="one_copy_per_framework_and_organisation",
                violation_error_message=_("Uw organisatie heeft al een eigen versie van dit kader."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.version_label})" if self.version_label else self.name

    @property
    def rule_settings(self) -> FrameworkRules:
        return FrameworkRules.from_json(self.rules)


class FrameworkSection(models.Model):
    """A part a plan under this framework has: a theme, the profile, staffing, improvement paragraphs."""

    class Kind(models.TextChoices):
        ORGANISATION_PROFILE = "organisation_profile", _("Profiel van de organisatie")
        STAFFING = "staffing", _("Personeelssamenstelling")
        THEME = "theme", _("Thema")
        TEXT = "text", _("Tekst")
        IMPROVEMENT_PARAGRAPHS = "improvement_paragraphs", _("Verbeterparagrafen per locatie")

    # The kinds whose content is a text the authors write; the others are filled from structured data.
    TEXT_KINDS = frozenset({Kind.THEME, Kind.TEXT})

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("sleutel"), max_length=80)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200, validators=[no_markup])
    group = models.CharField(_("groep"), max_length=200, blank=True, validators=[no_markup])
    guidance = models.TextField(_("toelichting"), blank=True)
    required = models.BooleanField(_("verplicht"), default=False)
    order = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["framework", "order", "pk"]
        verbose_name = _("onderdeel van een kader")
        verbose_name_plural = _("onderdelen van een kader")
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="section_key_unique_per_framework",
                                    violation_error_message=_("Dit kader heeft al een onderdeel met deze sleutel.")),
        ]

    def __str__(self):
        return self.title
