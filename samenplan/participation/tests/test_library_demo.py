"""The demo's shared plan in the network library."""

import pytest

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.consent.tests.adopted import adopt_plan_of_world
from samenplan.participation.demo import load_demo_library
from samenplan.participation.models import LibraryComment


@pytest.mark.django_db
def test_the_demo_shares_nothing_without_an_adopted_plan(world):
    assert load_demo_library() is None


@pytest.mark.django_db
def test_the_demo_shares_the_adopted_plan_with_a_note_and_a_comment_once(world):
    adoption = adopt_plan_of_world(world)
    add_membership(user=UserFactory(username="kwaliteit-anker"), role=Role.QUALITY_STAFF,
                   organisation=world.peer_organisation)
    from samenplan.core.demo import ORGANISATIONS

    # The demo finds De Linde by its KvK number.
    type(world.organisation).objects.filter(pk=world.organisation.pk).update(kvk_number=ORGANISATIONS[0]["kvk"])
    entry = load_demo_library()
    assert entry.version == adoption.version and entry.who_took_part
    assert load_demo_library() == entry
    assert LibraryComment.objects.filter(entry=entry).count() == 1
