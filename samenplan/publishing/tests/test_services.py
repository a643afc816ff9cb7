"""Publishing and unpublishing a plan: only its adopted version, by the organisation's board or
quality staff, always in the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied

from samenplan.audit.models import AuditEvent
from samenplan.audit.timeline import events_of_plan
from samenplan.consent.tests.adopted import adopt_plan_of_world
from samenplan.publishing import services
from samenplan.publishing.models import Publication

from .helpers import publish_world_plan

pytestmark = pytest.mark.shared_world


def test_a_plan_without_an_adopted_version_cannot_be_published(world):
    with pytest.raises(services.PublishRefused) as refused:
        services.publish_plan(plan=world.plan, by=world.people["board"])
    assert "vastgestelde versie" in str(refused.value.message)
    assert not Publication.objects.exists()


def test_publishing_makes_the_adopted_version_public_and_is_recorded(world):
    adoption, publication = publish_world_plan(world)
    assert publication.version == adoption.version
    assert publication.is_current
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.PLAN_PUBLISHED).get()
    assert event.plan_id == world.plan.pk and event.version_sha256 == adoption.version.sha256
    assert event.actor == world.people["board"]


def test_quality_staff_may_publish_too(world):
    adopt_plan_of_world(world)
    publication = services.publish_plan(plan=world.plan, by=world.people["quality"])
    assert publication.published_by == world.people["quality"]


@pytest.mark.parametrize("persona", ["location_manager", "council_member", "council_secretary", "peer_reviewer",
                                     "care_office", "platform_admin", "outsider"])
def test_nobody_else_may_publish_or_unpublish(world, persona):
    adopt_plan_of_world(world)
    with pytest.raises(PermissionDenied):
        services.publish_plan(plan=world.plan, by=world.people[persona])
    services.publish_plan(plan=world.plan, by=world.people["board"])
    with pytest.raises(PermissionDenied):
        services.unpublish_plan(plan=world.plan, by=world.people[persona])
    assert Publication.objects.filter(unpublished_at__isnull=True).count() == 1


def test_publishing_twice_keeps_one_publication_and_one_event(world):
    _adoption, first = publish_world_plan(world)
    again = services.publish_plan(plan=world.plan, by=world.people["quality"])
    assert again.pk == first.pk
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PLAN_PUBLISHED).count() == 1


def test_unpublishing_takes_the_plan_back_and_is_recorded(world):
    _adoption, publication = publish_world_plan(world)
    services.unpublish_plan(plan=world.plan, by=world.people["quality"])
    publication.refresh_from_db()
    assert publication.unpublished_at is not None and publication.unpublished_by == world.people["quality"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PLAN_UNPUBLISHED, plan_id=world.plan.pk).count() == 1


def test_unpublishing_a_plan_that_is_not_public_is_refused(world):
    adopt_plan_of_world(world)
    with pytest.raises(services.PublishRefused):
        services.unpublish_plan(plan=world.plan, by=world.people["board"])
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PLAN_UNPUBLISHED).exists()


def test_a_newer_adoption_replaces_the_published_version(world):
    first_adoption, first = publish_world_plan(world)
    newer = adopt_plan_of_world(world, note="Herzien")
    assert newer.version.number > first_adoption.version.number
    # Until the organisation publishes again, the older adopted version stays public.
    assert services.current_publication(world.plan).version == first_adoption.version
    replaced = services.publish_plan(plan=world.plan, by=world.people["board"])
    first.refresh_from_db()
    assert replaced.version == newer.version
    assert first.unpublished_at is not None
    assert Publication.objects.filter(plan=world.plan, unpublished_at__isnull=True).get() == replaced
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.PLAN_PUBLISHED).order_by("-sequence").first()
    assert event.data["replaced_number"] == first_adoption.version.number


def test_a_plan_back_in_draft_still_publishes_its_adopted_version(world):
    from samenplan.consent.services import transition_plan

    adoption = adopt_plan_of_world(world)
    transition_plan(plan=world.plan, to="draft", by=world.people["quality"])
    publication = services.publish_plan(plan=world.plan, by=world.people["board"])
    assert publication.version == adoption.version


def test_the_timeline_tells_of_publishing_and_unpublishing(world):
    _adoption, publication = publish_world_plan(world)
    services.unpublish_plan(plan=world.plan, by=world.people["board"])
    sentences = [event.sentence for event in events_of_plan(world.plan)[0]]
    number = publication.version.number
    assert any(f"maakte versie {number} openbaar" in s for s in sentences)
    assert any(f"niet meer openbaar (versie {number})" in s for s in sentences)


def test_the_demo_publishes_de_lindes_newest_adopted_plan(world):
    from samenplan.core.demo import ORGANISATIONS
    from samenplan.publishing.demo import load_demo_publication

    # The demo finds De Linde by its KvK number, not by its name.
    type(world.organisation).objects.filter(pk=world.organisation.pk).update(kvk_number=ORGANISATIONS[0]["kvk"])
    assert load_demo_publication() is None  # nothing adopted yet: nothing published
    adoption = adopt_plan_of_world(world)
    publication = load_demo_publication()
    assert publication.version == adoption.version
    assert load_demo_publication().pk == publication.pk
