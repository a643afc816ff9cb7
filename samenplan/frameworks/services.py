from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samenplan.accounts.models import User
from samenplan.organisations.models import Organisation

from .loader import FrameworkSpec, framework_files, read_framework_file
from .models import Framework, FrameworkSection


@transaction.atomic
def load_framework(spec: FrameworkSpec) -> Framework:
    """Creates or updates a national framework from its file; safe to run again."""
    framework, _created = Framework.objects.update_or_create(
        key=spec.key, organisation=None,
        defaults={
            "name": spec.name, "version_label": spec.version_label, "description": spec.description,
            "valid_from": spec.valid_from, "valid_until": spec.valid_until, "rules": spec.rules.to_json(),
            "source_file": spec.path.name,
        },
    )
    keys = []
    for order, section in enumerate(spec.sections, start=1):
        FrameworkSection.objects.update_or_create(
            framework=framework, key=section.key,
            defaults={"kind": section.kind, "title": section.title, "group": section.group,
                      "guidance": section.guidance, "required": section.required, "order": order * 10},
        )
        keys.append(section.key)
    framework.sections.exclude(key__in=keys).delete()
    return framework


def load_all_frameworks() -> list[Framework]:
    # Read every file before writing anything: one broken file leaves the database untouched.
    specs = [read_framework_file(path) for path in framework_files()]
    with transaction.atomic():
        return [load_framework(spec) for spec in specs]


@transaction.atomic
def copy_framework(*, framework: Framework, organisation: Organisation, by: User) -> Framework:
    """An organisation's own version of a framework, to adapt its sections.

    The rule settings are copied as they are: consent and peer review come from the framework and
    the law (Wmcz), not from the organisation.
    """
    if not by.has_perm("frameworks.adapt_framework", organisation):
        raise PermissionDenied
    if framework.organisation_id is not None:
        raise ValidationError(_("Kopieer een landelijk kader, niet de versie van een organisatie."))
    copy = Framework(
        key=framework.key, name=framework.name, version_label=framework.version_label,
        description=framework.description, valid_from=framework.valid_from, valid_until=framework.valid_until,
        organisation=organisation, based_on=framework, rules=framework.rules,
    )
    copy.full_clean()
    copy.save()
    FrameworkSection.objects.bulk_create([
        FrameworkSection(framework=copy, key=s.key, kind=s.kind, title=s.title, group=s.group,
                         guidance=s.guidance, required=s.required, order=s.order)
        for s in framework.sections.all()
    ])
    return copy


def _require_adapt(by: User, framework: Framework):
    if framework.organisation is None or not by.has_perm("frameworks.adapt_framework", framework.organisation):
        raise PermissionDenied


@transaction.atomic
def update_framework_section(*, section: FrameworkSection, by: User, title: str, guidance: str,
                             required: bool, group: str = "") -> FrameworkSection:
    _require_adapt(by, section.framework)
    base = section.framework.based_on.sections.filter(key=section.key, required=True).exists()
    if base and not required:
        # What the national framework requires stays required in the copy.
        raise ValidationError({"required": _("Dit onderdeel is verplicht in het landelijke kader en blijft verplicht.")})
    section.title, section.guidance, section.required, section.group = title, guidance, required, group
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def add_framework_section(*, framework: Framework, by: User, title: str, guidance: str = "",
                          required: bool = False, group: str = "") -> FrameworkSection:
    """An organisation's own theme, e.g. a local priority the client council asked for."""
    _require_adapt(by, framework)
    base_key = slugify(title)[:60] or "thema"
    key, n = base_key, 1
    while framework.sections.filter(key=key).exists():
        n += 1
        key = f"{base_key}-{n}"
    last = framework.sections.order_by("-order").first()
    section = FrameworkSection(framework=framework, key=key, kind=FrameworkSection.Kind.THEME, title=title,
                               guidance=guidance, required=required, group=group,
                               order=(last.order if last else 0) + 10)
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def remove_framework_section(*, section: FrameworkSection, by: User) -> None:
    _require_adapt(by, section.framework)
    if section.framework.based_on.sections.filter(key=section.key).exists():
        raise ValidationError(_("Onderdelen uit het landelijke kader kunt u niet verwijderen; alleen eigen thema's."))
    section.delete()
