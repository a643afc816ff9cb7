import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samenplan.frameworks import services
from samenplan.frameworks.models import Framework
from samenplan.plans import services as plan_services

pytestmark = pytest.mark.shared_world


def test_a_copy_keeps_the_rules_and_sections_of_the_national_framework(world):
    national = Framework.objects.get(key="kwaliteitskader-verpleeghuiszorg-2017", organisation=None)
    copy = world.own_framework
    assert copy.rules == national.rules and copy.based_on == national
    assert [s.key for s in copy.sections.all()][:-1] == [s.key for s in national.sections.all()]


def test_what_the_national_framework_requires_stays_required(world):
    section = world.own_framework.sections.get(key="veiligheid")
    with pytest.raises(ValidationError, match="blijft verplicht"):
        services.update_framework_section(section=section, by=world.people["quality"], title="Veiligheid",
                                          guidance="", required=False)


def test_only_own_themes_can_be_removed(world):
    with pytest.raises(ValidationError):
        services.remove_framework_section(section=world.own_framework.sections.get(key="veiligheid"),
                                          by=world.people["quality"])
    services.remove_framework_section(section=world.own_theme, by=world.people["quality"])
    assert not world.own_framework.sections.filter(pk=world.own_theme.pk).exists()


def test_another_organisation_cannot_adapt_our_copy(world):
    with pytest.raises(PermissionDenied):
        services.add_framework_section(framework=world.own_framework, by=world.people["outsider"], title="Iets")


def test_a_plan_under_the_own_copy_has_the_own_theme(world):
    plan = plan_services.create_plan(organisation=world.organisation, year=2029, framework=world.own_framework,
                                     by=world.people["quality"])
    assert plan.sections.filter(key=world.own_theme.key, title="Zingeving").exists()


def test_another_organisations_copy_cannot_be_used(world):
    with pytest.raises(ValidationError):
        plan_services.create_plan(organisation=world.other_organisation, year=2029, framework=world.own_framework,
                                  by=world.people["outsider"])
